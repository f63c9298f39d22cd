// The pure and near-pure parts of reading an untrusted store (issue 13): a
// draft note's checks, refusing links, FIFOs and huge files by their kind
// and size, removals that fail out loud, and messages/ synced after a rename.
import {execFileSync} from 'node:child_process';
import {mkdir, symlink, writeFile} from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {parseDraftNote} from '../../src/tape/draft-note.js';
import {tapeLayout, type TapeLayout} from '../../src/tape/layout.js';
import {readSmallFile, readSmallFileSync, UnsafeFileError} from '../../src/tape/safe-files.js';
import {tempFolders} from '../helpers/temp.js';

const fsCalls = vi.hoisted(() => ({synced: [] as string[]}));
vi.mock('node:fs/promises', async original => {
	const real = await original<typeof FsPromises>();
	return {
		...real,
		// Records which paths were fsynced, to see messages/ itself among them.
		async open(...args: Parameters<typeof real.open>) {
			const handle = await real.open(...args);
			const sync = handle.sync.bind(handle);
			handle.sync = async () => {
				fsCalls.synced.push(String(args[0]));
				return sync();
			};

			return handle;
		},
	};
});

const {removeMessageFiles, writeMeta} = await import('../../src/tape/meta-files.js');

const newFolder = tempFolders('answerphone-untrusted-unit-');

async function layout(): Promise<TapeLayout> {
	const dir = await newFolder();
	const tape = tapeLayout(dir);
	await mkdir(tape.messagesDir);
	await mkdir(tape.tmpDir);
	return tape;
}

const id = '20261127-090000-000-aaaaaa';
const note = {id, for: 'everyone', from: 'jo', createdAt: '2026-11-27T09:00:00.000Z', pid: 4321, host: 'pi'};

describe('a draft note is trusted only if it passes the command line\'s checks', () => {
	it('accepts an honest note and keeps fields it does not know', () => {
		expect(parseDraftNote({...note, helpers: [77, -1, 'x'], boot: 'abc'}, id)).toEqual({ok: true, owner: {...note, helpers: [77], boot: 'abc'}});
	});

	it.each([
		['an id that climbs out of the store', {id: '../../victim/important'}, /id does not match its file name/],
		['an id of another message', {id: '20261127-090000-000-aaaaab'}, /id does not match/],
		['a sender with a terminal escape', {from: 'jo\u001B]0;x\u0007'}, /"from" is not a usable name/],
		['a mailbox with a bidi override', {for: 'sam\u202Eevil'}, /"for" is not a usable name/],
		['an empty mailbox', {for: ' '}, /"for" is not a usable name/],
		['a date that is none', {createdAt: 'yesterday'}, /"createdAt" is not a date/],
		['a pid of 0, which would signal the whole process group', {pid: 0}, /which process/],
		['no host', {host: undefined}, /which process/],
	])('refuses %s', (_what, change, reason) => {
		const reading = parseDraftNote({...note, ...change}, id);
		expect(reading.ok).toBe(false);
		expect(reading.ok ? '' : reading.reason).toMatch(reason);
	});

	it('refuses what is not an object, and a file name that is not an id', () => {
		expect(parseDraftNote([note], id).ok).toBe(false);
		expect(parseDraftNote(null, id).ok).toBe(false);
		expect(parseDraftNote({...note, id: '../x'}, '../x').ok).toBe(false);
	});
});

describe('small files are read without following links, blocking on FIFOs or parsing huge ones', () => {
	it('reads a small regular file, refuses one over the limit', async () => {
		const {dir} = await layout();
		await writeFile(path.join(dir, 'small.json'), '{"a": 1}');
		await writeFile(path.join(dir, 'big.json'), 'x'.repeat(70_000));
		expect(readSmallFileSync(path.join(dir, 'small.json'))).toBe('{"a": 1}');
		expect(await readSmallFile(path.join(dir, 'small.json'))).toBe('{"a": 1}');
		expect(() => readSmallFileSync(path.join(dir, 'big.json'))).toThrow(/larger than 64 KB/);
		await expect(readSmallFile(path.join(dir, 'big.json'))).rejects.toThrow(UnsafeFileError);
	});

	it('refuses a link to a readable file, a folder and a FIFO, at once', async () => {
		const {dir} = await layout();
		await writeFile(path.join(dir, 'target.json'), '{}');
		await symlink(path.join(dir, 'target.json'), path.join(dir, 'link.json'));
		execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
		for (const name of ['link.json', 'messages', 'fifo.json']) {
			expect(() => readSmallFileSync(path.join(dir, name))).toThrow(/not a regular file/);
			await expect(readSmallFile(path.join(dir, name))).rejects.toThrow(/not a regular file/);
		}
	});
});

describe('the store\'s own writes and removals', () => {
	it('removing a message whose audio cannot be removed fails out loud', async () => {
		const tape = await layout();
		await writeFile(path.join(tape.messagesDir, `${id}.json`), '{}');
		// A folder where the audio should be: unlink fails with EISDIR, which was ignored.
		await mkdir(path.join(tape.messagesDir, `${id}.wav`));
		await expect(removeMessageFiles(tape, id)).rejects.toThrow(/EISDIR|EPERM/);
		await expect(removeMessageFiles(tape, '../../victim')).rejects.toThrow(/not a message id/);
	});

	it('syncs messages/ after renaming metadata into it', async () => {
		const tape = await layout();
		fsCalls.synced.length = 0;
		await writeMeta(tape, {...note, durationMs: 1000, heard: false, keep: false, recovered: false, erasedAt: null, waveform: [], heardMarks: {}});
		expect(fsCalls.synced).toContain(tape.messagesDir);
	});
});
