// Issue 12, item 5: `answerphone record` on a terminal plays the greeting,
// and a key skips it to the beep (Ctrl-C still cancels). Real sound: a
// private PulseAudio server's null sink; the terminal is tmux's.
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {beforeAll, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {describeRealAudio} from '../helpers/audio-stack.js';
import {startPrivatePulse, type PulseServer} from '../helpers/pulse.js';
import {TmuxScreen} from '../helpers/tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let work: string;
let soundEnv: NodeJS.ProcessEnv = process.env;
let server: PulseServer | undefined;

function terminalEnv(store: string): Record<string, string> {
	return Object.fromEntries(Object.entries({...soundEnv, ANSWERPHONE_CONFIG: path.join(work, 'config.json'), ANSWERPHONE_STORE: store})
		.filter(([key, value]) => value !== undefined && /^(?:PULSE_|AUDIODRIVER|ANSWERPHONE_|PATH$|HOME$)/.test(key))) as Record<string, string>;
}

/** A store whose greeting is 20 s long: nobody waits that out in a test by accident. */
async function storeWithLongGreeting(name: string): Promise<string> {
	const store = path.join(work, name);
	await mkdir(store, {recursive: true});
	execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', path.join(store, 'greeting.wav'), 'synth', '20', 'sine', '300', 'vol', '0.2']);
	return store;
}

describeRealAudio('a key during the greeting of answerphone record', () => {
	beforeAll(async () => {
		if (!existsSync(cli)) {
			throw new Error('dist/cli.js is missing: run npm run build first (npm test does)');
		}

		if (!findProgram('tmux')) {
			throw new Error('tmux is not installed (apt-get install tmux)');
		}

		work = await mkdtemp(path.join(tmpdir(), 'answerphone-greeting-skip-'));
		await writeFile(path.join(work, 'config.json'), '{}');
		if (findProgram('pulseaudio')) {
			server = await startPrivatePulse(path.join(work, 'pulse'));
			soundEnv = server.env;
		}

		return async () => {
			await server?.stop();
			await rm(work, {recursive: true, force: true});
		};
	});

	it('skips to the beep, and the recording goes on', async () => {
		const store = await storeWithLongGreeting('skip');
		const screen = TmuxScreen.start(`${process.execPath} ${cli} record --silence 2s`, {env: terminalEnv(store)});
		try {
			// Well into the greeting, and nothing recording yet.
			await new Promise(resolve => {
				setTimeout(resolve, 1500);
			});
			expect(screen.capture()).not.toContain('answerphone: recording');
			const pressed = performance.now();
			screen.keys('x');
			await screen.waitFor(text => text.includes('answerphone: recording'), 5000);
			// The beep and the microphone's start, not the 18 s of greeting left.
			expect(performance.now() - pressed).toBeLessThan(4000);
			// Nothing said: the silence stop hangs up, and the command says so.
			await screen.waitFor(text => /EXITED:\d/.test(text), 15_000);
		} finally {
			screen.kill();
		}
	});

	it('Ctrl-C during the greeting still cancels', async () => {
		const store = await storeWithLongGreeting('cancel');
		const screen = TmuxScreen.start(`${process.execPath} ${cli} record`, {env: terminalEnv(store)});
		try {
			await new Promise(resolve => {
				setTimeout(resolve, 1500);
			});
			screen.keys('C-c');
			const text = await screen.waitFor(shown => /EXITED:\d/.test(shown), 5000);
			expect(text).toContain('cancelled during the greeting: nothing recorded');
			expect(text).toContain('EXITED:1');
		} finally {
			screen.kill();
		}
	});
});
