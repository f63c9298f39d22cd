// Running the built command as the throwaway Unix accounts that
// scripts/test-accounts.sh makes (apjo and apsam in the group aptest, apout
// outside it), each with a config file and a cache of its own, and the
// system's config file at a path of the sandbox's.
import {spawn, spawnSync} from 'node:child_process';
import {chmod, chown, cp, mkdir, mkdtemp, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {findProgram} from '../../src/audio/programs.js';
import {exitOf, type Exit} from './cli.js';

export const group = 'aptest';
export const housemates = ['apjo', 'apsam'] as const;
export const outsider = 'apout';

/** Why the accounts' tests cannot run here, or undefined when they can. */
export function missingPiece(): string | undefined {
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

export type {Exit} from './cli.js';

export type RunOptions = {umask?: string; env?: NodeJS.ProcessEnv; staleSession?: boolean};

export type AccountsSandbox = {
	/** A folder every account can read (0755). */
	work: string;
	/** The built command, copied where every account can read it. */
	cli: string;
	systemConfig: string;
	/** The group's id. */
	gid: number;
	/** Runs a program as user (root when undefined) under umask, with that user's own config file. */
	run: (user: string | undefined, command: string[], options?: RunOptions) => Promise<Exit>;
	/** Runs the built command the same way. */
	as: (user: string | undefined, args: string[], options?: RunOptions) => Promise<Exit>;
	writeConfig: (user: string, config: Record<string, unknown>) => Promise<void>;
};

/** The repository may be under /root, which the accounts cannot read: the built command and its one dependency are copied out. */
async function copyTheCommand(work: string): Promise<string> {
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

export async function accountsSandbox(prefix: string): Promise<AccountsSandbox> {
	const work = await mkdtemp(path.join('/tmp', prefix));
	await chmod(work, 0o755);
	const cli = await copyTheCommand(work);
	const gid = Number(spawnSync('getent', ['group', group], {encoding: 'utf8'}).stdout.split(':')[2]);
	const systemConfig = path.join(work, 'etc', 'config.json');

	const writeConfig = async (user: string, config: Record<string, unknown>): Promise<void> => {
		const file = path.join(work, `config-${user}.json`);
		await writeFile(file, JSON.stringify(config));
		await chmod(file, 0o644);
	};

	for (const user of [...housemates, outsider]) {
		const cache = path.join(work, `cache-${user}`);
		await mkdir(cache);
		const id = spawnSync('id', ['-u', user], {encoding: 'utf8'}).stdout.trim();
		await chown(cache, Number(id), -1);
		await writeConfig(user, {});
	}

	const run = async (user: string | undefined, command: string[], options: RunOptions = {}): Promise<Exit> => {
		const shell = ['sh', '-c', `umask ${options.umask ?? '022'}; exec "$0" "$@"`, ...command];
		// staleSession: the account without its supplementary groups, as a
		// session begun before it was added to one has it.
		const [program, ...rest] = user === undefined ? shell : options.staleSession
			? ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--clear-groups', ...shell]
			: ['runuser', '-u', user, '--', ...shell];
		const env = {
			...process.env,
			ANSWERPHONE_SYSTEM_CONFIG: systemConfig,
			ANSWERPHONE_CONFIG: path.join(work, `config-${user ?? 'root'}.json`),
			ANSWERPHONE_CACHE: path.join(work, `cache-${user ?? 'root'}`),
			ANSWERPHONE_STORE: '',
			ANSWERPHONE_AS: '',
			...options.env,
		};
		return exitOf(spawn(program!, rest, {env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, killSignal: 'SIGKILL'}));
	};

	return {
		work,
		cli,
		systemConfig,
		gid,
		run,
		as: async (user, args, options) => run(user, [process.execPath, cli, ...args], options),
		writeConfig,
	};
}
