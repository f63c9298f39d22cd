// Heard per housemate, on one box with real accounts (scripts/test-accounts.sh
// makes them: apjo and apsam in the group aptest). A message for sam is new
// for sam alone until sam hears it; one for everyone is new for each until
// each hears it; the household view until an addressee did. Each account sees
// it in `status --json`, in its status file (a shell prompt's `cat`) and in
// its login line (`status --login`), which is answered from that file
// without loading the rest of the program while the file is fresh.
import {spawnSync} from 'node:child_process';
import {chmod, cp, mkdir, readdir, readFile, rm, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {describeNeeding} from '../helpers/audio-stack.js';
import {accountsSandbox, group, missingPiece, type AccountsSandbox, type RunOptions} from '../helpers/accounts.js';
import {pcm} from '../helpers/pcm.js';
import {wavHeader} from '../../src/pcm/wav.js';

let box: AccountsSandbox;
let wav: string;
let played: string;
let playerPath: string;

type Listed = {id: string; for: string; from: string; heard: boolean; heardBy: string[]};
type Status = {messages: number; new: number; for: string};

async function ok(user: string | undefined, args: string[], options: RunOptions = {}): Promise<string> {
	const result = await box.as(user, args, options);
	expect(result, `${user ?? 'root'}: answerphone ${args.join(' ')}`).toMatchObject({code: 0});
	return result.stdout;
}

async function status(user: string, args: string[] = []): Promise<Status> {
	return JSON.parse(await ok(user, ['status', '--json', ...args])) as Status;
}

async function list(user: string, args: string[] = []): Promise<Listed[]> {
	return JSON.parse(await ok(user, ['list', '--json', ...args])) as Listed[];
}

/** What a shell prompt shows: the account's own `cat` of its status file. */
async function prompt(user: string, store: string, name: string): Promise<string> {
	const result = await box.run(user, ['cat', path.join(store, 'status', name)]);
	expect(result, `${user}: cat status/${name}`).toMatchObject({code: 0, stderr: ''});
	return result.stdout;
}

/** A household store of the group's, with this system config (the store, and housemates when given). */
async function householdStore(name: string, config: Record<string, unknown> = {}): Promise<string> {
	const store = path.join(box.work, name);
	expect(await box.as(undefined, ['setup', '--household', '--store', store, '--group', group])).toMatchObject({code: 0});
	await writeFile(box.systemConfig, JSON.stringify({store, ...config}));
	return store;
}

describeNeeding('heard per housemate, with real accounts', missingPiece(), () => {
	beforeAll(async () => {
		box = await accountsSandbox('answerphone-heard-');
		const audio = pcm(1000, 'heard');
		wav = path.join(box.work, 'one-second.wav');
		await writeFile(wav, Buffer.concat([wavHeader(audio.length), audio]));
		await chmod(wav, 0o644);
		// A player that plays at once and notes what it was given.
		const bin = path.join(box.work, 'bin');
		await mkdir(bin);
		played = path.join(box.work, 'played.log');
		await writeFile(played, '');
		await chmod(played, 0o666);
		await writeFile(path.join(bin, 'aplay'), `#!/bin/sh\necho "$@" >> ${played}\n`, {mode: 0o755});
		playerPath = `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`;
		for (const user of ['apjo', 'apsam']) {
			await box.writeConfig(user, {stamps: false});
		}
	});

	afterAll(async () => {
		await rm(box.work, {recursive: true, force: true});
	});

	test('a message for sam is new for sam alone, in status, the prompt\'s file and the login line, until sam hears it', async () => {
		// The housemates are the login names (no mailbox: the status file
		// appears with the first message left for someone).
		const store = await householdStore('for-one', {housemates: ['apjo', 'apsam']});
		const id = (await ok('apjo', ['record', '--input', wav, '--for', 'apsam'])).trim();

		expect(await status('apsam')).toMatchObject({messages: 1, new: 1, for: 'apsam'});
		expect(await status('apjo')).toMatchObject({messages: 1, new: 0, for: 'apjo'});
		expect(await prompt('apsam', store, 'apsam')).toBe('1\n');
		expect(await prompt('apjo', store, 'apjo')).toBe('0\n');
		expect(await ok('apsam', ['status', '--login'])).toBe('answerphone: 1 new message for you (1 from apjo)\n');
		expect(await ok('apjo', ['status', '--login'])).toBe('');
		expect(await list('apsam', ['--new'])).toMatchObject([{id, heard: false, heardBy: []}]);
		expect(await list('apjo', ['--new'])).toEqual([]);

		// sam hears it: what plays next is sam's message.
		await ok('apsam', ['play', '--next', '--player', 'aplay'], {env: {PATH: playerPath}});
		expect(await readFile(played, 'utf8')).toBe(`-q ${path.join(store, 'messages', `${id}.wav`)}\n`);
		expect(await status('apsam')).toMatchObject({new: 0, for: 'apsam'});
		expect(await prompt('apsam', store, 'apsam')).toBe('0\n');
		expect(await ok('apsam', ['status', '--login'])).toBe('');
		expect(await list('apjo')).toMatchObject([{id, heard: true, heardBy: ['apsam']}]);
		expect(await list('apjo', ['--as', 'household'])).toMatchObject([{id, heard: true, heardBy: ['apsam']}]);
		// jo has no message to play.
		const nothing = await box.as('apjo', ['play', '--next', '--player', 'aplay'], {env: {PATH: playerPath}});
		expect(nothing.code).toBe(1);
		expect(nothing.stderr).toMatch(/no new message/);
	});

	test('a message for everyone is new for each until each hears it; the household view until one of them did', async () => {
		const store = await householdStore('for-all');
		await ok('apjo', ['mailbox', 'add', 'apsam']);
		// A mailbox is enough for a status file, before anything is left.
		expect(await prompt('apsam', store, 'apsam')).toBe('0\n');
		// Left by jo's account for a caller, kim: new for both housemates.
		const id = (await ok('apjo', ['record', '--input', wav, '--for', 'everyone', '--from', 'kim'])).trim();
		for (const user of ['apjo', 'apsam']) {
			expect(await status(user)).toMatchObject({new: 1, for: user});
			expect(await prompt(user, store, user)).toBe('1\n');
		}

		expect(await status('apjo', ['--as', 'household'])).toMatchObject({new: 1, for: 'household'});
		expect(await prompt('apjo', store, 'household')).toBe('1\n');

		await ok('apsam', ['mark', id, '--heard']);
		expect(await status('apsam')).toMatchObject({new: 0});
		expect(await status('apjo')).toMatchObject({new: 1});
		expect(await status('apsam', ['--as', 'household'])).toMatchObject({new: 0});
		expect(await prompt('apsam', store, 'apsam')).toBe('0\n');
		expect(await prompt('apjo', store, 'apjo')).toBe('1\n');
		expect(await prompt('apjo', store, 'household')).toBe('0\n');
		expect(await ok('apjo', ['status', '--login'])).toBe('answerphone: 1 new message for you (1 from kim)\n');
		expect(await ok('apjo', ['status', '--login', '--as', 'household'])).toBe('');
		expect(await ok('apjo', ['status', '--login'], {env: {ANSWERPHONE_AS: 'household'}})).toBe('');
		expect(await list('apjo')).toMatchObject([{id, heard: false, heardBy: ['apsam']}]);
		expect(await list('apsam')).toMatchObject([{id, heard: true, heardBy: ['apsam']}]);

		await ok('apjo', ['play', '--next', '--player', 'aplay'], {env: {PATH: playerPath}});
		expect(await status('apjo')).toMatchObject({new: 0});
		expect(await prompt('apjo', store, 'apjo')).toBe('0\n');
		expect(await list('apsam')).toMatchObject([{id, heard: true, heardBy: ['apjo', 'apsam']}]);

		// Never new for the one who left it; the household view's own mark counts for all its addressees.
		const second = (await ok('apsam', ['record', '--input', wav])).trim();
		expect(await status('apjo')).toMatchObject({new: 1});
		expect(await status('apsam')).toMatchObject({new: 0});
		expect(await status('apsam', ['--as', 'household'])).toMatchObject({new: 1});
		await ok('apjo', ['mark', second, '--heard', '--as', 'household']);
		expect(await status('apjo')).toMatchObject({new: 0});
		expect(await status('apsam')).toMatchObject({new: 0});
		expect((await list('apsam')).at(-1)).toMatchObject({id: second, heard: true, heardBy: ['everyone']});
	});

	test('the system config maps login names to housemates; the login line comes from the fresh status file alone, and the full way when it is stale', async () => {
		const store = await householdStore('mapped', {housemates: {apjo: 'jo', apsam: 'sam'}});
		await ok('apjo', ['record', '--input', wav, '--for', 'sam']);
		expect(await status('apsam')).toMatchObject({new: 1, for: 'sam'});
		expect(await status('apjo')).toMatchObject({new: 0, for: 'jo'});
		expect(await prompt('apsam', store, 'sam')).toBe('1\n');
		// Said as from jo: the sender is the housemate the map says, too.
		const line = 'answerphone: 1 new message for you (1 from jo)\n';
		expect(await ok('apsam', ['status', '--login'])).toBe(line);

		// A copy of the command without the rest of the program: only the quick way can answer.
		const quickApp = path.join(box.work, 'quick-app');
		await cp(path.dirname(path.dirname(box.cli)), quickApp, {recursive: true});
		const chunks = path.join(quickApp, 'dist', 'chunks');
		const main = (await readdir(chunks)).filter(name => name.startsWith('main-'));
		expect(main).toHaveLength(1);
		await rm(path.join(chunks, main[0]!));
		const quickLogin = async (user: string) => box.run(user, [process.execPath, path.join(quickApp, 'dist', 'cli.js'), 'status', '--login']);
		expect(await quickLogin('apsam')).toEqual({code: 0, stdout: line, stderr: ''});
		expect(await quickLogin('apjo')).toEqual({code: 0, stdout: '', stderr: ''});
		// What the file says is what is said, while it is newer than messages/.
		const lineFile = path.join(store, 'status', 'sam.line');
		await writeFile(lineFile, 'answerphone: 7 new messages for you (7 from the status file)\n');
		expect(await ok('apsam', ['status', '--login'])).toBe('answerphone: 7 new messages for you (7 from the status file)\n');

		// Stale (older than the last change to messages/): the full way answers and rewrites it.
		const past = new Date(Date.now() - 3_600_000);
		await utimes(lineFile, past, past);
		expect((await quickLogin('apsam')).code).not.toBe(0);
		expect(await ok('apsam', ['status', '--login'])).toBe(line);
		expect(await readFile(lineFile, 'utf8')).toBe(line);
		expect(await quickLogin('apsam')).toEqual({code: 0, stdout: line, stderr: ''});

		// Hearing it changes the files, and the quick way follows.
		await ok('apsam', ['mark', (await list('apsam'))[0]!.id, '--heard']);
		expect(await prompt('apsam', store, 'sam')).toBe('0\n');
		expect(await quickLogin('apsam')).toEqual({code: 0, stdout: '', stderr: ''});
	});

	test('an old store\'s heard: true counts for everyone, until one of them marks it new', async () => {
		// Written by hand, as a version before heard per housemate left them.
		const store = path.join(box.work, 'old');
		await mkdir(path.join(store, 'messages'), {recursive: true});
		const old = [
			{id: '20260101-080000-000-aaaaaa', for: 'everyone', heard: true},
			{id: '20260101-090000-000-bbbbbb', for: 'apsam', heard: true},
			{id: '20260101-100000-000-cccccc', for: 'apsam', heard: false},
		];
		for (const message of old) {
			await cp(wav, path.join(store, 'messages', `${message.id}.wav`));
			await writeFile(path.join(store, 'messages', `${message.id}.json`), JSON.stringify({
				id: message.id, for: message.for, from: 'grandma', createdAt: `${message.id.slice(0, 4)}-01-01T${message.id.slice(9, 11)}:00:00.000Z`,
				durationMs: 1000, heard: message.heard, keep: false, recovered: false, erasedAt: null, waveform: [],
			}, null, '\t') + '\n');
		}

		await householdStore('old');
		expect(spawnSync('ls', [path.join(store, 'messages')], {encoding: 'utf8'}).stdout.split('\n').filter(name => name.includes('.state.'))).toEqual([]);
		for (const user of ['apjo', 'apsam']) {
			expect((await list(user)).map(message => [message.id, message.heard, message.heardBy])).toEqual([
				[old[0]!.id, true, ['everyone']],
				[old[1]!.id, true, ['everyone']],
				[old[2]!.id, user === 'apjo', []],
			]);
		}

		expect(await status('apsam')).toMatchObject({messages: 3, new: 1});
		expect(await status('apjo')).toMatchObject({messages: 3, new: 0});
		expect(await status('apjo', ['--as', 'household'])).toMatchObject({new: 1});

		// sam wants to hear the old one again: new for sam, still heard for jo.
		await ok('apsam', ['mark', old[0]!.id, '--new']);
		expect(await status('apsam')).toMatchObject({new: 2});
		expect(await status('apjo')).toMatchObject({new: 0});
		expect(await prompt('apsam', store, 'apsam')).toBe('2\n');
		expect(await ok('apsam', ['status', '--login'])).toBe('answerphone: 2 new messages for you (2 from grandma)\n');
	});
});
