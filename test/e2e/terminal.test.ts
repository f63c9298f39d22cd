// A person at a real terminal: the built machine in tmux (100×30 and 80×24),
// leaving a message through the real microphone, seeing the counter blink,
// hearing it back, erasing, undoing and quitting, with nothing left running.
import {execFileSync} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {describeRealAudio} from '../helpers/audio-stack.js';
import {descendants, isRunning, TmuxScreen} from '../helpers/tmux.js';

const cli = path.resolve('dist/cli.js');
let screen: TmuxScreen | undefined;
let store: string;
let callerWav: string;

/** Whether the counter's cells (five rows, nine columns below the title) change over a second and a bit: it blinks. */
async function counterBlinks(terminal: TmuxScreen): Promise<boolean> {
	const looks = new Set<string>();
	for (let sample = 0; sample < 12; sample++) {
		looks.add(terminal.capture().split('\n').slice(1, 6).map(row => [...row].slice(0, 9).join('')).join('\n'));
		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}

	return looks.size > 1;
}

describeRealAudio('the machine in a real terminal', () => {
	beforeAll(async () => {
		if (!findProgram('tmux')) {
			throw new Error('tmux is not installed (apt-get install tmux)');
		}

		const work = await mkdtemp(path.join(tmpdir(), 'answerphone-terminal-'));
		callerWav = path.join(work, 'caller.wav');
		execFileSync('espeak-ng', ['-w', callerWav, 'Hi Sam, it is Jo. I will be late tonight, save me some dinner.']);
	});

	afterEach(async () => {
		screen?.kill();
		await rm(store, {recursive: true, force: true});
	});

	it('records, blinks, plays, erases, undoes and quits cleanly', async () => {
		store = await mkdtemp(path.join(tmpdir(), 'answerphone-store-'));
		const env: Record<string, string> = {ANSWERPHONE_STORE: store};
		for (const key of ['PULSE_SERVER', 'PULSE_RUNTIME_PATH', 'AUDIODRIVER', 'PATH']) {
			if (process.env[key]) {
				env[key] = process.env[key]!;
			}
		}

		screen = TmuxScreen.start(`node ${cli}`, {columns: 100, rows: 30, env});
		await screen.waitFor(text => text.includes('No messages.'));

		// Record through the real microphone (the null sink's monitor).
		screen.keys('r');
		// The beep comes first (no greeting at the screen).
		await screen.waitFor(text => /● REC\s+0:0\d/.test(text), 25_000);
		const machinePid = descendants(screen.panePid()).find(pid => isRunning(pid))!;
		const recorderPids = descendants(machinePid);
		expect(recorderPids.length).toBeGreaterThan(0);
		execFileSync('paplay', [callerWav]);
		await new Promise(resolve => {
			setTimeout(resolve, 1500);
		});
		screen.keys('r');
		const saved = await screen.waitFor(text => text.includes('Saved message') && text.includes('1 message'), 10_000);
		expect(saved).toMatch(/1 new · 1 message/);
		expect(saved).toMatch(/NEW\s+everyone\s+from/);

		// The counter blinks while the message is unheard.
		expect(await counterBlinks(screen)).toBe(true);

		// Play it to the end: it is heard, and the counter stops blinking.
		screen.keys('Space');
		await screen.waitFor(text => text.includes('▶ PLAY'));
		// Its progress moves on, rewritten in place between Ink's frames.
		await screen.waitFor(text => /▶ PLAY\s+█+░*\s+0:0[1-9] \/ 0:0\d/.test(text), 8000);
		await screen.waitFor(text => text.includes('0 new · 1 message'), 20_000);
		expect(await counterBlinks(screen)).toBe(false);
		const heard = screen.capture();
		expect(heard.split('\n').slice(1, 6).join('')).toContain('█');

		screen.keys('e');
		await screen.waitFor(text => text.includes('0 messages') && text.includes('Press u to undo'));
		screen.keys('u');
		await screen.waitFor(text => text.includes('1 message') && text.includes('Restored'));

		const children = descendants(machinePid);
		screen.keys('q');
		await screen.waitFor(text => text.includes('EXITED:0'));
		for (const pid of [...recorderPids, ...children]) {
			expect(isRunning(pid), `process ${pid} left running`).toBe(false);
		}
	}, 90_000);

	it('fits an 80×24 terminal', async () => {
		store = await mkdtemp(path.join(tmpdir(), 'answerphone-store-'));
		execFileSync('node', [cli, 'record', '--store', store, '--input', callerWav, '--from', 'jo']);
		screen = TmuxScreen.start(`node ${cli} --store ${store}`, {columns: 80, rows: 24});
		const text = await screen.waitFor(frame => frame.includes('from jo'));
		const lines = text.split('\n');
		expect(lines.some(line => line.includes('q quit'))).toBe(true);
		expect(Math.max(...lines.map(line => line.trimEnd().length))).toBeLessThanOrEqual(80);
		screen.keys('q');
		await screen.waitFor(frame => frame.includes('EXITED:0'));
	});
});
