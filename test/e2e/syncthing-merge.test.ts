// Several computers, one tape: two real Syncthing instances on loopback
// share one store, and the built CLI runs on each side as its own computer
// (ANSWERPHONE_COMPUTER a and b). Both change the same messages at once, or
// while one is offline, and record into a nearly full tape together: every
// change must survive, the tape must end within its length with only the
// ring's victims gone, and no conflict copy may be left. Each test logs how
// long the two sides took to agree, and how many messages each holds.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {wavHeader} from '../../src/pcm/wav.js';
import {planRoom, type RingEntry} from '../../src/tape/ring.js';
import {describeNeeding} from '../helpers/audio-stack.js';
import {cli, isolatedEnv, runCli} from '../helpers/cli.js';
import {pcm} from '../helpers/pcm.js';
import {SyncthingPair, syncthingMissing} from '../helpers/syncthing.js';
import {TmuxScreen} from '../helpers/tmux.js';

const missing = syncthingMissing
	?? (findProgram('sox') ? undefined : 'sox is not installed (record --input needs it)')
	?? (findProgram('tmux') ? undefined : 'tmux is not installed');

type Listed = {file?: string; id: string; for: string; from: string; createdAt: string; durationMs: number; heard: boolean; heardBy: string[]; keep: boolean};
type Side = 'a' | 'b';

let work: string;
let pair: SyncthingPair;
let second: string;
let twoSeconds: string;

const storeOf = (side: Side) => (side === 'a' ? pair.storeA : pair.storeB);

/** The built CLI on one side, as that computer (computer: its ANSWERPHONE_COMPUTER, the side's own name unless said). */
const answerphone = async (side: Side, args: string[], computer: string = side) => {
	const result = await runCli([...args, '--store', storeOf(side)], {env: isolatedEnv(work, {ANSWERPHONE_COMPUTER: computer}), timeoutMs: 30_000});
	if (result.code !== 0) {
		throw new Error(`answerphone ${args.join(' ')} on ${side} exited ${result.code}: ${result.stderr}`);
	}

	return result.stdout;
};

const record = async (side: Side, from: string, input = second) => (await answerphone(side, ['record', '--input', input, '--from', from])).trim();
const list = async (side: Side, ...args: string[]) => JSON.parse(await answerphone(side, ['list', '--json', ...args])) as Listed[];
const ids = async (side: Side) => (await list(side)).map(message => message.id);
const find = async (side: Side, id: string, ...args: string[]) => (await list(side, ...args)).find(message => message.id === id);
const bothFiles = (side: Side, id: string) => existsSync(path.join(storeOf(side), 'messages', `${id}.json`)) && existsSync(path.join(storeOf(side), 'messages', `${id}.wav`));
const conflictCopies = (side: Side) => [storeOf(side), path.join(storeOf(side), 'messages')]
	.flatMap(dir => readdirSync(dir).filter(name => name.includes('.sync-conflict-')));
const pause = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

/** Both sides list the same messages with the same state (as the household sees them). */
const agree = async () => {
	// Each side's own path to the audio aside.
	const seen = async (side: Side) => JSON.stringify((await list(side)).map(({file: _file, ...message}) => message));
	return await seen('a') === await seen('b');
};
const report = async (what: string, seconds: number) => {
	console.log(`${what}: converged in ${seconds.toFixed(1)} s (A holds ${(await ids('a')).length} messages, B ${(await ids('b')).length})`);
};

/** Recorded on A and arrived on B, listed there. */
async function recordedOnBoth(from: string): Promise<string> {
	const id = await record('a', from);
	await pair.waitForConvergence(async () => bothFiles('b', id) && (await ids('b')).includes(id));
	return id;
}

describeNeeding('changes to one shared tape made on two computers', missing, () => {
	beforeAll(async () => {
		work = await mkdtemp(path.join(tmpdir(), 'answerphone-sync-merge-'));
		second = path.join(work, 'second.wav');
		twoSeconds = path.join(work, 'two-seconds.wav');
		await writeFile(second, Buffer.concat([wavHeader(32_000), pcm(1000, 'second')]));
		await writeFile(twoSeconds, Buffer.concat([wavHeader(64_000), pcm(2000, 'two')]));
		pair = await SyncthingPair.start({
			async before(a, b) {
				// Each computer says what it keeps for itself before Syncthing first looks.
				for (const store of [a, b]) {
					expect((await runCli(['setup', '--shared-folder', '--store', store], {env: isolatedEnv(work), timeoutMs: 30_000})).code).toBe(0);
				}
			},
		});
	}, 60_000);

	afterAll(async () => {
		await pair?.stop();
		await rm(work, {recursive: true, force: true});
	});

	it('marked heard on A and kept on B at the same moment: heard and kept on both', async () => {
		const id = await recordedOnBoth('jo');
		await Promise.all([answerphone('a', ['mark', id, '--heard']), answerphone('b', ['keep', id])]);
		const seconds = await pair.waitForConvergence(async () => {
			const [onA, onB] = [await find('a', id), await find('b', id)];
			return onA?.heard === true && onA.keep && onB?.heard === true && onB.keep;
		});
		await report('heard on A, kept on B', seconds);
		expect([conflictCopies('a'), conflictCopies('b')]).toEqual([[], []]);
	});

	it('heard by sam on A and by jo on B at once: heard by both, on both', async () => {
		const id = await recordedOnBoth('alex');
		await Promise.all([answerphone('a', ['mark', id, '--heard', '--as', 'sam']), answerphone('b', ['mark', id, '--heard', '--as', 'jo'])]);
		const seconds = await pair.waitForConvergence(async () => {
			const [onA, onB] = [await find('a', id), await find('b', id)];
			return JSON.stringify(onA?.heardBy) === '["jo","sam"]' && JSON.stringify(onB?.heardBy) === '["jo","sam"]';
		});
		await report('heard by sam on A, by jo on B', seconds);
		// Each is heard for the one who heard it, and still new for anyone else.
		expect((await find('b', id, '--as', 'sam'))?.heard).toBe(true);
		expect((await find('a', id, '--as', 'kim'))?.heard).toBe(false);
		expect([conflictCopies('a'), conflictCopies('b')]).toEqual([[], []]);
	});

	it('erase and restore on two computers go by time: the later one wins on both, either way round', async () => {
		const restoredLater = await recordedOnBoth('quinn');
		const erasedLater = await recordedOnBoth('robin');
		// B offline, so that neither hears of the other's change before making its own.
		await pair.stopB();
		await answerphone('b', ['erase', restoredLater, erasedLater]);
		await answerphone('a', ['erase', restoredLater]);
		await pause(1000);
		await answerphone('b', ['restore', restoredLater, erasedLater]);
		await pause(1000);
		await answerphone('a', ['erase', erasedLater]);
		// Each side alone: A erased both, B restored both.
		expect(await ids('a')).not.toContain(restoredLater);
		expect(await ids('a')).not.toContain(erasedLater);
		expect(await ids('b')).toEqual(expect.arrayContaining([restoredLater, erasedLater]));

		const started = performance.now();
		await pair.startB();
		await pair.waitForConvergence(async () => {
			const [onA, onB] = [await ids('a'), await ids('b')];
			return [onA, onB].every(listed => listed.includes(restoredLater) && !listed.includes(erasedLater));
		}, 30_000);
		await report('erase and restore, a second apart', (performance.now() - started) / 1000);
		expect(await agree()).toBe(true);
		expect([conflictCopies('a'), conflictCopies('b')]).toEqual([[], []]);
	});

	it('one computer\'s name on both: Syncthing\'s conflict copy of its state file is merged away, and both changes survive', async () => {
		const id = await recordedOnBoth('sasha');
		await pair.stopB();
		// The same ANSWERPHONE_COMPUTER on both: two writers of one state file.
		await answerphone('a', ['mark', id, '--heard'], 'same');
		await pause(50);
		await answerphone('b', ['keep', id], 'same');
		const stateFile = (side: Side) => path.join(storeOf(side), 'messages', `${id}.state.same.json`);
		expect(readFileSync(stateFile('a'), 'utf8')).not.toBe(readFileSync(stateFile('b'), 'utf8'));

		const started = performance.now();
		await pair.startB();
		// Looked for on disk only (any command would settle it at once).
		let copies: string[] = [];
		await pair.waitForConvergence(() => {
			copies = [...conflictCopies('a'), ...conflictCopies('b')];
			return copies.length > 0;
		}, 30_000).catch((error: unknown) => {
			const seen = (side: Side) => `${side}: ${readdirSync(path.join(storeOf(side), 'messages')).filter(name => name.startsWith(id)).join(' ')} ${readFileSync(stateFile(side), 'utf8')}`;
			throw new Error(`no conflict copy: ${seen('a')}\n${seen('b')}\n${(error as Error).message}`);
		});
		expect(copies.every(name => name.startsWith(`${id}.state.same.sync-conflict-`))).toBe(true);
		// 150 s: when the copy is merged away on one side before the other has
		// pulled it, Syncthing's puller there fails ("no such file") and retries
		// only after a minute, and again a minute later if the second try came
		// too soon (seen in CI twice, once past 90 s; 2–5 s otherwise).
		const seconds = await pair.waitForConvergence(async () => {
			const [onA, onB] = [await find('a', id), await find('b', id)];
			return onA?.heard === true && onA.keep && onB?.heard === true && onB.keep
				&& conflictCopies('a').length === 0 && conflictCopies('b').length === 0;
		}, 150_000);
		await report(`a conflict copy (${copies.length}) merged away`, (performance.now() - started) / 1000);
		console.log(`after the copy appeared: ${seconds.toFixed(1)} s`);
		expect(await agree()).toBe(true);
	}, 210_000);

	it('a message recorded on B while it was offline arrives later, older than A\'s, and is placed like any other', async () => {
		await pair.stopB();
		const offline = await record('b', 'nomad');
		await pause(1000);
		const online = await record('a', 'homebody');
		const started = performance.now();
		await pair.startB();
		await pair.waitForConvergence(async () => {
			const [onA, onB] = [await ids('a'), await ids('b')];
			return [onA, onB].every(listed => listed.includes(offline) && listed.includes(online));
		}, 30_000);
		await report('B\'s offline message', (performance.now() - started) / 1000);
		const onA = await ids('a');
		expect(onA.indexOf(offline)).toBeLessThan(onA.indexOf(online));
		expect(await agree()).toBe(true);
	});

	it('a screen open on B shows A\'s mark and erasure within 2 s of their arrival on B\'s disk', async () => {
		const id = await recordedOnBoth('lena');
		const screen = TmuxScreen.start(`node ${cli} --store ${pair.storeB}`, {
			columns: 100, rows: 40, env: {ANSWERPHONE_CONFIG: path.join(work, 'no-config.json'), ANSWERPHONE_COMPUTER: 'b'},
		});
		const line = () => screen.capture().split('\n').find(text => text.includes('from lena'));
		const stateOfA = () => {
			try {
				return JSON.parse(readFileSync(path.join(pair.storeB, 'messages', `${id}.state.a.json`), 'utf8')) as {heard: Record<string, {value: boolean}>; erased: {value: string | null}};
			} catch {
				return undefined;
			}
		};

		/** A's change, from making it to its arrival on B's disk to B's screen showing it. */
		const follow = async (what: string, change: () => Promise<unknown>, arrived: () => boolean, shown: () => boolean) => {
			let arrivedAt: number | undefined;
			let shownAt: number | undefined;
			const started = performance.now();
			const changed = change();
			await pair.waitForConvergence(() => {
				const now = performance.now();
				arrivedAt ??= arrived() ? now : undefined;
				shownAt ??= arrivedAt !== undefined && shown() ? now : undefined;
				return shownAt !== undefined;
			});
			await changed;
			const lag = (shownAt! - arrivedAt!) / 1000;
			await report(`${what} on B's screen (${lag.toFixed(1)} s after it arrived on B's disk)`, (shownAt! - started) / 1000);
			expect(lag, `${what} shown ${lag.toFixed(2)} s after it arrived`).toBeLessThan(2);
		};

		try {
			await screen.waitFor(() => line()?.includes('NEW') === true, 20_000);
			await follow('A\'s heard mark', async () => answerphone('a', ['mark', id, '--heard']),
				() => Object.values(stateOfA()?.heard ?? {}).some(mark => mark.value), () => line()?.includes('NEW') === false);
			await follow('A\'s erasure', async () => answerphone('a', ['erase', id]),
				() => typeof stateOfA()?.erased.value === 'string', () => line() === undefined);
		} finally {
			screen.kill();
		}
	});

	it('both recording into a nearly full tape at once: within its length on both, only the ring\'s victims gone, nothing kept', async () => {
		// A clean tape of 6 s: 1 s kept, 1 s in the undo bin, 2 s heard, 1 s new; room for 1 s more.
		const earlier = await ids('a');
		if (earlier.length > 0) {
			await answerphone('a', ['erase', '--yes', ...earlier]);
		}

		await answerphone('a', ['erase', '--bin']);
		await answerphone('a', ['settings', '--tape', '6s', '--max-message', '3s']);
		await pair.waitForConvergence(async () => (await ids('b')).length === 0
			&& JSON.parse(await answerphone('b', ['settings', '--json'])).tapeMs === 6000);
		const [kept, erased, heardFirst, heardSecond, unheard] = [
			await record('a', 'sam'), await record('a', 'jo'), await record('a', 'jo'), await record('a', 'sam'), await record('a', 'jo'),
		];
		const binEntry = (await list('a')).find(message => message.id === erased)!;
		await answerphone('a', ['keep', kept]);
		await answerphone('a', ['erase', erased]);
		await answerphone('a', ['mark', heardFirst, heardSecond, '--heard']);
		await pair.waitForConvergence(async () => (await ids('b')).length === 4 && agree());
		const before = await list('a');

		// At once: each makes room for 2 s on what it sees (the bin), neither knowing of the other's.
		const started = performance.now();
		const [fromA, fromB] = await Promise.all([record('a', 'alex', twoSeconds), record('b', 'kim', twoSeconds)]);
		const placed = [(await find('a', fromA))!, (await find('b', fromB))!];
		const seconds = await pair.waitForConvergence(async () => {
			const [onA, onB] = [await ids('a'), await ids('b')];
			return onA.includes(fromB) && onB.includes(fromA) && await agree();
		}, 30_000);
		await report('two recordings at once into a nearly full tape', (performance.now() - started) / 1000);
		console.log(`the last ${seconds.toFixed(1)} s of it after both recordings were placed`);

		// What the ring plans for all of them together, had one computer seen them all.
		const entry = (message: Listed, erased = false): RingEntry => ({...message, erased});
		const union = [...before, ...placed].map(message => entry(message)).concat(entry(binEntry, true));
		const plan = planRoom(union, 6000, 0);
		expect(plan.fits).toBe(true);
		const expected = union.filter(message => !message.erased && plan.fits && !plan.evict.includes(message.id))
			.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map(message => message.id);
		expect(new Set(expected)).toEqual(new Set([kept, unheard, fromA, fromB]));
		for (const side of ['a', 'b'] as const) {
			expect(await ids(side)).toEqual(expected);
			expect(JSON.parse(await answerphone(side, ['status', '--json'])).usedMs).toBeLessThanOrEqual(6000);
		}

		expect([heardFirst, heardSecond].some(id => expected.includes(id))).toBe(false);
		expect([conflictCopies('a'), conflictCopies('b')]).toEqual([[], []]);
	});
});
