// Several computers, one tape: two real Syncthing instances on loopback
// share one store (A's and B's), and the real CLI and screen run on each
// side. Each test logs how long the two sides took to agree.
import {existsSync, readdirSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {wavHeader} from '../../src/pcm/wav.js';
import {describeNeeding} from '../helpers/audio-stack.js';
import {cli, isolatedEnv, runCli} from '../helpers/cli.js';
import {pcm} from '../helpers/pcm.js';
import {SyncthingPair, syncthingMissing} from '../helpers/syncthing.js';
import {TmuxScreen} from '../helpers/tmux.js';

const missing = syncthingMissing
	?? (findProgram('sox') ? undefined : 'sox is not installed (record --input needs it)')
	?? (findProgram('tmux') ? undefined : 'tmux is not installed');

let work: string;
let pair: SyncthingPair;
let wav: string;

const answerphone = async (store: string, ...args: string[]) => {
	const result = await runCli([...args, '--store', store], {env: isolatedEnv(work), timeoutMs: 30_000});
	if (result.code !== 0) {
		throw new Error(`answerphone ${args.join(' ')} on ${store} exited ${result.code}: ${result.stderr}`);
	}

	return result.stdout;
};

const record = async (store: string, from: string) => (await answerphone(store, 'record', '--input', wav, '--from', from)).trim();
const listed = async (store: string) => (JSON.parse(await answerphone(store, 'list', '--json')) as Array<{id: string; from: string}>).map(message => message.id).sort();
const bothFiles = (store: string, id: string) => existsSync(path.join(store, 'messages', `${id}.json`)) && existsSync(path.join(store, 'messages', `${id}.wav`));
const report = (what: string, seconds: number) => {
	console.log(`${what}: converged in ${seconds.toFixed(1)} s`);
};

describeNeeding('a store shared through Syncthing', missing, () => {
	beforeAll(async () => {
		work = await mkdtemp(path.join(tmpdir(), 'answerphone-sync-e2e-'));
		wav = path.join(work, 'hello.wav');
		await writeFile(wav, Buffer.concat([wavHeader(32_000), pcm(1000, 'hello')]));
		// Each computer says what it keeps for itself before Syncthing first looks.
		pair = await SyncthingPair.start({
			async before(a, b) {
				await answerphone(a, 'setup', '--shared-folder');
				await answerphone(b, 'setup', '--shared-folder');
			},
		});
	}, 60_000);

	afterAll(async () => {
		await pair?.stop();
		await rm(work, {recursive: true, force: true});
	});

	it('lists on B a message recorded on A', async () => {
		const id = await record(pair.storeA, 'sam');
		const seconds = await pair.waitForConvergence(async () => bothFiles(pair.storeB, id) && (await listed(pair.storeB)).includes(id));
		report('one message A to B', seconds);
		expect(await listed(pair.storeB)).toEqual(await listed(pair.storeA));
	});

	it('brings B up to date after it was offline while A recorded two and erased one', async () => {
		await pair.stopB();
		const first = await record(pair.storeA, 'jo');
		const second = await record(pair.storeA, 'alex');
		await answerphone(pair.storeA, 'erase', first);
		const onA = await listed(pair.storeA);
		expect(onA).toContain(second);
		expect(onA).not.toContain(first);
		expect(await listed(pair.storeB)).not.toContain(second);

		const started = performance.now();
		await pair.startB();
		await pair.waitForConvergence(async () => JSON.stringify(await listed(pair.storeB)) === JSON.stringify(onA), 30_000);
		report('B back online', (performance.now() - started) / 1000);
	});

	it('shows A\'s new message on B\'s screen within 2 s of its arrival on B\'s disk', async () => {
		const screen = TmuxScreen.start(`node ${cli} --store ${pair.storeB}`, {columns: 100, rows: 30, env: {ANSWERPHONE_CONFIG: path.join(work, 'no-config.json')}});
		try {
			await screen.waitFor(text => text.includes('from alex'), 20_000);
			const before = new Set(readdirSync(path.join(pair.storeB, 'messages')));
			// Arrived: a message whose two files are both on B's disk that was not there before.
			const newArrival = () => readdirSync(path.join(pair.storeB, 'messages'))
				.filter(name => name.endsWith('.json') && !before.has(name))
				.some(name => bothFiles(pair.storeB, name.slice(0, -5)));
			let arrived: number | undefined;
			let shown: number | undefined;
			const started = performance.now();
			const recorded = record(pair.storeA, 'quinn');
			await pair.waitForConvergence(() => {
				const now = performance.now();
				arrived ??= newArrival() ? now : undefined;
				shown ??= screen.capture().includes('from quinn') ? now : undefined;
				return shown !== undefined && arrived !== undefined;
			}, 30_000);
			await recorded;
			report(`A's message on B's screen (${((shown! - arrived!) / 1000).toFixed(1)} s after it arrived on B's disk)`, (shown! - started) / 1000);
			expect(shown! - arrived!, `shown ${((shown! - arrived!) / 1000).toFixed(2)} s after it arrived`).toBeLessThan(2000);
		} finally {
			screen.kill();
		}
	});

	it('keeps A\'s own files (tmp/, status/, lock.*) on A, with the lines setup --shared-folder wrote', async () => {
		await mkdir(path.join(pair.storeA, 'status'), {recursive: true});
		const probes = ['tmp/from-a.part', 'status/from-a', 'lock.from-a'];
		for (const probe of probes) {
			await writeFile(path.join(pair.storeA, probe), 'this computer\'s own');
		}

		const id = await record(pair.storeA, 'kim');
		report('a message beside A\'s own files', await pair.waitForConvergence(() => bothFiles(pair.storeB, id)));
		// Long enough for a rescan and the watcher's batch (2 s and 1 s) to have sent them, had they been shared.
		await new Promise(resolve => {
			setTimeout(resolve, 3500);
		});
		expect(probes.filter(probe => existsSync(path.join(pair.storeB, probe)))).toEqual([]);
	});
});
