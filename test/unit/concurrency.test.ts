// Several processes, one tape: eight callers recording at once into a tape
// that holds only a few of their messages, a lock whose holder died, and
// several processes finding the same abandoned recording.
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {
	mkdtemp, readdir, readFile, utimes, writeFile,
} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {
	describe, expect, it,
} from 'vitest';
import {msToPcmBytes} from '../../src/pcm/wav.js';
import {newMessageId} from '../../src/tape/message.js';
import {Tape} from '../../src/tape/store.js';
import {expectedHeader, pcm, rawHeader} from '../helpers/pcm.js';
import {Child, useTapeChildren, type ChildEvent} from '../helpers/tape-children.js';

const childScript = useTapeChildren();
const {folders} = childScript;

async function newStore(settings: {tapeMs: number; maxMessageMs: number; minMessageMs: number}): Promise<{tape: Tape; folder: string}> {
	const folder = await mkdtemp(path.join(tmpdir(), 'answerphone-many-'));
	folders.push(folder);
	const tape = await Tape.open(path.join(folder, 'store'));
	await tape.updateSettings(settings);
	return {tape, folder};
}

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

type Saved = Extract<ChildEvent, {event: 'saved'}>;

describe('eight processes recording into one small tape', () => {
	it('lose nothing, count nothing twice, free nothing twice and never overfill the tape', async () => {
		const settings = {tapeMs: 20_000, maxMessageMs: 5000, minMessageMs: 1000};
		const {tape, folder} = await newStore(settings);
		const startFile = path.join(folder, 'go');
		const lengths = new Map<string, number>();
		const children = Array.from({length: 8}, (_, index) => {
			const lengthsMs = Array.from({length: 3}, () => 3000 + Math.floor(Math.random() * 2001));
			// Half of them listen to their own message at once: heard messages
			// are what the ring frees first, so eviction takes every path.
			return {lengthsMs, child: new Child(childScript.script(), {
				mode: 'record', store: tape.dir, from: `caller${index}`, lengthsMs, chunkMs: 250, paceMs: 2, markHeard: index % 2 === 0, startFile,
			})};
		});
		await Promise.all(children.map(async ({child}) => child.waitFor(event => event.event === 'ready', 20_000)));

		// While they record, a reader keeps looking: at no moment may the
		// finished messages on the tape add up to more than its capacity.
		let running = true;
		let mostOnTape = 0;
		let looks = 0;
		const watcher = (async () => {
			while (running) {
				const snapshot = await tape.snapshot();
				mostOnTape = Math.max(mostOnTape, snapshot.usedMs + snapshot.binMs);
				looks++;

				await sleep(5);
			}
		})();

		await writeFile(startFile, '');
		const endings = await Promise.all(children.map(async ({child}) => child.exited));
		running = false;
		await watcher;
		for (const [index, {child}] of children.entries()) {
			child.assertNoError();
			expect([index, endings[index]?.code, child.events.at(-1)?.event]).toEqual([index, 0, 'done']);
		}

		expect(looks).toBeGreaterThan(0);
		expect(mostOnTape).toBeLessThanOrEqual(settings.tapeMs);

		const saved: Saved[] = [];
		const evictions = new Map<string, number>();
		for (const {child, lengthsMs} of children) {
			const begins = child.events.filter(event => event.event === 'begin');
			const outcomes = child.events.filter(event => ['saved', 'too-short', 'tape-full', 'full-at-begin'].includes(event.event));
			// Every message a process started ended in a clear report, one each.
			expect(begins).toHaveLength(lengthsMs.length);
			expect(outcomes.map(event => event.event)).toEqual(lengthsMs.map(() => 'saved'));
			for (const [index, begin] of begins.entries()) {
				lengths.set((begin as {id: string}).id, lengthsMs[index]!);
			}

			for (const event of outcomes as Saved[]) {
				saved.push(event);
				for (const id of event.evicted) {
					evictions.set(id, (evictions.get(id) ?? 0) + 1);
				}
			}
		}

		// Nothing freed twice, and only messages that had been saved were freed.
		const savedIds = new Set(saved.map(event => event.id));
		expect(savedIds.size).toBe(saved.length);
		expect([...evictions].filter(([, count]) => count > 1)).toEqual([]);
		expect([...evictions.keys()].filter(id => !savedIds.has(id))).toEqual([]);

		const snapshot = await tape.snapshot();
		expect(snapshot.problems).toEqual([]);
		expect(await readdir(tape.tmpDir)).toEqual([]);
		const present = [...snapshot.messages, ...snapshot.bin];
		const presentIds = present.map(message => message.id);
		expect(new Set(presentIds).size).toBe(presentIds.length);
		// Every saved message is either still on the tape or was freed by
		// someone who reported it, never both, never neither.
		expect([...presentIds].sort()).toEqual([...savedIds].filter(id => !evictions.has(id)).sort());
		// Each message's own two files, and its state file if it changed; a freed message took its state file with it.
		const listed = (await readdir(tape.messagesDir)).sort();
		expect(listed.filter(name => !name.includes('.state.'))).toEqual(presentIds.flatMap(id => [`${id}.json`, `${id}.wav`]).sort());
		expect(listed.filter(name => name.includes('.state.') && !presentIds.includes(name.slice(0, name.indexOf('.'))))).toEqual([]);

		// The gauge is the exact sum, within capacity, and every message is whole.
		expect(snapshot.usedMs + snapshot.binMs).toBe(present.reduce((sum, message) => sum + message.durationMs, 0));
		expect(snapshot.usedMs + snapshot.binMs).toBeLessThanOrEqual(settings.tapeMs);
		for (const message of present) {
			// With nothing kept there is always room to free: no message is cut short.
			expect(message.durationMs).toBe(lengths.get(message.id));
			expect(saved.find(event => event.id === message.id)?.durationMs).toBe(message.durationMs);

			const wav = await readFile(message.file);
			expect(rawHeader(wav)).toEqual(expectedHeader(44 + msToPcmBytes(message.durationMs)));
			expect(createHash('sha1').update(wav.subarray(44)).digest('hex')).toBe(createHash('sha1').update(pcm(message.durationMs, message.id)).digest('hex'));
		}
	});
});

describe('the lock', () => {
	it('waits for a live holder, and is taken over once a dead holder\'s lock goes stale', async () => {
		const {tape} = await newStore({tapeMs: 60_000, maxMessageMs: 5000, minMessageMs: 1000});
		const draft = await tape.beginDraft({from: 'jo'});
		draft.write(pcm(1500, draft.id));
		expect((await draft.commit()).status).toBe('saved');

		const holder = new Child(childScript.script(), {mode: 'hold-lock', store: tape.dir});
		await holder.waitFor(event => event.event === 'locked');
		let erased = false;
		const erasing = tape.erase([draft.id]).then(() => {
			erased = true;
		});
		await sleep(500);
		expect(erased).toBe(false);

		// kill -9: the holder cannot release or refresh the lock any more.
		await holder.kill();
		await sleep(300);
		expect(erased).toBe(false);

		// proper-lockfile calls a lock stale 10 s after its last refresh (a live
		// holder refreshes it every 5 s); dating it back stands in for the wait.
		const longAgo = new Date(Date.now() - 11_000);
		await utimes(path.join(tape.dir, 'lock'), longAgo, longAgo);
		const started = Date.now();
		await erasing;
		expect(Date.now() - started).toBeLessThan(2000);
		expect((await tape.snapshot()).bin.map(message => message.id)).toEqual([draft.id]);
	});
});

describe('an abandoned recording found by several processes at once', () => {
	it('is recovered once, and none of them fails to open the store', async () => {
		const {tape} = await newStore({tapeMs: 60_000, maxMessageMs: 30_000, minMessageMs: 1000});
		const child = new Child(childScript.script(), {mode: 'record', store: tape.dir, from: 'alex', lengthsMs: [20_000], chunkMs: 100, paceMs: 5});
		await child.waitFor(event => event.event === 'wrote' && event.ms >= 1500);
		await child.kill();
		const {pid} = child;
		const notes = (await readdir(tape.tmpDir)).filter(name => name.endsWith('.json'));
		expect(notes).toHaveLength(1);
		const note = await readFile(path.join(tape.tmpDir, notes[0]!));
		const audio = await readFile(path.join(tape.tmpDir, notes[0]!.replace('.json', '.wav')));

		// The race is a matter of microseconds, so the same abandoned recording
		// is laid out again for each round, and the openers start a little apart.
		for (let round = 0; round < 30; round++) {
			const id = newMessageId(new Date(Date.UTC(2026, 10, 27, 10, round)));
			const owner = {...JSON.parse(note.toString()) as object, id, pid};

			await writeFile(path.join(tape.tmpDir, `${id}.json`), JSON.stringify(owner));

			await writeFile(path.join(tape.tmpDir, `${id}.wav`), audio);
			// Several terminals opening the machine at the same moment.

			const opened = await Promise.allSettled(Array.from({length: 6}, async (_, index) => {
				await sleep(index * (round % 8));
				return Tape.open(tape.dir);
			}));
			expect(opened.filter(result => result.status === 'rejected')).toEqual([]);

			const snapshot = await tape.snapshot();
			expect(snapshot.messages.filter(message => message.id === id).map(message => message.recovered)).toEqual([true]);
			// The killed child's own recording was recovered in the first round.
			expect(snapshot.messages).toHaveLength(round + 2);
			expect(snapshot.problems).toEqual([]);

			expect(await readdir(tape.tmpDir)).toEqual([]);
		}
	});

	it('leaves a recording that has only just begun alone', async () => {
		// A recorder writes its note in tmp/ a moment before its audio file
		// exists. Another process opening the store in that moment must not take
		// the note for litter: without it, a crash later could not be recovered.
		const {tape} = await newStore({tapeMs: 60_000, maxMessageMs: 30_000, minMessageMs: 1000});
		const id = newMessageId();
		const note = path.join(tape.tmpDir, `${id}.json`);
		await writeFile(note, JSON.stringify({id, for: 'everyone', from: 'jo', createdAt: new Date().toISOString(), pid: process.pid, host: hostname()}));
		await Tape.open(tape.dir);
		expect(await readdir(tape.tmpDir)).toEqual([`${id}.json`]);

		// Once its owner is gone, the lone note is litter and goes.
		const dead = spawn(process.execPath, ['-e', '']);
		await new Promise(resolve => {
			dead.on('close', resolve);
		});
		await writeFile(note, JSON.stringify({id, for: 'everyone', from: 'jo', createdAt: new Date().toISOString(), pid: dead.pid, host: hostname()}));
		await Tape.open(tape.dir);
		expect(await readdir(tape.tmpDir)).toEqual([]);
	});
});
