// The tape store on real folders: its layout and file format, its capacity
// rules, the undo bin and flags, a random-history model check, and its
// manners with files it did not write.
import {execFileSync} from 'node:child_process';
import {
	chmod, mkdir, readdir, readFile, rm, stat, utimes, writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {msToPcmBytes, readWavInfo, wavHeader} from '../../src/pcm/wav.js';
import {isMessageId, newMessageId} from '../../src/tape/message.js';
import {planRoom, roomMs, type RingEntry} from '../../src/tape/ring.js';
import {arrivalGraceMs} from '../../src/tape/scanner.js';
import {defaultSettings, type TapeSettings} from '../../src/tape/settings.js';
import {judgePoll, Tape, TapeFullError, type CommitResult} from '../../src/tape/store.js';
import {expectedHeader, pcm, rawHeader} from '../helpers/pcm.js';
import {tempFolders} from '../helpers/temp.js';

const scratch = tempFolders('answerphone-store-');

/** A store in a folder that does not exist yet, so that open() has to create it. */
async function newTape(settings?: Partial<TapeSettings>): Promise<Tape> {
	const tape = await Tape.open(path.join(await scratch(), 'store'));
	if (settings) {
		await tape.updateSettings(settings);
	}

	return tape;
}

// A small tape so that a handful of messages fills it.
const small = {tapeMs: 10_000, maxMessageMs: 3000, minMessageMs: 1000};

let clock = Date.UTC(2026, 10, 27, 9, 0, 0);
const tick = () => new Date((clock += 1000));

/** Records ms of sound the way a microphone would deliver it: in small chunks. */
async function record(tape: Tape, ms: number, from = 'jo', now = tick()): Promise<CommitResult> {
	const draft = await tape.beginDraft({from}, now);
	const sound = pcm(ms, draft.id);
	const chunk = msToPcmBytes(250);
	for (let offset = 0; offset < sound.length; offset += chunk) {
		draft.write(sound.subarray(offset, offset + chunk));
	}

	return draft.commit();
}

async function saved(tape: Tape, ms: number, from = 'jo'): Promise<string> {
	const result = await record(tape, ms, from);
	if (result.status !== 'saved') {
		throw new Error(`expected the message to be saved, got ${result.status}`);
	}

	return result.message.id;
}

// Plain code-point order: ids and ISO times are meant to sort by it.
const byText = (a: string, b: string) => (a < b ? -1 : (a > b ? 1 : 0));
const mode = async (file: string) => (await stat(file)).mode & 0o777;
const files = async (folder: string) => (await readdir(folder)).sort();

describe('layout and format', () => {
	it('keeps each message as one WAV and one JSON file in messages/, with nothing left in tmp/', async () => {
		const tape = await newTape();
		const result = await record(tape, 1500, 'sam');
		expect(result.status).toBe('saved');
		const {message} = result as Extract<CommitResult, {status: 'saved'}>;
		expect(isMessageId(message.id)).toBe(true);
		expect(await files(tape.messagesDir)).toEqual([`${message.id}.json`, `${message.id}.wav`]);
		expect(await files(tape.tmpDir)).toEqual([]);
		expect(message.file).toBe(path.join(tape.messagesDir, `${message.id}.wav`));

		const meta: unknown = JSON.parse(await readFile(path.join(tape.messagesDir, `${message.id}.json`), 'utf8'));
		expect(meta).toMatchObject({
			id: message.id,
			for: 'everyone',
			from: 'sam',
			createdAt: message.createdAt,
			durationMs: 1500,
			heard: false,
			keep: false,
			recovered: false,
			erasedAt: null,
		});
	});

	it('writes 16 kHz mono 16-bit PCM under a header whose sizes match the file', async () => {
		const tape = await newTape();
		const id = await saved(tape, 2345);
		const file = path.join(tape.messagesDir, `${id}.wav`);
		const bytes = await readFile(file);
		expect(rawHeader(bytes)).toEqual(expectedHeader(bytes.length));
		expect(bytes.length).toBe(44 + msToPcmBytes(2345));
		expect(bytes.subarray(44).equals(pcm(2345, id))).toBe(true);
		expect(await readWavInfo(file)).toMatchObject({format: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16, dataOffset: 44, durationMs: 2345});

		// Readers other than our own must agree, since messages are played and
		// exported with outside programs.
		const python = execFileSync('python3', ['-c', [
			'import sys, wave',
			'w = wave.open(sys.argv[1])',
			'print(w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes())',
		].join('\n'), file], {encoding: 'utf8'});
		expect(python.trim()).toBe(`1 2 16000 ${(2345 * 16_000) / 1000}`);
		if (findProgram('soxi')) {
			const soxi = ['-t', '-r', '-c', '-b', '-s'].map(flag => execFileSync('soxi', [flag, file], {encoding: 'utf8'}).trim());
			expect(soxi).toEqual(['wav', '16000', '1', '16', String((2345 * 16_000) / 1000)]);
		}
	});

	it('grows a recording in tmp/ and shows it only once committed', async () => {
		const tape = await newTape();
		const draft = await tape.beginDraft({from: 'jo', for: 'sam'});
		draft.write(pcm(1200, draft.id));
		await draft.waitForDrain();
		expect(await files(tape.tmpDir)).toEqual([`${draft.id}.json`, `${draft.id}.wav`]);
		expect(await files(tape.messagesDir)).toEqual([]);
		expect((await tape.snapshot()).messages).toEqual([]);

		const result = await draft.commit();
		expect(result.status).toBe('saved');
		expect(await files(tape.tmpDir)).toEqual([]);
		expect((await tape.snapshot()).messages.map(message => [message.id, message.for, message.durationMs])).toEqual([[draft.id, 'sam', 1200]]);
	});

	it('keeps recordings private: folder 0700, files 0600, drafts included', async () => {
		const tape = await newTape();
		await tape.updateSettings({tapeMs: 60_000});
		const draft = await tape.beginDraft({from: 'jo'});
		draft.write(pcm(1000));
		// The draft's file is opened asynchronously by its write stream.
		await expect.poll(async () => stat(draft.file).then(() => true, () => false)).toBe(true);
		expect(await mode(draft.file)).toBe(0o600);
		expect(await mode(path.join(tape.tmpDir, `${draft.id}.json`))).toBe(0o600);
		await draft.commit();
		const id = await saved(tape, 1000);
		await tape.erase([id]);
		await tape.restore([id]);

		expect(await mode(tape.dir)).toBe(0o700);
		expect(await mode(tape.settingsFile)).toBe(0o600);
		for (const name of await readdir(tape.messagesDir)) {
			expect([name, await mode(path.join(tape.messagesDir, name))]).toEqual([name, 0o600]);
		}
	});

	it('makes an existing store folder private when it opens it', async () => {
		const dir = path.join(await scratch(), 'shared');
		await mkdir(dir, {mode: 0o755});
		await chmod(dir, 0o755);
		await Tape.open(dir);
		expect(await mode(dir)).toBe(0o700);
	});

	it('gives ids that are unique and sort in recording order', () => {
		const instant = fc.integer({min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31)});
		fc.assert(fc.property(fc.array(instant, {minLength: 2, maxLength: 40}), times => {
			const ids = times.map(time => ({time, id: newMessageId(new Date(time))}));
			for (const {id} of ids) {
				expect(isMessageId(id)).toBe(true);
			}

			const sorted = [...ids].sort((a, b) => byText(a.id, b.id));
			for (let index = 1; index < sorted.length; index++) {
				expect(sorted[index]!.time).toBeGreaterThanOrEqual(sorted[index - 1]!.time);
			}
		}));

		// Two computers sharing the folder may record in the same millisecond.
		const sameInstant = new Date();
		const many = Array.from({length: 5000}, () => newMessageId(sameInstant));
		expect(new Set(many).size).toBe(many.length);
	});
});

describe('capacity settings', () => {
	it('lives in settings.json inside the store, with the answering-machine defaults', async () => {
		const tape = await newTape();
		expect(await tape.readSettings()).toEqual({tapeMs: 20 * 60_000, maxMessageMs: 60_000, minMessageMs: 1000});
		expect(defaultSettings).toEqual({tapeMs: 20 * 60_000, maxMessageMs: 60_000, minMessageMs: 1000});

		await tape.updateSettings({tapeMs: 5 * 60_000});
		const other = await Tape.open(tape.dir);
		expect(await other.readSettings()).toEqual({tapeMs: 5 * 60_000, maxMessageMs: 60_000, minMessageMs: 1000});
		expect(JSON.parse(await readFile(path.join(tape.dir, 'settings.json'), 'utf8'))).toMatchObject({tapeMs: 300_000});

		await expect(tape.updateSettings({minMessageMs: 90_000})).rejects.toThrow(/minimum/);
		await expect(tape.updateSettings({tapeMs: 30_000})).rejects.toThrow(/tape/);
		expect(await other.readSettings()).toEqual({tapeMs: 5 * 60_000, maxMessageMs: 60_000, minMessageMs: 1000});
	});

	it('drops a recording shorter than the minimum as a hang-up', async () => {
		const tape = await newTape(small);
		expect(await record(tape, 999)).toEqual({status: 'too-short', durationMs: 999, minMessageMs: 1000});
		expect(await files(tape.messagesDir)).toEqual([]);
		expect(await files(tape.tmpDir)).toEqual([]);
		expect((await record(tape, 1000)).status).toBe('saved');
	});

	it('cuts a message at the per-message limit and keeps the start of it', async () => {
		const tape = await newTape(small);
		const draft = await tape.beginDraft({from: 'rickman'});
		expect(draft.limitMs).toBe(3000);
		const sound = pcm(5000, draft.id);
		for (let offset = 0; offset < sound.length; offset += 4000) {
			draft.write(sound.subarray(offset, offset + 4000));
		}

		expect(draft.full).toBe(true);
		const result = await draft.commit();
		expect(result).toMatchObject({status: 'saved', cutAtLimit: true, message: {durationMs: 3000}});
		const bytes = await readFile(path.join(tape.messagesDir, `${draft.id}.wav`));
		expect(rawHeader(bytes)).toEqual(expectedHeader(44 + msToPcmBytes(3000)));
		expect(bytes.subarray(44).equals(sound.subarray(0, msToPcmBytes(3000)))).toBe(true);
	});

	it('limits a recording to the room that kept messages leave', async () => {
		const tape = await newTape(small);
		const kept = [await saved(tape, 3000), await saved(tape, 3000), await saved(tape, 2500)];
		await tape.keep(kept, true);
		const draft = await tape.beginDraft({from: 'sam'});
		expect(draft.limitMs).toBe(1500);
		await draft.discard();
		expect(await files(tape.tmpDir)).toEqual([]);
	});
});

describe('undo bin, keep and heard', () => {
	it('erases into a bin that counts as free tape, and restores from it', async () => {
		const tape = await newTape(small);
		const [first, second] = [await saved(tape, 2000), await saved(tape, 1500)];
		await tape.erase([first]);
		let snapshot = await tape.snapshot();
		expect(snapshot.messages.map(message => message.id)).toEqual([second]);
		expect(snapshot.bin.map(message => message.id)).toEqual([first]);
		expect([snapshot.usedMs, snapshot.binMs]).toEqual([1500, 2000]);
		// Erasing is undoable, so the audio stays until the ring needs the room;
		// the erase itself is a state file beside the message, which never changes.
		expect(await files(tape.messagesDir)).toEqual([`${first}.json`, `${first}.state.test-computer.json`, `${first}.wav`, `${second}.json`, `${second}.wav`].sort());

		await tape.restore([first.slice(0, 22)]);
		snapshot = await tape.snapshot();
		expect(snapshot.messages.map(message => message.id)).toEqual([first, second]);
		expect([snapshot.usedMs, snapshot.binMs]).toEqual([3500, 0]);
	});

	it('marks heard and new, keeps and unkeeps, and a kept message is restored kept', async () => {
		const tape = await newTape(small);
		const id = await saved(tape, 1000);
		const flags = async () => {
			const snapshot = await tape.snapshot();
			const message = [...snapshot.messages, ...snapshot.bin].find(each => each.id === id)!;
			return {heard: message.heard, keep: message.keep, erased: message.erasedAt !== null};
		};

		await tape.mark([id], true);
		expect(await flags()).toEqual({heard: true, keep: false, erased: false});
		await tape.keep([id], true);
		expect(await flags()).toEqual({heard: true, keep: true, erased: false});
		await tape.mark([id], false);
		expect(await flags()).toEqual({heard: false, keep: true, erased: false});
		await tape.erase([id]);
		expect(await flags()).toEqual({heard: false, keep: true, erased: true});
		await tape.restore([id]);
		expect(await flags()).toEqual({heard: false, keep: true, erased: false});
		await expect(tape.erase(['20000101-000000-000-aaaaaa'])).rejects.toThrow(/no message/);
	});

	it('shows exact sums of the durations on the gauge', async () => {
		const tape = await newTape(small);
		const ids = [await saved(tape, 1001), await saved(tape, 1999), await saved(tape, 2003), await saved(tape, 1337)];
		await tape.erase([ids[1]!]);
		const snapshot = await tape.snapshot();
		expect(snapshot.usedMs).toBe(1001 + 2003 + 1337);
		expect(snapshot.binMs).toBe(1999);
		for (const message of [...snapshot.messages, ...snapshot.bin]) {
			expect((await readWavInfo(message.file)).durationMs).toBe(message.durationMs);
		}
	});
});

describe('the ring on disk', () => {
	it('overwrites the bin, then heard messages, then the biggest holder\'s unheard ones', async () => {
		const tape = await newTape(small);
		const jo1 = await saved(tape, 3000, 'jo');
		const jo2 = await saved(tape, 3000, 'jo');
		const sam = await saved(tape, 2000, 'sam');
		const alex = await saved(tape, 2000, 'alex');
		await tape.mark([sam], true);
		await tape.erase([alex]);

		expect(await record(tape, 3000, 'kim')).toMatchObject({status: 'saved', evicted: [alex, sam]});
		expect(await record(tape, 3000, 'kim')).toMatchObject({status: 'saved', evicted: [jo1]});
		const names = await files(tape.messagesDir);
		for (const gone of [alex, sam, jo1]) {
			expect(names.filter(name => name.startsWith(gone))).toEqual([]);
		}

		expect(names.filter(name => name.startsWith(jo2))).toHaveLength(2);
		const snapshot = await tape.snapshot();
		expect(snapshot.usedMs + snapshot.binMs).toBeLessThanOrEqual(small.tapeMs);
	});

	it('says TAPE FULL and adds nothing when every message is kept', async () => {
		const tape = await newTape(small);
		const ids = [await saved(tape, 3000), await saved(tape, 3000), await saved(tape, 3000), await saved(tape, 1000)];
		await tape.keep(ids, true);
		await expect(tape.beginDraft({from: 'sam'})).rejects.toBeInstanceOf(TapeFullError);
		expect(await files(tape.tmpDir)).toEqual([]);
		expect((await tape.snapshot()).messages.map(message => message.id)).toEqual(ids);
	});

	it('keeps what fits, or nothing, when the room went while recording', async () => {
		const tape = await newTape(small);
		const ids = [await saved(tape, 3000), await saved(tape, 3000), await saved(tape, 3000)];
		const draft = await tape.beginDraft({from: 'sam'});
		draft.write(pcm(3000, draft.id));
		// Someone else keeps everything meanwhile, leaving one second of tape.
		await (await Tape.open(tape.dir)).keep(ids, true);
		expect(await draft.commit()).toMatchObject({status: 'saved', evicted: [], message: {durationMs: 1000}});
		const bytes = await readFile(path.join(tape.messagesDir, `${draft.id}.wav`));
		expect(rawHeader(bytes)).toEqual(expectedHeader(44 + msToPcmBytes(1000)));

		await tape.keep([draft.id], true);
		await expect(tape.beginDraft({from: 'alex'})).rejects.toBeInstanceOf(TapeFullError);

		// And when not even the minimum is left, the draft goes and nothing is added.
		await tape.keep([draft.id], false);
		const last = await tape.beginDraft({from: 'alex'});
		last.write(pcm(2000, last.id));
		await tape.keep([draft.id], true);
		expect(await last.commit()).toEqual({status: 'tape-full', roomMs: 0});
		expect(await files(tape.tmpDir)).toEqual([]);
		expect((await tape.snapshot()).messages).toHaveLength(4);
	});
});

// Random histories against a small tape, checked step by step against a
// model that knows only what the issue promises.
type Operation =
	| {kind: 'record'; ms: number; from: string}
	| {kind: 'erase' | 'restore'; pick: number}
	| {kind: 'keep' | 'mark'; pick: number; on: boolean}
	| {kind: 'reopen'};

const operation: fc.Arbitrary<Operation> = fc.oneof(
	{weight: 5, arbitrary: fc.record({kind: fc.constant('record' as const), ms: fc.integer({min: 0, max: 4000}), from: fc.constantFrom('jo', 'sam', 'alex')})},
	{weight: 2, arbitrary: fc.record({kind: fc.constantFrom('erase' as const, 'restore' as const), pick: fc.nat()})},
	{weight: 2, arbitrary: fc.record({kind: fc.constantFrom('keep' as const, 'mark' as const), pick: fc.nat(), on: fc.boolean()})},
	{weight: 1, arbitrary: fc.constant({kind: 'reopen' as const})},
);

type ModelMessage = RingEntry & {everKeptSinceLastUnkeep: boolean};

describe('random histories', () => {
	it('keep the store and a simple model in step', async () => {
		await fc.assert(fc.asyncProperty(fc.array(operation, {maxLength: 22}), async operations => {
			let tape = await newTape(small);
			const model = new Map<string, ModelMessage>();
			const live = () => [...model.values()].filter(message => !message.erased).sort((a, b) => byText(a.createdAt, b.createdAt) || byText(a.id, b.id));
			const binned = () => [...model.values()].filter(message => message.erased);

			for (const step of operations) {
				switch (step.kind) {
					case 'record': {
						const room = roomMs([...model.values()], small.tapeMs);
						const now = tick();
						if (room < small.minMessageMs) {
							await expect(tape.beginDraft({from: step.from}, now)).rejects.toBeInstanceOf(TapeFullError);
							break;
						}

						const expectedMs = Math.min(step.ms, small.maxMessageMs, room);

						const result = await record(tape, step.ms, step.from, now);
						if (expectedMs < small.minMessageMs) {
							expect(result).toEqual({status: 'too-short', durationMs: expectedMs, minMessageMs: small.minMessageMs});
							break;
						}

						const plan = planRoom([...model.values()], small.tapeMs, expectedMs);
						expect(plan.fits).toBe(true);
						expect(result).toMatchObject({status: 'saved', cutAtLimit: step.ms > expectedMs, message: {durationMs: expectedMs, from: step.from}});
						const {message, evicted} = result as Extract<CommitResult, {status: 'saved'}>;
						expect(evicted).toEqual(plan.fits ? plan.evict : []);
						for (const id of evicted) {
							expect(model.get(id)?.everKeptSinceLastUnkeep).toBe(false);
							model.delete(id);
						}

						model.set(message.id, {
							id: message.id, from: step.from, createdAt: message.createdAt, durationMs: expectedMs, heard: false, keep: false, erased: false, everKeptSinceLastUnkeep: false,
						});

						const bytes = await readFile(message.file);
						expect(rawHeader(bytes)).toEqual(expectedHeader(44 + msToPcmBytes(expectedMs)));
						break;
					}

					case 'erase':
					case 'restore': {
						const pool = step.kind === 'erase' ? live() : binned();
						const target = pool[step.pick % Math.max(1, pool.length)];
						if (target) {
							await (step.kind === 'erase' ? tape.erase([target.id], tick()) : tape.restore([target.id]));
							target.erased = step.kind === 'erase';
							// Kept in the bin and restored kept, but the bin may be overwritten.
							target.everKeptSinceLastUnkeep = !target.erased && target.keep;
						}

						break;
					}

					case 'keep':
					case 'mark': {
						const pool = live();
						const target = pool[step.pick % Math.max(1, pool.length)];
						if (target) {
							await (step.kind === 'keep' ? tape.keep([target.id], step.on) : tape.mark([target.id], step.on));
							if (step.kind === 'keep') {
								target.keep = step.on;
								target.everKeptSinceLastUnkeep = step.on;
							} else {
								target.heard = step.on;
							}
						}

						break;
					}

					case 'reopen': {
						tape = await Tape.open(tape.dir);
						break;
					}
				}

				const snapshot = await tape.snapshot();
				const shown = (list: typeof snapshot.messages) => list.map(message => ({id: message.id, heard: message.heard, keep: message.keep, durationMs: message.durationMs}));
				const modelled = (list: ModelMessage[]) => list.map(message => ({id: message.id, heard: message.heard, keep: message.keep, durationMs: message.durationMs}));
				expect(shown(snapshot.messages)).toEqual(modelled(live()));
				expect(shown(snapshot.bin).sort((a, b) => byText(a.id, b.id))).toEqual(modelled(binned()).sort((a, b) => byText(a.id, b.id)));
				expect(snapshot.usedMs).toBe(live().reduce((sum, message) => sum + message.durationMs, 0));
				expect(snapshot.binMs).toBe(binned().reduce((sum, message) => sum + message.durationMs, 0));
				expect(snapshot.usedMs + snapshot.binMs).toBeLessThanOrEqual(small.tapeMs);
				expect(snapshot.problems).toEqual([]);

				expect(await files(tape.tmpDir)).toEqual([]);

				// A message's own two files, and this computer's state file once it changed:
				// an overwritten message takes all three with it.
				const listed = await files(tape.messagesDir);
				expect(listed.filter(name => !name.includes('.state.'))).toEqual([...model.keys()].flatMap(id => [`${id}.json`, `${id}.wav`]).sort());
				expect(listed.filter(name => name.includes('.state.')).map(name => name.slice(0, name.indexOf('.')))).toEqual(listed.filter(name => name.includes('.state.')).map(name => name.slice(0, name.indexOf('.'))).filter(id => model.has(id)));
			}
		}), {numRuns: 40});
	});
});

describe('files the store did not write', () => {
	const id = (n: number) => `20261127-0900${String(n).padStart(2, '0')}-000-aaaaaa`;
	const meta = (n: number, extra: Record<string, unknown> = {}) => JSON.stringify({
		id: id(n), for: 'everyone', from: 'stranger', createdAt: new Date(Date.UTC(2026, 10, 27, 9, 0, n)).toISOString(), durationMs: 2000, heard: true, keep: false, recovered: false, erasedAt: null, ...extra,
	});
	const wav = (ms: number) => Buffer.concat([wavHeader(msToPcmBytes(ms)), pcm(ms)]);

	it('reports them as problems, skips them, and never deletes or changes them', async () => {
		let tape = await newTape(small);
		const good = await saved(tape, 2000, 'jo');
		const junk: Record<string, string | Buffer> = {
			'notes.txt': 'shopping: milk\n',
			README: 'not a message',
			[`${id(1)}.json`]: '{"id": "broken',
			[`${id(1)}.wav`]: wav(2000),
			[`${id(2)}.json`]: meta(2),
			[`${id(3)}.wav`]: wav(2000),
			[`${id(4)}.json`]: meta(4),
			[`${id(4)}.wav`]: wav(2000).subarray(0, 44 + msToPcmBytes(500)),
			[`${id(5)}.json`]: meta(5),
			[`${id(5)}.wav`]: wav(2000).subarray(0, 20),
			[`${id(6)}.json`]: meta(6, {id: id(60)}),
			[`${id(6)}.wav`]: wav(2000),
			[`${id(7)}.json`]: 'null',
			[`${id(7)}.wav`]: wav(2000),
			[`${id(8)}.json`]: meta(8, {durationMs: 'long'}),
			[`${id(8)}.wav`]: wav(2000),
			[`${id(9)}.WAV`]: wav(2000),
			'.DS_Store': 'finder litter',
		};
		for (const [name, content] of Object.entries(junk)) {
			await writeFile(path.join(tape.messagesDir, name), content);
		}

		// tmp/ is the store's own, but a stray file there is still not ours to delete.
		const strayDraft = `${id(11)}.wav`;
		await writeFile(path.join(tape.tmpDir, 'notes.txt'), 'mine');
		await writeFile(path.join(tape.tmpDir, strayDraft), wav(1000));
		await mkdir(path.join(tape.messagesDir, 'holiday photos'));
		await mkdir(path.join(tape.messagesDir, `${id(10)}.json`));
		await writeFile(path.join(tape.messagesDir, `${id(10)}.wav`), wav(2000));

		const expectProblems = async (current: Tape) => {
			// Half a message is reported once its other half can no longer be on its way (see arrivalGraceMs).
			const snapshot = await current.snapshot({now: Date.now() + arrivalGraceMs + 1000});
			expect(snapshot.problems.map(problem => path.basename(problem.file)).sort()).toEqual([
				`${id(1)}.json`, `${id(10)}.json`, `${id(2)}.json`, `${id(3)}.wav`, `${id(4)}.wav`, `${id(5)}.wav`, `${id(6)}.json`, `${id(7)}.json`, `${id(8)}.json`, `${id(9)}.WAV`, 'README', 'holiday photos', 'notes.txt',
			].sort());
			for (const problem of snapshot.problems) {
				expect(problem.reason).not.toBe('');
			}

			return snapshot;
		};

		let snapshot = await expectProblems(tape);
		expect(snapshot.messages.map(message => message.id)).toEqual([good]);
		expect(snapshot.usedMs).toBe(2000);

		// Fill the tape several times over, so that the ring has every reason
		// to free space: only our own messages may go.
		for (let round = 0; round < 8; round++) {
			expect((await record(tape, 3000, 'sam')).status).toBe('saved');
		}

		const all = await tape.snapshot();
		await tape.erase([all.messages[0]!.id]);
		await tape.mark(all.messages.map(message => message.id).slice(1), true);
		tape = await Tape.open(tape.dir);
		snapshot = await expectProblems(tape);
		expect(snapshot.usedMs + snapshot.binMs).toBeLessThanOrEqual(small.tapeMs);
		expect(snapshot.messages.map(message => message.from)).not.toContain('stranger');

		for (const [name, content] of Object.entries(junk)) {
			expect([name, (await readFile(path.join(tape.messagesDir, name))).equals(Buffer.from(content))]).toEqual([name, true]);
		}

		expect((await stat(path.join(tape.messagesDir, 'holiday photos'))).isDirectory()).toBe(true);
		expect(await files(tape.tmpDir)).toEqual(['notes.txt', strayDraft].sort());
		expect((await stat(path.join(tape.messagesDir, `${id(10)}.wav`))).isFile()).toBe(true);
	});

	it('sweeps metadata copies a crash left half-written in tmp/, once they are old', async () => {
		const tape = await newTape();
		const id = await saved(tape, 1000);
		const old = path.join(tape.tmpDir, `${id}.json.4242-deadbeef.part`);
		const fresh = path.join(tape.tmpDir, `${id}.json.4243-feedface.part`);
		await writeFile(old, '{"id": "half');
		await writeFile(fresh, '{"id": "half');
		// A copy still being written belongs to a live process: only old ones go.
		const longAgo = new Date(Date.now() - 10 * 60_000);
		await utimes(old, longAgo, longAgo);
		await Tape.open(tape.dir);
		expect(await files(tape.tmpDir)).toEqual([path.basename(fresh)]);
		expect((await tape.snapshot()).messages.map(message => message.id)).toEqual([id]);
	});

	it('takes a missing settings file or setting as the default, and never guesses for a broken one', async () => {
		const tape = await newTape();
		expect(await tape.readSettings()).toEqual(defaultSettings);
		await writeFile(tape.settingsFile, '{"tapeMs": "lots"');
		await expect(tape.readSettings()).rejects.toThrow(/damaged/);
		await writeFile(tape.settingsFile, '{"tapeMs": 120000}');
		expect(await tape.readSettings()).toEqual({...defaultSettings, tapeMs: 120_000});
		expect((await record(tape, 1000)).status).toBe('saved');
	});
});

describe('a screen told which messages changed', () => {
	type Step =
		| {kind: 'record'; ms: number}
		| {kind: 'mark' | 'erase' | 'restore' | 'keep'; pick: number}
		| {kind: 'lose-audio' | 'lose-metadata'; pick: number}
		| {kind: 'foreign'}
		| {kind: 'stray-beside'; pick: number; name: '.txt' | '.json~' | '.WAV'};
	const step: fc.Arbitrary<Step> = fc.oneof(
		fc.record({kind: fc.constant('record' as const), ms: fc.integer({min: 1000, max: 2500})}),
		fc.record({kind: fc.constantFrom('mark' as const, 'erase' as const, 'restore' as const, 'keep' as const), pick: fc.nat()}),
		fc.record({kind: fc.constantFrom('lose-audio' as const, 'lose-metadata' as const), pick: fc.nat()}),
		fc.constant({kind: 'foreign' as const}),
		fc.record({kind: fc.constant('stray-beside' as const), pick: fc.nat(), name: fc.constantFrom('.txt' as const, '.json~' as const, '.WAV' as const)}),
	);

	it('sees, looking at just those, what a full look at the folder sees', async () => {
		await fc.assert(fc.asyncProperty(fc.array(step, {minLength: 1, maxLength: 14}), async steps => {
			const tape = await newTape({tapeMs: 600_000});
			await tape.snapshot({remember: true});
			const ids: string[] = [];
			let foreign = 0;
			for (const next of steps) {
				const id = ids.length > 0 ? ids[('pick' in next ? next.pick : 0) % ids.length]! : undefined;
				// What fs.watch would name: the files' names (a change is its state file).
				let changed: Set<string> | 'all' = new Set(id === undefined ? [] : [`${id}.state.test-computer.json`]);
				switch (next.kind) {
					case 'record': {
						const result = await record(tape, next.ms);
						if (result.status === 'saved') {
							ids.push(result.message.id);
							changed = new Set([`${result.message.id}.wav`, `${result.message.id}.json`]);
						}

						break;
					}

					case 'mark':
					case 'keep': {
						await tape[next.kind]([id!].filter(Boolean), true).catch(() => undefined);
						break;
					}

					case 'erase':
					case 'restore': {
						await tape[next.kind]([id!].filter(Boolean)).catch(() => undefined);
						break;
					}

					case 'lose-audio':
					case 'lose-metadata': {
						if (id !== undefined) {
							const name = `${id}.${next.kind === 'lose-audio' ? 'wav' : 'json'}`;

							await rm(path.join(tape.messagesDir, name), {force: true});
							changed = new Set([name]);
						}

						break;
					}

					case 'stray-beside': {
						// A file named after a message, not one of its own two.
						if (id !== undefined) {
							await writeFile(path.join(tape.messagesDir, `${id}${next.name}`), 'not mine');
							changed = new Set([`${id}${next.name}`]);
						}

						break;
					}

					case 'foreign': {
						await writeFile(path.join(tape.messagesDir, `notes-${++foreign}.txt`), 'shopping list');
						changed = new Set([`notes-${foreign}.txt`]);
						break;
					}
				}

				const told = await tape.snapshot({remember: true, changed});

				const full = await (await Tape.open(tape.dir)).snapshot({verify: true});
				expect({messages: told.messages, bin: told.bin, problems: told.problems, usedMs: told.usedMs, binMs: told.binMs})
					.toEqual({messages: full.messages, bin: full.bin, problems: full.problems, usedMs: full.usedMs, binMs: full.binMs});
			}
		}), {numRuns: 25});
	});
});

describe('judging a poll of the store', () => {
	const start = judgePoll(undefined, {folder: 'f1', others: 's1', reported: false, now: 0}, 30_000).state;

	it('asks for a full look when the folder changed and the watcher said nothing', () => {
		expect(judgePoll(start, {folder: 'f2', others: 's1', reported: false, now: 1000}, 30_000).report).toBe('all');
		expect(judgePoll(start, {folder: 'f2', others: 's1', reported: true, now: 1000}, 30_000).report).toBeUndefined();
		expect(judgePoll(start, {folder: 'f1', others: 's1', reported: false, now: 1000}, 30_000).report).toBeUndefined();
	});

	it('tells a change of the settings or mailboxes alone', () => {
		expect(judgePoll(start, {folder: 'f1', others: 's2', reported: false, now: 1000}, 30_000).report).toBe('settings');
	});

	it('looks at everything half a minute after the folder first changed, in case the watcher missed something', () => {
		let state = start;
		const reports: Array<string | undefined> = [];
		for (let second = 1; second <= 70; second++) {
			// The watcher reports every change; the folder changes every second.
			const next = judgePoll(state, {folder: `f${second + 1}`, others: 's1', reported: true, now: second * 1000}, 30_000);
			state = next.state;
			reports.push(next.report);
		}

		expect(reports.map((report, index) => (report === 'all' ? index + 1 : undefined)).filter(Boolean)).toEqual([31, 62]);
	});

	it('after one reported change and then quiet, looks once, half a minute later', () => {
		let state = judgePoll(start, {folder: 'f2', others: 's1', reported: true, now: 1000}, 30_000).state;
		const reports: Array<string | undefined> = [];
		for (let second = 2; second <= 100; second++) {
			const next = judgePoll(state, {folder: 'f2', others: 's1', reported: false, now: second * 1000}, 30_000);
			state = next.state;
			reports.push(next.report);
		}

		expect(reports.filter(report => report === 'all')).toHaveLength(1);
		expect(reports.indexOf('all') + 2).toBe(31);
	});

	it('never looks at an unchanged folder again, however long it rests', () => {
		const next = judgePoll(start, {folder: 'f1', others: 's1', reported: false, now: 3_600_000}, 30_000);
		expect(next.report).toBeUndefined();
	});
});
