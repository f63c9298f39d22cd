// The household on one box, with real Unix accounts (scripts/test-accounts.sh
// makes them: apjo and apsam in the group aptest, apout outside it). Root sets
// the store up; each account runs the built command through runuser, under
// umasks that would strip the group's bits; every file and folder in the
// store must stay the group's (0660, 2770 with setgid), never the world's.
import {spawn, spawnSync} from 'node:child_process';
import {chmod, chown, cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {describeNeeding} from '../helpers/audio-stack.js';
import {pcm} from '../helpers/pcm.js';
import {wavHeader} from '../../src/pcm/wav.js';
import {findProgram} from '../../src/audio/programs.js';

const group = 'aptest';
const housemates = ['apjo', 'apsam'] as const;
const outsider = 'apout';

function missingPiece(): string | undefined {
	if (process.getuid?.() !== 0) {
		return 'needs root (it runs the command as other accounts)';
	}

	for (const program of ['runuser', 'setpriv', 'sox']) {
		if (!findProgram(program)) {
			return `${program} is not installed`;
		}
	}

	for (const user of [...housemates, outsider]) {
		if (spawnSync('id', [user]).status !== 0) {
			return `no account ${user} (run: scripts/test-accounts.sh start)`;
		}
	}

	return undefined;
}

type Exit = {code: number | null; stdout: string; stderr: string};

let work: string;
let cli: string;
let wav: string;
let systemConfig: string;
let hooks: string;
let gid: number;

/** The repository may be under /root, which the accounts cannot read: the built command and its one dependency are copied out. */
async function copyTheCommand(): Promise<string> {
	const app = path.join(work, 'app');
	for (const part of ['dist', 'assets', 'package.json']) {
		await cp(part, path.join(app, part), {recursive: true, dereference: true});
	}

	for (const module of ['node-record-lpcm16', 'debug', 'ms']) {
		await cp(path.join('node_modules', module), path.join(app, 'node_modules', module), {recursive: true, dereference: true});
	}

	spawnSync('chmod', ['-R', 'a+rX', app]);
	return path.join(app, 'dist', 'cli.js');
}

/** Runs the built command as user (root when undefined) under umask, with that user's own config file. */
async function as(user: string | undefined, args: string[], options: {umask?: string; env?: NodeJS.ProcessEnv; staleSession?: boolean} = {}): Promise<Exit> {
	const command = ['sh', '-c', `umask ${options.umask ?? '022'}; exec "$0" "$@"`, process.execPath, cli, ...args];
	// staleSession: the account without its supplementary groups, as a
	// session begun before it was added to one has it.
	const [program, ...rest] = user === undefined ? command : options.staleSession
		? ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--clear-groups', ...command]
		: ['runuser', '-u', user, '--', ...command];
	const env = {
		...process.env,
		ANSWERPHONE_SYSTEM_CONFIG: systemConfig,
		ANSWERPHONE_CONFIG: path.join(work, `config-${user ?? 'root'}.json`),
		ANSWERPHONE_CACHE: path.join(work, `cache-${user ?? 'root'}`),
		ANSWERPHONE_STORE: '',
		...options.env,
	};
	return new Promise((resolve, reject) => {
		const child = spawn(program!, rest, {env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, killSignal: 'SIGKILL'});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child.on('error', reject);
		child.on('close', code => {
			resolve({code, stdout, stderr});
		});
	});
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
	const file = path.join(work, `config-${user}.json`);
	await writeFile(file, JSON.stringify(config));
	await chmod(file, 0o644);
}

async function setUp(store: string): Promise<Exit> {
	return as(undefined, ['setup', '--household', '--store', store, '--group', group]);
}

describeNeeding('a household on one box, with real accounts', missingPiece(), () => {
	beforeAll(async () => {
		work = await mkdtemp('/tmp/answerphone-accounts-');
		await chmod(work, 0o755);
		cli = await copyTheCommand();
		gid = Number(spawnSync('getent', ['group', group], {encoding: 'utf8'}).stdout.split(':')[2]);
		const audio = pcm(2000, 'household');
		wav = path.join(work, 'two-seconds.wav');
		await writeFile(wav, Buffer.concat([wavHeader(audio.length), audio]));
		await chmod(wav, 0o644);
		systemConfig = path.join(work, 'etc', 'config.json');
		hooks = path.join(work, 'hooks');
		await mkdir(hooks);
		await chmod(hooks, 0o1777);
		for (const user of [...housemates, outsider]) {
			const cache = path.join(work, `cache-${user}`);
			await mkdir(cache);
			const id = spawnSync('id', ['-u', user], {encoding: 'utf8'}).stdout.trim();
			await chown(cache, Number(id), -1);
			await writeConfig(user, {});
		}
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
