// The command line's edges, each found by a careless or hostile try (issue 13,
// items 3 and 11): paths that cannot be a store, a store that cannot be
// written, flags and names given where they mean nothing, and messages with
// no sound in them. The built CLI, real files, real processes.
import {execFileSync} from 'node:child_process';
import {chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {wavHeader} from '../../src/pcm/wav.js';
import {cli, isolatedEnv, runCli, type Exit} from '../helpers/cli.js';
import {writeToneWav} from '../helpers/pcm.js';

let work: string;
let env: NodeJS.ProcessEnv;
/** Two seconds of a tone, 16 kHz mono 16-bit. */
let tone: string;
let storeCount = 0;

beforeAll(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-edges-'));
	env = isolatedEnv(work);
	tone = path.join(work, 'tone.wav');
	await writeToneWav(tone, 2000);
});

afterAll(async () => {
	await rm(work, {recursive: true, force: true});
});

function newStore(): string {
	return path.join(work, `store-${++storeCount}`);
}

/** Every run is killed after 10 s: a command that hangs fails its test rather than the whole suite. */
async function run(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): Promise<Exit & {ms: number}> {
	const started = performance.now();
	const result = await runCli(args, {env: options.env ?? env, cwd: options.cwd, timeoutMs: 10_000});
	return {...result, ms: performance.now() - started};
}

/** A failure: its exit code and its one line on stderr (asserted to be one). */
function failure(result: Exit): {code: number | null; line: string} {
	const lines = result.stderr.trimEnd().split('\n');
	expect(lines, result.stderr).toHaveLength(1);
	return {code: result.code, line: lines[0]!};
}

async function importTone(store: string, ...extra: string[]): Promise<string> {
	const result = await run(['record', '--store', store, '--input', tone, ...extra]);
	expect(result.code, result.stderr).toBe(0);
	return result.stdout.trim();
}

type Listed = {id: string; heard: boolean; file: string};

async function list(store: string): Promise<Listed[]> {
	const result = await run(['list', '--store', store, '--json']);
	expect(result.code, result.stderr).toBe(0);
	return JSON.parse(result.stdout) as Listed[];
}

describe('a store path that cannot be a store', () => {
	test('--store "" is refused, and the current folder is left alone', async () => {
		const here = path.join(work, 'cwd-flag');
		await mkdir(here, {mode: 0o755});
		await chmod(here, 0o755);
		const result = await run(['status', '--store', ''], {cwd: here});
		expect(failure(result)).toEqual({code: 2, line: expect.stringMatching(/--store must be the path of a folder, not ""/) as string});
		expect(await readdir(here)).toEqual([]);
		expect((await stat(here)).mode & 0o777).toBe(0o755);
	});

	test('"store": "" in the config file is refused, and the current folder is left alone', async () => {
		const here = path.join(work, 'cwd-config');
		await mkdir(here);
		const config = path.join(work, 'empty-store.json');
		await writeFile(config, JSON.stringify({store: ''}));
		const result = await run(['status'], {cwd: here, env: {...env, ANSWERPHONE_STORE: '', ANSWERPHONE_CONFIG: config}});
		expect(failure(result)).toEqual({code: 2, line: expect.stringMatching(/"store" must be the path of a folder/) as string});
		expect(await readdir(here)).toEqual([]);
	});

	// Node's recursive mkdir loops forever where the kernel says ENOENT under
	// a folder that exists: /proc/self/messages spun at 84% CPU.
	test.runIf(process.platform === 'linux')('--store /proc/self fails at once with one line', async () => {
		const result = await run(['status', '--store', '/proc/self']);
		expect(result.ms).toBeLessThan(6000);
		expect(failure(result)).toEqual({code: 2, line: expect.stringMatching(/\/proc\/self: .*kernel/) as string});
	});

	test('a file given as the store is refused as a usage mistake', async () => {
		const file = path.join(work, 'not-a-folder');
		await writeFile(file, 'precious');
		const result = await run(['status', '--store', file]);
		expect(failure(result)).toEqual({code: 2, line: expect.stringMatching(/is a file, not a folder/) as string});
		expect(await readFile(file, 'utf8')).toBe('precious');
	});
});

describe('a store that cannot be written fails at once', () => {
	test('a plain file named lock: erase fails at once, not after 20 s of lock retries, exit 1, naming it', async () => {
		const store = newStore();
		const id = await importTone(store);
		await writeFile(path.join(store, 'lock'), '');
		const result = await run(['erase', id, '--store', store]);
		expect(result.ms).toBeLessThan(6000);
		expect(failure(result)).toEqual({code: 1, line: expect.stringMatching(/lock is not the store's lock/) as string});
		expect(await list(store)).toMatchObject([{id}]);
	});

	// chmod does not stop root, so the store is a tmpfs remounted read-only.
	const isRoot = process.getuid?.() === 0;
	if (!isRoot && process.env['CI']) {
		throw new Error('CI must run the read-only store test as root (it mounts a tmpfs)');
	}

	test.skipIf(!isRoot)('a read-only store (a tmpfs remounted read-only: root only): erase and settings fail at once with exit 1', async () => {
		const mount = path.join(work, 'read-only');
		await mkdir(mount);
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount]);
		try {
			const store = path.join(mount, 'store');
			const id = await importTone(store);
			execFileSync('mount', ['-o', 'remount,ro', mount]);
			for (const args of [['erase', id], ['settings', '--tape', '10m']]) {
				const result = await run([...args, '--store', store]);
				expect(result.ms, args.join(' ')).toBeLessThan(6000);
				expect(failure(result), args.join(' ')).toEqual({code: 1, line: expect.stringMatching(/EROFS/) as string});
			}

			// Reading still works.
			expect(await list(store)).toMatchObject([{id}]);
		} finally {
			execFileSync('umount', [mount]);
		}
	});
});

describe('usage mistakes are exit 2', () => {
	test.for([
		['list', '--quick'],
		['status', '--input', 'x'],
		['erase', 'x', '--json'],
		['play', '--next', '--tape', '5m'],
	])('a flag the verb does not take is refused: %s %s', async args => {
		const store = newStore();
		const result = await run([...args, '--store', store]);
		expect(failure(result)).toEqual({code: 2, line: expect.stringMatching(/^answerphone: --\S+ does not apply to \w+, which takes /) as string});
	});

	test('record --for a name nobody has is refused, listing the names there are', async () => {
		const store = newStore();
		const config = path.join(work, 'housemates.json');
		await writeFile(config, JSON.stringify({housemates: ['kim']}));
		const withConfig = {...env, ANSWERPHONE_CONFIG: config};
		expect((await run(['mailbox', 'add', 'sam', '--store', store])).code).toBe(0);
		const result = await run(['record', '--store', store, '--input', tone, '--for', 'sma'], {env: withConfig});
		expect(failure(result)).toEqual({code: 2, line: expect.stringMatching(/no mailbox "sma".*everyone, kim, sam/) as string});
		expect(await list(store)).toEqual([]);
		// The names that are there still take messages; so does a bad name's check.
		expect((await run(['record', '--store', store, '--input', tone, '--for', 'kim'], {env: withConfig})).code).toBe(0);
		expect(failure(await run(['record', '--store', store, '--input', tone, '--for', 'a/b'])).code).toBe(2);
	});
});

describe('export', () => {
	test('export ID - writes the WAV to stdout', async () => {
		const store = newStore();
		const id = await importTone(store);
		const child = execFileSync(process.execPath, [cli, 'export', id, '-', '--store', store], {env, cwd: work});
		const [message] = await list(store);
		expect(child.equals(await readFile(message!.file))).toBe(true);
		expect(await readdir(work)).not.toContain('-');
	});

	test('exporting into the store is refused', async () => {
		const store = newStore();
		const id = await importTone(store);
		for (const target of [path.join(store, 'messages', 'copy.wav'), path.join(store, 'copy.wav')]) {
			const result = await run(['export', id, target, '--store', store]);
			expect(failure(result)).toEqual({code: 2, line: expect.stringMatching(/inside the store/) as string});
		}

		expect((await readdir(store)).sort()).not.toContain('copy.wav');
		expect(await readdir(path.join(store, 'messages'))).toEqual([`${id}.json`, `${id}.wav`]);
	});
});

test('restore of a message that is not erased says so', async () => {
	const store = newStore();
	const id = await importTone(store);
	const result = await run(['restore', id, '--store', store]);
	expect(failure(result)).toEqual({code: 1, line: expect.stringMatching(new RegExp(`${id} is not erased`)) as string});
});

describe('messages with no sound in them', () => {
	test('a recording of nothing is never saved, whatever the minimum', async () => {
		const store = newStore();
		expect((await run(['settings', '--store', store, '--min-message', '0s'])).code).toBe(0);
		const empty = path.join(work, 'empty.wav');
		await writeFile(empty, wavHeader(0));
		const result = await run(['record', '--store', store, '--input', empty]);
		expect(failure(result)).toEqual({code: 1, line: expect.stringMatching(/nothing was recorded, nothing saved/) as string});
		expect(await list(store)).toEqual([]);
	});

	test('play --next passes over messages it cannot play (naming them) and plays the next', async () => {
		const store = newStore();
		const empty = await importTone(store);
		const damaged = await importTone(store);
		const next = await importTone(store);
		// Behind the store's back (another program, an older version that saved
		// empty messages, a bad disk): one emptied, its metadata saying so, and
		// one whose audio is no WAV at all.
		const emptyMeta = path.join(store, 'messages', `${empty}.json`);
		await writeFile(emptyMeta, JSON.stringify({...JSON.parse(await readFile(emptyMeta, 'utf8')) as object, durationMs: 0}));
		await writeFile(path.join(store, 'messages', `${empty}.wav`), wavHeader(0));
		await writeFile(path.join(store, 'messages', `${damaged}.wav`), Buffer.alloc(64_044, 'x'));
		expect((await list(store)).map(message => message.id)).toEqual([empty, damaged, next]);
		// A player that plays anything at once, and no speech for the stamps.
		const bin = path.join(work, 'player-bin');
		await mkdir(bin, {recursive: true});
		await writeFile(path.join(bin, 'aplay'), '#!/bin/sh\nexit 0\n', {mode: 0o755});
		const playNext = async () => run(['play', '--next', '--store', store, '--player', 'aplay'], {env: {...env, PATH: bin}});
		const result = await playNext();
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toMatch(new RegExp(`skipped message ${empty}: it has no sound in it\n.*skipped message ${damaged}: not a WAV`));
		expect(await list(store)).toMatchObject([{id: empty, heard: false}, {id: damaged, heard: false}, {id: next, heard: true}]);
		// With only those left: one line per message passed over, then why nothing played.
		const again = await playNext();
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/no new message that can be played \(2 skipped\)\n$/);
	});
});
