// The built machine on a store of its own, in a real terminal (tmux): what
// the terminal tests share. Each test makes one in beforeEach, with the
// messages it needs, and closes it in afterEach.
import {execFile} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {findProgram} from '../../src/audio/programs.js';
import {writeToneWav} from './pcm.js';
import {TmuxScreen} from './tmux.js';

const run = promisify(execFile);
export const cli = path.resolve('dist/cli.js');

/** Fails the file at once where tmux is missing: every test in it needs one. */
export function requireTmux(): void {
	if (!findProgram('tmux')) {
		throw new Error('tmux is not installed (apt-get install tmux)');
	}
}

export class MachineInTmux {
	screen: TmuxScreen | undefined;

	private constructor(readonly dir: string, readonly store: string, readonly config: string, readonly wav: string) {}

	/** A store with a config (config: its JSON, if any) and a two-second sound to leave as messages. */
	static async create(prefix: string, config?: unknown): Promise<MachineInTmux> {
		const dir = await mkdtemp(path.join(tmpdir(), `answerphone-${prefix}-`));
		const machine = new MachineInTmux(dir, path.join(dir, 'store'), path.join(dir, 'config.json'), path.join(dir, 'two-seconds.wav'));
		if (config !== undefined) {
			await writeFile(machine.config, JSON.stringify(config));
		}

		await writeToneWav(machine.wav, 2000);
		return machine;
	}

	/** Runs a command on the store; its output, trimmed. */
	async answerphone(...args: string[]): Promise<string> {
		const {stdout} = await run('node', [cli, ...args], {env: {...process.env, ANSWERPHONE_STORE: this.store, ANSWERPHONE_CONFIG: this.config}});
		return stdout.trim();
	}

	/** Leaves a message from this sender (and for this housemate). */
	async leave(from: string, recipient?: string): Promise<string> {
		return this.answerphone('record', '--input', this.wav, '--from', from, ...(recipient === undefined ? [] : ['--for', recipient]));
	}

	/**
	 * Opens the machine, once the screen shows shownWhen. env is set on the
	 * command line, as TERM must be (tmux sets its own).
	 */
	async open(shownWhen: (text: string) => boolean, {columns = 100, rows = 30, env = {} as Record<string, string>} = {}): Promise<TmuxScreen> {
		const assignments = Object.entries(env).map(([key, value]) => `${key}=${value}`).join(' ');
		this.screen = TmuxScreen.start(`env ${assignments} node ${cli}`, {columns, rows, env: {ANSWERPHONE_STORE: this.store, ANSWERPHONE_CONFIG: this.config, PATH: process.env['PATH'] ?? ''}});
		await this.screen.waitFor(shownWhen);
		return this.screen;
	}

	async close(): Promise<void> {
		this.screen?.kill();
		this.screen = undefined;
		await rm(this.dir, {recursive: true, force: true});
	}
}
