// kill -9 at random moments: while recording, while committing (which frees
// space), while erasing or flagging. Each child process reports every step
// before taking it, so after the kill the test knows exactly which messages
// were finished and which step might have been cut short, and checks the
// store against that after the next open.
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {
	mkdtemp, readdir, readFile, rename, utimes, writeFile,
} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {
	describe, expect, it,
} from 'vitest';
import {msToPcmBytes} from '../../src/pcm/wav.js';
import type {MessageMeta} from '../../src/tape/message.js';
import {planRoom, type RingEntry} from '../../src/tape/ring.js';
import {arrivalGraceMs} from '../../src/tape/scanner.js';
import {Tape, type DraftOwner, type TapeSnapshot} from '../../src/tape/store.js';
import {expectedHeader, pcm, rawHeader} from '../helpers/pcm.js';
import {
	Child, useTapeChildren, type ChildConfig, type ChildEvent,
} from '../helpers/tape-children.js';

const childScript = useTapeChildren();
const {folders} = childScript;

async function newStore(settings: {tapeMs: number; maxMessageMs: number; minMessageMs: number}): Promise<Tape> {
	const folder = await mkdtemp(path.join(tmpdir(), 'answerphone-crash-'));
	folders.push(folder);
	const tape = await Tape.open(path.join(folder, 'store'));
	await tape.updateSettings(settings);
	return tape;
}

async function recordHere(tape: Tape, ms: number, from: string): Promise<string> {
	const draft = await tape.beginDraft({from});
	draft.write(pcm(ms, draft.id));
	const result = await draft.commit();
	if (result.status !== 'saved') {
		throw new Error(`setup message not saved: ${result.status}`);
	}

	return result.message.id;
}

// Each round is one child killed at a random moment. CI runs a handful per
// scenario; raise this to soak the store for longer (e.g. 20 for a night).
const soak = Math.max(1, Number(process.env['ANSWERPHONE_CRASH_SOAK'] ?? 1));

const randomBetween = (low: number, high: number) => low + Math.floor(Math.random() * (high - low + 1));
const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

// A digest, not the bytes: deep equality over large Buffers is very slow in vitest.
type Finished = {meta: MessageMeta; wav: string};

const digest = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** Every message file as it is on disk now, for byte-for-byte comparison after the crash. */
async function finished(tape: Tape): Promise<Map<string, Finished>> {
	const snapshot = await tape.snapshot();
	const result = new Map<string, Finished>();
	for (const message of [...snapshot.messages, ...snapshot.bin]) {
		const {file, ...meta} = message;

		result.set(message.id, {meta, wav: await digest(file)});
	}

	return result;
}

/**
 * What every reader must be able to rely on after any crash: no problems,
 * nothing left in tmp/, nothing in messages/ but whole messages, and every
 * header matching its file.
 */
async function expectCleanStore(tape: Tape, snapshot: TapeSnapshot): Promise<void> {
	expect(snapshot.problems).toEqual([]);
	// No draft is left waiting. A small file a crash cut off mid-write may be,
	// in tmp/ where no reader looks: the store's own (.part, swept once old) or
	// write-file-atomic's, from the note that says a recording is in progress.
	expect((await readdir(tape.tmpDir)).filter(name => !/\.part$|\.json\.\d+$/.test(name))).toEqual([]);
	const all = [...snapshot.messages, ...snapshot.bin];
	// Each message's own two files, and at most this computer's state file beside them.
	const listed = (await readdir(tape.messagesDir)).sort();
	expect(listed.filter(name => !name.endsWith('.state.test-computer.json'))).toEqual(all.flatMap(message => [`${message.id}.json`, `${message.id}.wav`]).sort());
	expect(listed.filter(name => name.endsWith('.state.test-computer.json')).every(name => all.some(message => name.startsWith(`${message.id}.state.`)))).toBe(true);
	for (const message of all) {
		const wav = await readFile(message.file);
		expect(rawHeader(wav)).toEqual(expectedHeader(wav.length));
		expect(wav.length).toBe(44 + msToPcmBytes(message.durationMs));
		// Every message the children record is pcm(length, id), so any prefix of it is too.
		expect(wav.subarray(44).equals(pcm(message.durationMs, message.id))).toBe(true);
	}

	expect(snapshot.usedMs + snapshot.binMs).toBeLessThanOrEqual(snapshot.settings.tapeMs);
}

/**
 * A child killed inside the store's lock leaves the lock behind. The store
 * takes it over once it is stale (10 s without a refresh; concurrency.test
 * checks that rule): dating the lock back stands in for that wait.
 */
async function ageLeftoverLock(tape: Tape): Promise<void> {
	const longAgo = new Date(Date.now() - 60_000);
	await utimes(path.join(tape.dir, 'lock'), longAgo, longAgo).catch(() => undefined);
}

function toEntry(meta: MessageMeta): RingEntry {
	return {id: meta.id, from: meta.from, createdAt: meta.createdAt, durationMs: meta.durationMs, heard: meta.heard, keep: meta.keep, erased: meta.erasedAt !== null};
}

describe('kill -9 while recording', () => {
	it('recovers the recording at next open, losing at most its last second, and touches nothing else', async () => {
		for (let round = 0; round < 4 * soak; round++) {
			const tape = await newStore({tapeMs: 120_000, maxMessageMs: 60_000, minMessageMs: 1000});

			for (const from of ['jo', 'sam']) await recordHere(tape, 2000, from);

			const before = await finished(tape);

			// A microphone's pace, sped up ten times: 100 ms of sound every 10 ms.
			const chunkMs = 100;
			const child = new Child(childScript.script(), {mode: 'record', store: tape.dir, from: 'alex', lengthsMs: [20_000], chunkMs, paceMs: 10});
			// The first round dies before any sound arrives: a hang-up, not a message.
			const targetMs = round === 0 ? 0 : randomBetween(1500, 3500);

			const begin = await child.waitFor(event => (targetMs === 0 ? event.event === 'begin' : event.event === 'wrote' && event.ms >= targetMs));

			await child.kill();
			child.assertNoError();

			await ageLeftoverLock(tape);
			const id = 'id' in begin ? begin.id : '';
			const written = Math.max(0, ...child.events.map(event => (event.event === 'wrote' ? event.ms : 0)));

			const reopened = await Tape.open(tape.dir);

			const snapshot = await reopened.snapshot();

			await expectCleanStore(reopened, snapshot);

			const after = await finished(reopened);
			for (const [oldId, old] of before) {
				expect(after.get(oldId)).toEqual(old);
			}

			const rescued = snapshot.messages.find(message => message.id === id);
			if (written < 1000) {
				// Under the 1 s minimum: dropped like any hang-up.
				expect(rescued).toBeUndefined();
				continue;
			}

			expect(rescued).toMatchObject({recovered: true, from: 'alex', heard: false});
			// At most one unreported chunk past the last report, at most a second lost.
			expect(rescued!.durationMs).toBeLessThanOrEqual(written + chunkMs);
			expect(rescued!.durationMs).toBeGreaterThanOrEqual(written - 1000);
		}
	});
});

describe('kill -9 while committing and freeing space', () => {
	it('loses no finished message, and the cut-short commit completes at next open', async () => {
		const settings = {tapeMs: 10_000, maxMessageMs: 3000, minMessageMs: 1000};
		const tape = await newStore(settings);
		const chunkMs = 250;
		for (let round = 0; round < 12 * soak; round++) {
			const before = await finished(tape);
			const config: ChildConfig = {
				mode: 'record',
				store: tape.dir,
				from: ['jo', 'sam', 'alex'][round % 3]!,
				// Shuffled, so that the message being committed when the kill comes
				// is not always the first one's length.
				lengthsMs: [1500, 2750, 3000, 1250, 2000, 600].sort(() => Math.random() - 0.5),
				loop: true,
				chunkMs,
				paceMs: 0,
				markHeard: round % 2 === 0,
			};
			const child = new Child(childScript.script(), config);

			await child.waitFor(event => event.event === 'begin');

			await sleep(randomBetween(0, 400));

			await child.kill();
			child.assertNoError();

			await ageLeftoverLock(tape);

			// Replay what the child reported to know which messages were finished.
			const model = new Map<string, RingEntry>([...before.values()].map(({meta}) => [meta.id, toEntry(meta)]));
			let inFlight: {id: string; atMostMs: number; atLeastMs: number} | undefined;
			for (const event of child.events) {
				if (event.event === 'begin') {
					inFlight = {id: event.id, atMostMs: chunkMs, atLeastMs: 0};
				} else if ((event.event === 'wrote' || event.event === 'commit') && inFlight) {
					// A write may have happened without its report, but not after 'commit'.
					inFlight.atMostMs = event.ms + (event.event === 'commit' ? 0 : chunkMs);
					inFlight.atLeastMs = event.ms - 1000;
				} else if (event.event === 'saved') {
					for (const id of event.evicted) {
						model.delete(id);
					}

					model.set(event.id, {id: event.id, from: event.from, createdAt: event.createdAt, durationMs: event.durationMs, heard: false, keep: false, erased: false});
					inFlight = undefined;
				} else if (event.event === 'heard') {
					// Set only if the mark completes; the next begin proves it did.
					const entry = model.get(event.id);
					if (entry) {
						entry.heard = true;
					}
				} else if (event.event === 'too-short' || event.event === 'tape-full') {
					inFlight = undefined;
				}
			}

			const lastHeard = child.events.findLast(event => event.event === 'heard' || event.event === 'begin');
			const uncertainHeard = lastHeard?.event === 'heard' ? lastHeard.id : undefined;

			const reopened = await Tape.open(tape.dir);

			const snapshot = await reopened.snapshot();

			await expectCleanStore(reopened, snapshot);
			const present = new Map([...snapshot.messages, ...snapshot.bin].map(message => [message.id, message]));

			// The one message that may have been cut short must be whole, or
			// recovered within a second of what was written, or a hang-up.
			const rescued = inFlight ? present.get(inFlight.id) : undefined;
			if (inFlight && rescued) {
				expect(rescued.durationMs).toBeLessThanOrEqual(Math.min(inFlight.atMostMs, settings.maxMessageMs));
				expect(rescued.durationMs).toBeGreaterThanOrEqual(Math.min(inFlight.atLeastMs, settings.maxMessageMs - 1000));
			} else if (inFlight) {
				expect(inFlight.atLeastMs).toBeLessThan(settings.minMessageMs);
			}

			// Only what placing that message needed may be gone: exactly what the
			// ring would have freed for it, nothing more, and nothing finished.
			const entries = [...model.values()].map(entry => (entry.id === uncertainHeard ? {...entry, heard: present.get(entry.id)?.heard ?? entry.heard} : entry));
			const plan = rescued ? planRoom(entries, settings.tapeMs, rescued.durationMs) : {fits: true as const, evict: []};
			expect(plan.fits).toBe(true);
			const missing = [...model.keys()].filter(id => !present.has(id)).sort();
			expect(missing).toEqual(plan.fits ? [...plan.evict].sort() : []);

			for (const entry of model.values()) {
				const message = present.get(entry.id);
				if (message === undefined) {
					continue;
				}

				expect(toEntry(message)).toEqual(entry.id === uncertainHeard ? {...entry, heard: message.heard} : entry);
				const old = before.get(entry.id);
				if (old) {
					expect(await digest(message.file)).toBe(old.wav);
				}
			}

			const extra = [...present.keys()].filter(id => !model.has(id) && id !== inFlight?.id);
			expect(extra).toEqual([]);
		}
	});

	it('does not place a message twice when the crash came after its metadata was written', async () => {
		// The last step of a commit removes tmp/ID.json, the note that says a
		// recording is in progress. Dying just before it leaves a message that is
		// already in place and a note about it; the next open must not place the
		// message again, which would count it twice and overwrite others for room.
		const tape = await newStore({tapeMs: 10_000, maxMessageMs: 5000, minMessageMs: 1000});
		const older = await recordHere(tape, 4000, 'jo');
		await tape.mark([older], true);
		const placed = await recordHere(tape, 4000, 'sam');
		await tape.keep([placed], true);
		await tape.mark([placed], true);
		const before = await finished(tape);

		const dead = spawn(process.execPath, ['-e', '']);
		const pid = await new Promise<number>(resolve => {
			dead.on('close', () => {
				resolve(dead.pid!);
			});
		});
		const meta = before.get(placed)!.meta;
		const owner: DraftOwner = {id: placed, for: meta.for, from: meta.from, createdAt: meta.createdAt, pid, host: hostname()};
		await writeFile(path.join(tape.tmpDir, `${placed}.json`), JSON.stringify(owner) + '\n', {mode: 0o600});

		const reopened = await Tape.open(tape.dir);
		const snapshot = await reopened.snapshot();
		await expectCleanStore(reopened, snapshot);
		expect(await finished(reopened)).toEqual(before);
	});
});

describe('kill -9 between the two files of an overwritten message', () => {
	it('finishes the removal at next open instead of leaving half a message', async () => {
		// Freeing space removes a message's metadata (moved to tmp/ID.evicted, so
		// the message is gone at once) and then its audio. Dying in between
		// leaves the audio alone in messages/; the next open must remove it,
		// while a stray WAV that no removal was under way for stays untouched.
		const tape = await newStore({tapeMs: 60_000, maxMessageMs: 5000, minMessageMs: 1000});
		const kept = await recordHere(tape, 1500, 'jo');
		const overwritten = await recordHere(tape, 1500, 'sam');
		const before = await finished(tape);
		await rename(path.join(tape.messagesDir, `${overwritten}.json`), path.join(tape.tmpDir, `${overwritten}.evicted`));
		const stray = path.join(tape.messagesDir, '20200101-000000-000-aaaaaa.wav');
		await writeFile(stray, 'not ours');

		const reopened = await Tape.open(tape.dir);
		// A lone WAV is reported once its metadata can no longer be on its way (see arrivalGraceMs).
		const snapshot = await reopened.snapshot({now: Date.now() + arrivalGraceMs + 1000});
		expect(snapshot.problems.map(problem => problem.file)).toEqual([stray]);
		expect(await readdir(tape.tmpDir)).toEqual([]);
		expect((await readdir(tape.messagesDir)).sort()).toEqual([`${kept}.json`, `${kept}.wav`, path.basename(stray)].sort());
		expect((await finished(reopened)).get(kept)).toEqual(before.get(kept));
	});
});

describe('kill -9 while erasing, restoring, keeping or marking', () => {
	it('leaves every message whole, and every change before the kill in place', async () => {
		const tape = await newStore({tapeMs: 60_000, maxMessageMs: 5000, minMessageMs: 1000});
		const ids: string[] = [];
		for (const from of ['jo', 'sam', 'alex', 'jo', 'kim']) {
			ids.push(await recordHere(tape, 1500, from));
		}

		for (let round = 0; round < 8 * soak; round++) {
			const before = await finished(tape);
			const child = new Child(childScript.script(), {mode: 'change', store: tape.dir, ids});

			await child.waitFor(event => event.event === 'op');

			await sleep(randomBetween(0, 150));

			await child.kill();
			child.assertNoError();

			await ageLeftoverLock(tape);

			const flags = new Map([...before.values()].map(({meta}) => [meta.id, {heard: meta.heard, keep: meta.keep, erased: meta.erasedAt !== null}]));
			const ops = child.events.filter((event): event is Extract<ChildEvent, {event: 'op'}> => event.event === 'op');
			const apply = (op: string, id: string) => {
				const current = flags.get(id)!;
				// The rules of the store's commands: keep and mark act on live
				// messages only; an erased message stays kept, to be restored kept.
				switch (op) {
					case 'erase': {
						flags.set(id, {...current, erased: true});
						break;
					}

					case 'restore': {
						flags.set(id, {...current, erased: false});
						break;
					}

					case 'keep':
					case 'unkeep': {
						if (!current.erased) {
							flags.set(id, {...current, keep: op === 'keep'});
						}

						break;
					}

					default: {
						if (!current.erased) {
							flags.set(id, {...current, heard: op === 'heard'});
						}
					}
				}
			};

			for (const op of ops.slice(0, -1)) {
				apply(op.op, op.id);
			}

			const last = ops.at(-1)!;
			const unchanged = {...flags.get(last.id)!};
			apply(last.op, last.id);
			const changed = flags.get(last.id)!;

			const reopened = await Tape.open(tape.dir);

			const snapshot = await reopened.snapshot();

			await expectCleanStore(reopened, snapshot);
			const all = [...snapshot.messages, ...snapshot.bin];
			expect(all.map(message => message.id).sort()).toEqual([...ids].sort());
			for (const message of all) {
				const seen = {heard: message.heard, keep: message.keep, erased: message.erasedAt !== null};
				if (message.id === last.id) {
					// The kill may have come before or after this one took effect.
					expect([unchanged, changed]).toContainEqual(seen);
				} else {
					expect(seen).toEqual(flags.get(message.id));
				}

				expect(await digest(message.file)).toBe(before.get(message.id)!.wav);
			}
		}
	});
});
