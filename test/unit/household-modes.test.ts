// A household store (its folder setgid, as answerphone setup --household
// leaves it) keeps every file and folder it makes the group's, 0660 and 2770,
// whatever the umask of whoever makes them; and its folder is never made
// private, as a personal store's is.
import {chmod, lstat, mkdir, mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Tape} from '../../src/tape/store.js';
import {leaveMessage} from '../helpers/store.js';

let work: string;
let umask: number;

beforeEach(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-household-modes-'));
	umask = process.umask();
});

afterEach(async () => {
	process.umask(umask);
	await rm(work, {recursive: true, force: true});
});

/** Every entry under dir whose mode is not the household's: 2770 for folders, 0660 for files. */
async function wrongModes(dir: string): Promise<string[]> {
	const wrong: string[] = [];
	const walk = async (file: string): Promise<void> => {
		const info = await lstat(file);
		const mode = info.mode & 0o7777;
		if (mode !== (info.isDirectory() ? 0o2770 : 0o660)) {
			wrong.push(`${path.relative(dir, file) || '.'} ${mode.toString(8)}`);
		}

		if (info.isDirectory()) {
			for (const name of await readdir(file)) {
				await walk(path.join(file, name));
			}
		}
	};

	await walk(dir);
	return wrong;
}

async function householdStore(): Promise<string> {
	const dir = path.join(work, 'store');
	await mkdir(dir);
	await chmod(dir, 0o2770);
	return dir;
}

describe('a household store', () => {
	it.each([0o077, 0o022, 0o027])('makes every file 0660 and every folder 2770 under umask %o', async mask => {
		const dir = await householdStore();
		process.umask(mask);
		const tape = await Tape.open(dir);
		expect(tape.fileMode).toBe(0o660);
		await tape.updateSettings({tapeMs: 600_000});
		await tape.changeMailboxes(names => [...names, 'sam']);
		const draft = await tape.beginDraft({from: 'jo'});
		draft.write(Buffer.alloc(32_000));
		// A draft in progress, with its owner's note, is the group's too: another housemate recovers it after a crash.
		await expect.poll(async () => wrongModes(dir)).toEqual([]);
		await draft.commit();
		const id = await leaveMessage(tape, {for: 'sam'});
		await tape.mark([id], true);
		await tape.keep([id], true);
		await tape.erase([id]);
		await tape.restore([id]);
		const greeting = await tape.beginGreetingDraft();
		greeting.write(Buffer.alloc(64_000));
		expect(await greeting.commit()).toMatchObject({saved: true});
		await tape.withLock(async () => {
			expect(await wrongModes(dir)).toEqual([]);
		});
		expect(await wrongModes(dir)).toEqual([]);
	});

	it('keeps its folder the group\'s when opened, taking away only what the world had', async () => {
		const dir = await householdStore();
		await chmod(dir, 0o2775);
		await Tape.open(dir);
		expect((await lstat(dir)).mode & 0o7777).toBe(0o2770);
	});

	it('is only a household store when its folder has the setgid bit: group bits alone are a personal store made under umask 002', async () => {
		const dir = path.join(work, 'store');
		await mkdir(dir);
		await chmod(dir, 0o770);
		const tape = await Tape.open(dir);
		expect(tape.fileMode).toBe(0o600);
		expect((await lstat(dir)).mode & 0o7777).toBe(0o700);
	});

	it('a new store made under a setgid folder is a personal one all the same', async () => {
		const parent = await householdStore();
		const tape = await Tape.open(path.join(parent, 'mine'));
		expect(tape.fileMode).toBe(0o600);
		expect((await lstat(tape.dir)).mode & 0o7777).toBe(0o700);
	});
});
