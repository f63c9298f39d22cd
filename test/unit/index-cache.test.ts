// The private index that lets list and status skip reading 10,000 files.
import {mkdtemp, readdir, rm, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {indexFromFiles} from '../../src/tape/index-cache.js';
import {Tape} from '../../src/tape/store.js';
import {wavHeader} from '../../src/pcm/wav.js';

let dir: string;
let cache: string;
let tape: Tape;
const count = indexFromFiles / 2 + 10;

/** Writes messages straight into the layout, as an old store would hold them. */
async function fillStore(): Promise<string[]> {
	const ids: string[] = [];
	const audio = Buffer.concat([wavHeader(32_000), Buffer.alloc(32_000)]);
	for (let index = 0; index < count; index++) {
		const id = `20260101-0800${String(index % 60).padStart(2, '0')}-${String(index).padStart(3, '0').slice(-3)}-aaaaaa`;
		ids.push(id);
		const meta = {id, for: 'everyone', from: 'jo', createdAt: new Date(Date.UTC(2026, 0, 1, 8, 0, index)).toISOString(), durationMs: 1000, heard: false, keep: false, recovered: false, erasedAt: null, waveform: [1, 2, 3]};

		await Promise.all([writeFile(path.join(tape.messagesDir, `${id}.wav`), audio), writeFile(path.join(tape.messagesDir, `${id}.json`), JSON.stringify(meta))]);
	}

	return ids;
}

/** Makes the messages folder look untouched for a minute, so its index may be written. */
async function settle(): Promise<void> {
	const past = new Date(Date.now() - 60_000);
	await utimes(tape.messagesDir, past, past);
}

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'answerphone-index-'));
	cache = path.join(dir, 'cache');
	process.env['ANSWERPHONE_CACHE'] = cache;
	tape = await Tape.open(path.join(dir, 'store'));
});

afterEach(async () => {
	delete process.env['ANSWERPHONE_CACHE'];
	await rm(dir, {recursive: true, force: true});
});

describe('the index of a big store', () => {
	it('is not written while the folder has just changed', async () => {
		await fillStore();
		await tape.snapshot();
		await expect(readdir(cache)).rejects.toThrow();
	});

	it('is written once the folder has been still, and then answers for it', async () => {
		const ids = await fillStore();
		await settle();
		const first = await tape.snapshot();
		expect(first.messages).toHaveLength(count);
		expect(await readdir(cache)).toHaveLength(1);
		// Prove the second answer comes from the index: change a file in place,
		// which (unlike everything the store itself does) leaves the folder's
		// time alone. The index still says what it said...
		const file = path.join(tape.messagesDir, `${ids[0]!}.json`);
		await writeFile(file, JSON.stringify({...first.messages[0], heard: true}));
		const second = await tape.snapshot();
		expect(second.messages).toEqual(first.messages);
		// ...while the doctor, which verifies, reads the files themselves.
		expect((await tape.snapshot({verify: true})).messages[0]!.heard).toBe(true);
	});

	it('is not trusted once the store changes anything', async () => {
		const ids = await fillStore();
		await settle();
		await tape.snapshot();
		await tape.mark([ids[3]!], true);
		await tape.erase([ids[4]!]);
		const after = await tape.snapshot();
		expect(after.messages.find(message => message.id === ids[3])?.heard).toBe(true);
		expect(after.messages.some(message => message.id === ids[4])).toBe(false);
		expect(after.bin.map(message => message.id)).toEqual([ids[4]]);
	});

	it('lets a screen look again at only the messages the watcher named', async () => {
		const ids = await fillStore();
		await tape.snapshot({remember: true});
		await tape.mark([ids[1]!], true);
		const named = await tape.snapshot({remember: true, changed: new Set([`${ids[1]!}.state.test-computer.json`])});
		expect(named.messages.find(message => message.id === ids[1])?.heard).toBe(true);
		// A message nobody named is taken as it was (here changed behind the
		// store's back, in place, to prove it was not read again)...
		const file = path.join(tape.messagesDir, `${ids[2]!}.json`);
		await writeFile(file, JSON.stringify({...named.messages[2], heard: true}));
		const unnamed = await tape.snapshot({remember: true, changed: new Set([`${ids[1]!}.json`])});
		expect(unnamed.messages.find(message => message.id === ids[2])?.heard).toBe(false);
		// ...until a full look, as when the watcher could not say what changed.
		const full = await tape.snapshot({remember: true, changed: 'all'});
		expect(full.messages.find(message => message.id === ids[2])?.heard).toBe(true);
	});

	it('is written only from a real listing of the folder, never from a screen\'s look at what it was told of', async () => {
		await fillStore();
		await settle();
		await tape.snapshot({remember: true});
		// A file the screen was not told of (no watcher event reached it), in a
		// folder that then looks still.
		await writeFile(path.join(tape.messagesDir, 'shopping.txt'), 'eggs');
		await settle();
		// A settings change: the screen looks again at no message in particular.
		await tape.snapshot({remember: true, changed: new Set()});
		// Another process, trusting the index, must still see the stray file.
		const other = await Tape.open(tape.dir);
		expect((await other.snapshot()).problems.map(problem => path.basename(problem.file))).toEqual(['shopping.txt']);
	});

	it('is never used for small stores', async () => {
		await tape.snapshot();
		await settle();
		await tape.snapshot();
		await expect(readdir(cache)).rejects.toThrow();
	});
});
