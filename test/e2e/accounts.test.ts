// The household on one box, with real Unix accounts (scripts/test-accounts.sh
// makes them: apjo and apsam in the group aptest, apout outside it). Root sets
// the store up; each account runs the built command through runuser, under
// umasks that would strip the group's bits; every file and folder in the
// store must stay the group's (0660, 2770 with setgid), never the world's.
import {spawnSync} from 'node:child_process';
import {chmod, lstat, mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {accountsSandbox, group, missingPiece, outsider, type AccountsSandbox, type Exit, type RunOptions} from '../helpers/accounts.js';
import {describeNeeding} from '../helpers/audio-stack.js';
import {pcm} from '../helpers/pcm.js';
import {wavHeader} from '../../src/pcm/wav.js';

let box: AccountsSandbox;
let work: string;
let wav: string;
let systemConfig: string;
let hooks: string;
let gid: number;

/** Runs the built command as user (root when undefined) under umask, with that user's own config file. */
async function as(user: string | undefined, args: string[], options: RunOptions = {}): Promise<Exit> {
	return box.as(user, args, options);
}

async function ok(user: string | undefined, args: string[], options: {umask?: string; env?: NodeJS.ProcessEnv} = {}): Promise<string> {
	const result = await as(user, args, options);
	expect(result, `${user ?? 'root'}: answerphone ${args.join(' ')}`).toMatchObject({code: 0});
	return result.stdout.trim();
}

/** Every entry in the store, with its type, mode, owner and group, one line each, in order. */
async function listing(dir: string): Promise<string[]> {
	const lines: string[] = [];
	const walk = async (file: string): Promise<void> => {
		const info = await lstat(file);
		lines.push(`${path.relative(dir, file) || '.'} ${info.isDirectory() ? 'd' : 'f'} ${(info.mode & 0o7777).toString(8)} ${info.uid}:${info.gid} ${info.isDirectory() ? '' : info.size}`);
		if (info.isDirectory()) {
			for (const name of (await readdir(file)).sort()) {
				await walk(path.join(file, name));
			}
		}
	};

	await walk(dir);
	return lines;
}

/** What is not as a household store's files must be: the group's, 2770 (setgid) or 0660, never the world's. */
async function wrongModes(dir: string): Promise<string[]> {
	const wrong: string[] = [];
	const walk = async (file: string): Promise<void> => {
		const info = await lstat(file);
		const wanted = info.isDirectory() ? 0o2770 : 0o660;
		if (info.gid !== gid || (info.mode & 0o7777) !== wanted) {
			wrong.push(`${path.relative(dir, file) || '.'}: ${(info.mode & 0o7777).toString(8)} group ${info.gid}`);
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

async function writeConfig(user: string, config: Record<string, unknown>): Promise<void> {
	await box.writeConfig(user, config);
}

async function setUp(store: string): Promise<Exit> {
	return as(undefined, ['setup', '--household', '--store', store, '--group', group]);
}

describeNeeding('a household on one box, with real accounts', missingPiece(), () => {
	beforeAll(async () => {
		box = await accountsSandbox('answerphone-accounts-');
		({work, systemConfig, gid} = box);
		const audio = pcm(2000, 'household');
		wav = path.join(work, 'two-seconds.wav');
		await writeFile(wav, Buffer.concat([wavHeader(audio.length), audio]));
		await chmod(wav, 0o644);
		hooks = path.join(work, 'hooks');
		await mkdir(hooks);
		await chmod(hooks, 0o1777);
	});

	afterAll(async () => {
		await rm(work, {recursive: true, force: true});
	});

	test('setup converts a personal store; housemates share it under any umask, and it stays the group\'s', async () => {
		const store = path.join(work, 'shared');
		// A personal store with a message in it, as root had it.
		const before = await ok(undefined, ['record', '--input', wav, '--store', store]);
		expect((await lstat(store)).mode & 0o7777).toBe(0o700);
		const setup = await setUp(store);
		expect(setup).toMatchObject({code: 0, stderr: ''});
		expect(setup.stdout).toContain(`sudo usermod -aG ${group} NAME`);
		expect(setup.stdout).toContain('answerphone status --login');
		expect(JSON.parse(await readFile(systemConfig, 'utf8'))).toEqual({store});
		expect(await wrongModes(store)).toEqual([]);

		const ids = [before];
		for (const umask of ['077', '022']) {
			// The store comes from the system's config: nobody names it.
			await ok('apjo', ['mailbox', 'add', 'apsam'], {umask});
			const id = await ok('apjo', ['record', '--input', wav, '--for', 'apsam'], {umask});
			ids.push(id);
			expect(await wrongModes(store)).toEqual([]);
			const listed = JSON.parse(await ok('apsam', ['list', '--json'], {umask})) as Array<{id: string; for: string; from: string}>;
			expect(listed.map(message => message.id)).toEqual(ids);
			expect(listed.at(-1)).toMatchObject({for: 'apsam', from: 'apjo'});
			await ok('apsam', ['mark', id, '--heard'], {umask});
			await ok('apjo', ['keep', id], {umask});
			await ok('apsam', ['erase', id, '--yes'], {umask});
			await ok('apjo', ['restore', id], {umask});
			await ok('apsam', ['settings', '--tape', umask === '077' ? '30m' : '25m'], {umask});
			await ok('apsam', ['mailbox', 'remove', 'apsam'], {umask});
			expect(await wrongModes(store), `umask ${umask}`).toEqual([]);
		}

		// The doctor finds it all well, then names a file gone wrong and the fix.
		expect((await as('apjo', ['doctor'])).stdout).toMatch(/^access +ok +household store of the group aptest \(owner root\); this account is in it$/m);
		const settings = path.join(store, 'settings.json');
		await chmod(settings, 0o644);
		const doctor = await as('apsam', ['doctor']);
		expect(doctor.stdout).toMatch(/^access +WARN +household store/m);
		expect(doctor.stdout).toContain(`${settings}: mode 0644, not 0660: sudo chmod 0660 ${settings}`);
		expect(doctor.stdout).toContain(`to fix them all: sudo answerphone setup --household --store ${store} --group aptest`);
		expect((await setUp(store)).code).toBe(0);
		expect(await wrongModes(store)).toEqual([]);
	});

	test('an account outside the group gets one line saying what to do, and nothing changes', async () => {
		const store = path.join(work, 'closed');
		expect((await setUp(store)).code).toBe(0);
		await ok('apjo', ['record', '--input', wav]);
		const before = await listing(store);
		for (const args of [['list'], ['record', '--input', wav], ['mailbox', 'add', 'apout'], ['status']]) {
			const result = await as(outsider, args);
			expect(result).toEqual({code: 1, stdout: '', stderr: `answerphone: cannot open the store at ${store}: you are not in the group aptest: sudo usermod -aG aptest apout, then log in again\n`});
		}

		// In the group by /etc/group, but not in this session's groups.
		expect(await as('apjo', ['list'], {staleSession: true})).toEqual({
			code: 1, stdout: '', stderr: `answerphone: cannot open the store at ${store}: you are in the group aptest, but this session began before you were added: log out and in again\n`,
		});
		expect(await listing(store)).toEqual(before);
	});

	test('setup as anyone but root is one line, exit 1, and makes nothing', async () => {
		const store = path.join(work, 'not-made');
		const result = await as('apjo', ['setup', '--household', '--store', store]);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^answerphone: setup --household must run as root .*: sudo answerphone setup --household --store \S+\n$/);
		await expect(lstat(store)).rejects.toThrow(/ENOENT/);
	});

	test('a personal store stays its owner\'s only, whatever the umask', async () => {
		const store = path.join(work, 'personal');
		await ok(undefined, ['record', '--input', wav, '--store', store], {umask: '000'});
		await ok(undefined, ['mailbox', 'add', 'sam', '--store', store], {umask: '000'});
		const modes = (await listing(store)).map(line => line.split(' ').slice(1, 3).join(' '));
		expect(new Set(modes)).toEqual(new Set(['d 700', 'f 600']));
	});

	test('onNewMessage runs once per new message with the message in its environment; a failing or hanging one loses nothing', async () => {
		const store = path.join(work, 'hooked');
		expect((await setUp(store)).code).toBe(0);
		await writeConfig('apjo', {onNewMessage: `env | grep -E '^ANSWERPHONE_(ID|FOR|FROM|FILE|DURATION)=' | sort > ${hooks}/"$ANSWERPHONE_ID".env`});
		const first = await ok('apjo', ['record', '--input', wav, '--from', 'jo']);
		const second = await ok('apjo', ['record', '--input', wav, '--from', 'jo', '--for', 'everyone']);
		expect((await readdir(hooks)).sort()).toEqual([`${first}.env`, `${second}.env`]);
		expect(await readFile(path.join(hooks, `${first}.env`), 'utf8')).toBe([
			'ANSWERPHONE_DURATION=2',
			'ANSWERPHONE_FILE=' + path.join(store, 'messages', `${first}.wav`),
			'ANSWERPHONE_FOR=everyone',
			'ANSWERPHONE_FROM=jo',
			`ANSWERPHONE_ID=${first}`,
			'',
		].join('\n'));

		await writeConfig('apjo', {onNewMessage: 'echo the mail server is down >&2; exit 3'});
		const failed = await as('apjo', ['record', '--input', wav]);
		expect(failed.code).toBe(0);
		expect(failed.stderr).toMatch(/^answerphone: onNewMessage hook for \S+ failed \(exit 3\): the mail server is down$/m);

		await writeConfig('apjo', {onNewMessage: 'sleep 60'});
		const started = Date.now();
		const hung = await as('apjo', ['record', '--input', wav], {env: {ANSWERPHONE_HOOK_TIMEOUT_MS: '1500'}});
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(hung.code).toBe(0);
		expect(hung.stderr).toMatch(/onNewMessage hook for \S+ was killed after 1.5s/);
		const ids = (JSON.parse(await ok('apsam', ['list', '--json'])) as Array<{id: string}>).map(message => message.id);
		expect(ids).toEqual([first, second, failed.stdout.trim(), hung.stdout.trim()]);
		// Killed with its process group: no sleep of apjo's is left behind.
		// (A killed child is a zombie until init reaps it: dead, only not yet gone.)
		await expect.poll(() => spawnSync('ps', ['-u', 'apjo', '-o', 'stat=,args='], {encoding: 'utf8'}).stdout.split('\n').filter(line => /^[^Z]/.test(line)), {timeout: 5000}).toEqual([]);
		expect(await wrongModes(store)).toEqual([]);
	});
});
