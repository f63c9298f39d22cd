// Closing the terminal (SIGHUP) or a kill (SIGTERM) while a message is being
// recorded at the screen ends it as q does: the message is saved before the
// machine exits, another screen shows it, and nothing is left in tmp/ for
// some later open to find.
import {execFileSync} from 'node:child_process';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {describeRealAudio} from '../helpers/audio-stack.js';
import {cli, isolatedEnv, runCli} from '../helpers/cli.js';
import {descendants, isRunning, TmuxScreen} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

let work: string;
let callerWav: string;
const screens: TmuxScreen[] = [];

/** The screen's environment in tmux: the store, no config file, and the sandbox's sound server. */
function screenEnv(store: string): Record<string, string> {
	const env: Record<string, string> = {ANSWERPHONE_STORE: store, ANSWERPHONE_CONFIG: path.join(work, 'no-config.json')};
	for (const key of ['PULSE_SERVER', 'PULSE_RUNTIME_PATH', 'AUDIODRIVER', 'PATH']) {
		if (process.env[key]) {
			env[key] = process.env[key]!;
		}
	}

	return env;
}

describeRealAudio('the screen closed or killed while recording', () => {
	beforeAll(async () => {
		if (!findProgram('tmux')) {
			throw new Error('tmux is not installed (apt-get install tmux)');
		}

		work = await mkdtemp(path.join(tmpdir(), 'answerphone-signals-'));
		callerWav = path.join(work, 'caller.wav');
		execFileSync('espeak-ng', ['-w', callerWav, 'Hi Sam, it is Jo. I will be late tonight, save me some dinner.']);
	});

	afterEach(() => {
		for (const screen of screens.splice(0)) {
			screen.kill();
		}
	});

	afterAll(async () => rm(work, {recursive: true, force: true}));

	it.each([
		['SIGHUP', 129],
		['SIGTERM', 143],
	] as const)('%s saves the message being recorded, and other screens show it', async (signal, code) => {
		const store = await mkdtemp(path.join(work, 'store-'));
		const env = screenEnv(store);

		// A housemate's screen, open all along.
		const other = TmuxScreen.start(`node ${cli}`, {columns: 100, rows: 30, env});
		screens.push(other);
		await other.waitFor(text => text.includes('No messages.'));

		const screen = TmuxScreen.start(`node ${cli}`, {columns: 100, rows: 30, env});
		screens.push(screen);
		await screen.waitFor(text => text.includes('No messages.'));
		screen.keys('r');
		await screen.waitFor(text => /● REC\s+0:0\d/.test(text), 25_000);
		const machinePid = descendants(screen.panePid()).find(pid => isRunning(pid))!;
		const recorderPids = descendants(machinePid);
		execFileSync('paplay', [callerWav]);

		process.kill(machinePid, signal);
		await screen.waitFor(text => text.includes(`EXITED:${code}`), 15_000);
		// Saved before the exit: nothing waits in tmp/ for a later open.
		expect(await readdir(path.join(store, 'tmp'))).toEqual([]);
		expect((await readdir(path.join(store, 'messages'))).filter(name => name.endsWith('.wav'))).toHaveLength(1);
		for (const pid of recorderPids) {
			expect(isRunning(pid), `process ${pid} left running`).toBe(false);
		}

		const listed = await runCli(['list', '--json'], {env: isolatedEnv(work, {ANSWERPHONE_STORE: store})});
		expect(listed.code, listed.stderr).toBe(0);
		const [message, ...more] = JSON.parse(listed.stdout) as Array<{durationMs: number; recovered: boolean}>;
		expect(more).toEqual([]);
		expect(message).toMatchObject({recovered: false});
		expect(message!.durationMs).toBeGreaterThan(2000);

		await other.waitFor(text => text.includes('1 new · 1 message'), 10_000);
		await waitFor('the killed screen to be gone', () => !isRunning(machinePid), {timeoutMs: 5000});
	}, 90_000);

	it('closing the terminal\'s window saves the message being recorded', async () => {
		const store = await mkdtemp(path.join(work, 'store-'));
		const screen = TmuxScreen.start(`node ${cli}`, {columns: 100, rows: 30, env: screenEnv(store)});
		screens.push(screen);
		await screen.waitFor(text => text.includes('No messages.'));
		screen.keys('r');
		await screen.waitFor(text => /● REC\s+0:0\d/.test(text), 25_000);
		const machinePid = descendants(screen.panePid()).find(pid => isRunning(pid))!;
		execFileSync('paplay', [callerWav]);

		// The terminal goes away: the machine's next write to it fails as well.
		screen.close();
		await waitFor('the machine to end', () => !isRunning(machinePid), {timeoutMs: 15_000});
		expect(await readdir(path.join(store, 'tmp'))).toEqual([]);
		const listed = await runCli(['list', '--json'], {env: isolatedEnv(work, {ANSWERPHONE_STORE: store})});
		expect(JSON.parse(listed.stdout)).toMatchObject([{recovered: false}]);
	}, 90_000);
});
