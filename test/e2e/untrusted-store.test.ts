// The store's files are untrusted input (issue 13, items 1, 2 and part of 11):
// a field inside a file never becomes a path, a link or a FIFO is never
// followed or opened, a huge file is never parsed, and whatever is refused is
// reported by doctor. Each test plants one hostile thing with real files,
// links and FIFOs, runs the built CLI with a time limit, and checks that a
// victim folder beside the store keeps every byte and mode.
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, lstatSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {cli as cliFile, exitOf, isolatedEnv} from '../helpers/cli.js';
import {pcm} from '../helpers/pcm.js';
import {wavHeader} from '../../src/pcm/wav.js';

type Run = {code: number | null; stdout: string; stderr: string; timedOut: boolean};

const limitMs = 10_000;
let work: string;
let store: string;
let victim: string;

/** Runs the built CLI on the store, killed if it takes longer than limitMs. */
async function cli(...args: string[]): Promise<Run> {
	const child = spawn(process.execPath, [cliFile, ...args, '--store', store], {env: isolatedEnv(work), stdio: ['ignore', 'pipe', 'pipe']});
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		child.kill('SIGKILL');
	}, limitMs);
	try {
		return {...await exitOf(child), timedOut};
	} finally {
		clearTimeout(timer);
	}
}

/** Runs and asserts the run finished on its own. */
async function finished(...args: string[]): Promise<Run> {
	const result = await cli(...args);
	expect(result.timedOut, `answerphone ${args.join(' ')} hung`).toBe(false);
	return result;
}

function wav(ms: number, seed = 'tone'): Buffer {
	const audio = pcm(ms, seed);
	return Buffer.concat([wavHeader(audio.length), audio]);
}

/** Every file under the victim folder: its bytes and mode, to compare before and after. */
function victimState(): Record<string, {mode: number; bytes: string}> {
	const state: Record<string, {mode: number; bytes: string}> = {};
	for (const name of readdirSync(victim)) {
		const file = path.join(victim, name);
		const info = lstatSync(file);
		state[name] = {mode: info.mode, bytes: info.isFile() ? readFileSync(file).toString('base64') : 'not a file'};
	}

	return state;
}

const id = '20261127-090000-000-aaaaaa';
const tenMinutesAgo = new Date(Date.now() - 600_000);

/** A draft left by a dead process, its note and audio idle for ten minutes: what recovery acts on. */
async function plantDraft(note: Record<string, unknown>, audio: Buffer | null = wav(2000)): Promise<void> {
	const noteFile = path.join(store, 'tmp', `${id}.json`);
	await writeFile(noteFile, JSON.stringify({id, for: 'everyone', from: 'jo', createdAt: '2026-11-27T09:00:00.000Z', pid: deadPid(), host: hostname(), ...note}));
	await utimes(noteFile, tenMinutesAgo, tenMinutesAgo);
	if (audio) {
		await writeFile(path.join(store, 'tmp', `${id}.wav`), audio);
		await utimes(path.join(store, 'tmp', `${id}.wav`), tenMinutesAgo, tenMinutesAgo);
	}
}

/** A pid no process has: a child that has already exited. */
function deadPid(): number {
	const child = spawn('true');
	const {pid} = child;
	execFileSync('sleep', ['0.05']);
	return pid!;
}

async function doctorReports(pattern: RegExp): Promise<void> {
	const result = await finished('doctor');
	expect(result.stdout).not.toMatch(/store {5}ok/);
	expect(result.stdout).toMatch(pattern);
}

beforeEach(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-untrusted-'));
	store = path.join(work, 'store');
	victim = path.join(work, 'victim');
	await mkdir(victim);
	await writeFile(path.join(victim, 'important.wav'), Buffer.alloc(5_000_000, 7));
	await writeFile(path.join(victim, 'important.json'), '{"mine": true}\n');
	await writeFile(path.join(victim, 'old.part'), 'a part of something else\n');
	await utimes(path.join(victim, 'old.part'), tenMinutesAgo, tenMinutesAgo);
	await writeFile(path.join(victim, 'settings.json'), JSON.stringify({tapeMs: 1_200_000, maxMessageMs: 60_000, minMessageMs: 1000}));
	await writeFile(path.join(victim, 'mailboxes.json'), '["mine"]\n');
	for (const name of readdirSync(victim)) {
		await chmod(path.join(victim, name), 0o644);
	}

	expect((await finished('status')).code).toBe(0);
});

afterEach(async () => {
	await rm(work, {recursive: true, force: true});
});

describe('a path is never built from a field inside a file', () => {
	test('a draft note whose id climbs out of the store does not make list overwrite or delete anything outside it', async () => {
		const before = victimState();
		await plantDraft({id: '../../victim/important'});
		const result = await finished('list');
		expect(result.code).toBe(0);
		expect(victimState()).toEqual(before);
		expect(result.stderr).toMatch(/1 unreadable file skipped/);
		// Set aside, not acted on: the note and its audio stay where they were.
		expect(existsSync(path.join(store, 'tmp', `${id}.json`))).toBe(true);
		await doctorReports(new RegExp(`tmp/${id}\\.json: .*id does not match its file name`));
	});

	test('nor make status delete the victim when the recording is a hang-up', async () => {
		const before = victimState();
		await plantDraft({id: '../../victim/important'}, wav(200));
		expect((await finished('status')).code).toBe(0);
		expect(victimState()).toEqual(before);
		await doctorReports(new RegExp(`tmp/${id}\\.json: .*id does not match its file name`));
	});

	test('a draft note whose sender, mailbox or date fail the command line\'s checks is set aside, not placed', async () => {
		await plantDraft({from: 'jo\u001B]0;pwned\u0007'});
		const other = '20261127-090000-000-aaaaab';
		await writeFile(path.join(store, 'tmp', `${other}.json`), JSON.stringify({id: other, for: 'everyone', from: 'jo', createdAt: 'yesterday', pid: deadPid(), host: hostname()}));
		await writeFile(path.join(store, 'tmp', `${other}.wav`), wav(2000));
		await utimes(path.join(store, 'tmp', `${other}.wav`), tenMinutesAgo, tenMinutesAgo);
		const result = await finished('list');
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/2 unreadable files skipped/);
		expect(readdirSync(path.join(store, 'messages')).filter(name => !name.startsWith('.'))).toEqual([]);
		const doctor = await finished('doctor');
		expect(doctor.stdout).toMatch(new RegExp(`tmp/${id}\\.json: .*"from" is not a usable name`));
		expect(doctor.stdout).toMatch(new RegExp(`tmp/${other}\\.json: .*"createdAt" is not a date`));
	});
});

describe('links and special files are never followed', () => {
	test('a link at tmp/ID.wav does not make recovery truncate and rewrite its target', async () => {
		const before = victimState();
		await plantDraft({}, null);
		await symlink(path.join(victim, 'important.wav'), path.join(store, 'tmp', `${id}.wav`));
		const result = await finished('list');
		expect(result.code).toBe(0);
		expect(statSync(path.join(victim, 'important.wav')).size).toBe(5_000_000);
		expect(victimState()).toEqual(before);
		expect(lstatSync(path.join(store, 'tmp', `${id}.wav`)).isSymbolicLink()).toBe(true);
		await doctorReports(new RegExp(`tmp/${id}\\.wav: not a regular file`));
	});

	test('a linked settings.json or mailboxes.json is never written through', async () => {
		const before = victimState();
		await symlink(path.join(victim, 'settings.json'), path.join(store, 'settings.json'));
		await symlink(path.join(victim, 'mailboxes.json'), path.join(store, 'mailboxes.json'));
		const settings = await finished('settings', '--tape', '25m');
		// Refused (the exit code of a failed settings change is the options helper's to settle).
		expect(settings.code).not.toBe(0);
		expect(settings.stderr).toMatch(/settings\.json is not a regular file/);
		const mailbox = await finished('mailbox', 'add', 'sam');
		expect(mailbox.code).not.toBe(0);
		expect(mailbox.stderr).toMatch(/mailboxes\.json is not a regular file/);
		expect(victimState()).toEqual(before);
		expect(lstatSync(path.join(store, 'settings.json')).isSymbolicLink()).toBe(true);
		await doctorReports(/settings\.json: not a regular file/);
		await doctorReports(/mailboxes\.json: not a regular file/);
	});

	test('a linked tmp/ does not let the stale-part sweep delete files elsewhere', async () => {
		const before = victimState();
		await rm(path.join(store, 'tmp'), {recursive: true});
		await symlink(victim, path.join(store, 'tmp'));
		const result = await finished('list');
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/tmp is not a real folder/);
		expect(victimState()).toEqual(before);
		const doctor = await finished('doctor');
		expect(doctor.stdout).toMatch(/store {5}BROKEN .*tmp is not a real folder/);
	});

	test('a FIFO named ID.json in messages/ or tmp/ hangs nothing and is reported', async () => {
		await writeFile(path.join(store, 'messages', '20261127-080000-000-aaaaaa.wav'), wav(1500));
		execFileSync('mkfifo', [path.join(store, 'messages', '20261127-080000-000-aaaaaa.json')]);
		execFileSync('mkfifo', [path.join(store, 'tmp', `${id}.json`)]);
		const sound = path.join(work, 'hello.wav');
		await writeFile(sound, wav(1500, 'hello'));
		expect((await finished('list')).stderr).toMatch(/2 unreadable files skipped/);
		expect((await finished('status')).code).toBe(0);
		expect((await finished('record', '--input', sound, '--from', 'jo')).code).toBe(0);
		await doctorReports(/messages\/20261127-080000-000-aaaaaa\.json: not a regular file/);
		await doctorReports(new RegExp(`tmp/${id}\\.json: not a regular file`));
	});

	test('a FIFO or a link as a message\'s audio is never handed to the player or copied', async () => {
		const meta = (messageId: string) => JSON.stringify({id: messageId, for: 'everyone', from: 'jo', createdAt: '2026-11-27T08:00:00.000Z', durationMs: 1500, heard: false, keep: false});
		const fifo = '20261127-080000-000-aaaaaa';
		const link = '20261127-080000-000-aaaaab';
		execFileSync('mkfifo', [path.join(store, 'messages', `${fifo}.wav`)]);
		await writeFile(path.join(store, 'messages', `${fifo}.json`), meta(fifo));
		await writeFile(path.join(victim, 'song.wav'), wav(1500, 'song'));
		await symlink(path.join(victim, 'song.wav'), path.join(store, 'messages', `${link}.wav`));
		await writeFile(path.join(store, 'messages', `${link}.json`), meta(link));
		for (const messageId of [fifo, link]) {
			const played = await finished('play', messageId, '--player', 'paplay');
			expect(played.code).toBe(1);
			const exported = await finished('export', messageId, path.join(work, `${messageId}-out.wav`));
			expect(exported.code).toBe(1);
			expect(existsSync(path.join(work, `${messageId}-out.wav`))).toBe(false);
		}

		await doctorReports(new RegExp(`messages/${fifo}\\.wav: not a regular file`));
		await doctorReports(new RegExp(`messages/${link}\\.wav: not a regular file`));
	});
});

describe('smaller ones', () => {
	test('a huge metadata file or draft note is refused by its size, never parsed', async () => {
		const huge = '20261127-080000-000-aaaaaa';
		await writeFile(path.join(store, 'messages', `${huge}.wav`), wav(1500));
		await writeFile(path.join(store, 'messages', `${huge}.json`), JSON.stringify({id: huge, for: 'everyone', from: 'jo', createdAt: '2026-11-27T08:00:00.000Z', durationMs: 1500, padding: 'x'.repeat(1_000_000)}));
		await plantDraft({padding: 'x'.repeat(1_000_000)});
		const result = await finished('list');
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/2 unreadable files skipped/);
		expect(existsSync(path.join(store, 'tmp', `${id}.json`))).toBe(true);
		await doctorReports(new RegExp(`messages/${huge}\\.json: larger than`));
		await doctorReports(new RegExp(`tmp/${id}\\.json: larger than`));
	});

	test('a corrupt draft note is reported by doctor, not "store ok"', async () => {
		await writeFile(path.join(store, 'tmp', `${id}.json`), '{"id": "20261127-0');
		await writeFile(path.join(store, 'tmp', `${id}.wav`), wav(2000));
		await doctorReports(new RegExp(`tmp/${id}\\.json: .*not valid JSON`));
	});

	test('what a kill -9 during greeting record left in tmp/ is swept once provably stale', async () => {
		const left = path.join(store, 'tmp', `greeting-${id}.wav`);
		await writeFile(left, wav(3000));
		await utimes(left, tenMinutesAgo, tenMinutesAgo);
		const fresh = path.join(store, 'tmp', 'greeting-20261127-090000-000-aaaaab.wav');
		await writeFile(fresh, wav(3000));
		const result = await finished('doctor');
		expect(result.stdout).toMatch(/store {5}ok/);
		expect(existsSync(left)).toBe(false);
		// One being recorded right now is left alone.
		expect(existsSync(fresh)).toBe(true);
	});
});
