// The counter blinking in real terminal emulators, seen as a person sees it:
// xterm, kitty and Alacritty on a virtual X screen (Xvfb), photographed with
// ImageMagick's import. tmux proves what is written; only pixels prove what a
// terminal shows (kitty once showed the SGR 5 blink as 0 pixels changing).
import {execFile, execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {chmod, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterEach, beforeEach, expect, it, vi} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {describeNeeding} from '../helpers/audio-stack.js';
import {writeToneWav} from '../helpers/pcm.js';

const run = promisify(execFile);
const cli = path.resolve('dist/cli.js');
let dir: string;
let store: string;
let config: string;
const children: ChildProcess[] = [];

async function answerphone(...args: string[]): Promise<string> {
	const {stdout} = await run('node', [cli, ...args], {env: {...process.env, ANSWERPHONE_STORE: store, ANSWERPHONE_CONFIG: config}});
	return stdout.trim();
}

async function sleep(ms: number): Promise<void> {
	return new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

/** A virtual X screen on a free display, which Xvfb picks and tells on fd 3. */
async function startX(): Promise<string> {
	const server = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '800x600x24', '-nolisten', 'tcp'], {stdio: ['ignore', 'ignore', 'ignore', 'pipe']});
	children.push(server);
	return new Promise((resolve, reject) => {
		let told = '';
		server.stdio[3]!.on('data', (chunk: Buffer) => {
			told += chunk.toString();
			if (told.includes('\n')) {
				resolve(`:${told.trim()}`);
			}
		});
		server.on('exit', code => {
			reject(new Error(`Xvfb exited (${code})`));
		});
	});
}

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'answerphone-emulator-'));
	store = path.join(dir, 'store');
	config = path.join(dir, 'config.json');
	const wav = path.join(dir, 'a-second.wav');
	await writeToneWav(wav, 1200);
	await answerphone('record', '--input', wav, '--from', 'jo');
});

afterEach(async () => {
	// Each gone before the next test starts its own: a dying X server still
	// holds its display number, which the next Xvfb could be told is free.
	for (const child of children.splice(0).reverse()) {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise(resolve => {
				child.once('exit', resolve);
			});
			child.kill();
			await exited;
		}
	}

	await rm(dir, {recursive: true, force: true});
});

// The same machine in the terminals people use, typed at as a person types
// (xdotool, through the X server: the terminal cannot tell it from a
// keyboard). kitty and Alacritty draw with OpenGL: Mesa's software renderer
// stands in for a graphics card. Apt packages (.ci/run): xvfb, imagemagick,
// xdotool, fonts-dejavu-core, xterm, kitty, alacritty, libgl1-mesa-dri.
type Emulator = {name: string; program: string; args: string[]};
const emulators: Emulator[] = [
	{name: 'xterm', program: 'xterm', args: ['-fa', 'DejaVu Sans Mono', '-fs', '10', '-geometry', '100x30+0+0', '-u8', '-e', process.execPath, cli]},
	{
		name: 'kitty', program: 'kitty',
		// cursor_blink_interval=0: a blinking cursor would change pixels too.
		args: ['--config', 'NONE', '-o', 'font_size=10', '-o', 'cursor_blink_interval=0', '-o', 'remember_window_size=no', '-o', 'initial_window_width=100c', '-o', 'initial_window_height=30c', process.execPath, cli],
	},
	{
		name: 'Alacritty', program: 'alacritty',
		args: ['-o', 'cursor.blink_interval=0', '-o', 'window.dimensions.columns=100', '-o', 'window.dimensions.lines=30', '-e', process.execPath, cli],
	},
];

/** The top of the screen (the title, the counter, the tape and the status line in each terminal), as 8-bit RGB pixels. */
function screenshot(display: string): Buffer {
	return execFileSync('import', ['-window', 'root', '-crop', '800x160+0+0', '+repage', '-depth', '8', 'rgb:-'], {env: {...process.env, DISPLAY: display}});
}

/**
 * Pixels of a clearly red hue: each terminal has its own red (Alacritty's is
 * a soft #cc6666), so by how much red outweighs green and blue.
 */
function reddish(pixels: Buffer): number {
	let count = 0;
	for (let index = 0; index + 2 < pixels.length; index += 3) {
		const r = pixels[index]!;
		if (r > 140 && r > pixels[index + 1]! + 60 && r > pixels[index + 2]! + 60) {
			count++;
		}
	}

	return count;
}

/** Every different screenshot over ms, ten a second. */
async function screenshots(display: string, ms: number): Promise<Buffer[]> {
	const seen: Buffer[] = [];
	// By the clock: a screenshot can take a good part of a second on a busy machine.
	for (const end = Date.now() + ms; Date.now() < end;) {
		const pixels = screenshot(display);
		if (!seen.some(other => other.equals(pixels))) {
			seen.push(pixels);
		}

		await sleep(100);
	}

	return seen;
}

/** The first and last byte offsets at which any of the screenshots differ: where the counter blinks. */
function changing(shots: readonly Buffer[]): {start: number; end: number} {
	let start = Number.POSITIVE_INFINITY;
	let end = 0;
	for (const shot of shots.slice(1)) {
		for (let index = 0; index < shot.length; index++) {
			if (shot[index] !== shots[0]![index]) {
				start = Math.min(start, index);
				end = Math.max(end, index + 1);
			}
		}
	}

	return {start, end};
}

/** Types text into the window under the pointer, as a keyboard does. */
function type(display: string, text: string): void {
	execFileSync('xdotool', ['mousemove', '5', '5', 'type', '--delay', '50', text], {env: {...process.env, DISPLAY: display}});
}

for (const emulator of emulators) {
	const absent = ['Xvfb', 'import', 'xdotool', emulator.program].find(program => !findProgram(program));
	describeNeeding(`the machine in ${emulator.name}`, absent === undefined ? undefined : `${absent} is not installed`, () => {
		it('blinks the counter\'s pixels while a message is new; space plays it, and the counter stays lit once it is heard', async () => {
			// A player that takes a second and plays nothing: the test needs no sound card.
			const bin = path.join(dir, 'bin');
			await mkdir(bin);
			await writeFile(path.join(bin, 'paplay'), '#!/bin/sh\nsleep 1\n');
			await chmod(path.join(bin, 'paplay'), 0o755);
			await writeFile(config, JSON.stringify({player: 'paplay', stamps: false}));
			const display = await startX();
			const terminal = spawn(emulator.program, emulator.args, {
				env: {
					...process.env, DISPLAY: display, LIBGL_ALWAYS_SOFTWARE: '1', CI: 'false', PATH: `${bin}:${process.env['PATH'] ?? ''}`,
					ANSWERPHONE_STORE: store, ANSWERPHONE_CONFIG: config,
				},
				stdio: 'ignore',
			});
			children.push(terminal);
			// Up once the digits show lit (software OpenGL takes a few seconds to start).
			await vi.waitFor(() => {
				expect(reddish(screenshot(display))).toBeGreaterThan(800);
			}, {timeout: 20_000, interval: 200});

			const shots = await screenshots(display, 1500);
			expect(shots.length).toBeGreaterThan(1);
			const blinking = shots.map(pixels => reddish(pixels));
			// Lit, then dark: the red goes with the digits.
			expect(Math.min(...blinking)).toBeLessThan(Math.max(...blinking) / 2);
			// The rows the blinking changed: the counter's, and nothing else's
			// (the play line and the list change with the playing below).
			const {start, end} = changing(shots);

			type(display, ' ');
			await vi.waitFor(async () => {
				const [message] = JSON.parse(await answerphone('list', '--json')) as Array<{heard: boolean}>;
				expect(message!.heard).toBe(true);
			}, {timeout: 10_000, interval: 200});
			await sleep(700);
			const heard = await screenshots(display, 1500);
			const counters = new Set(heard.map(pixels => pixels.subarray(start, end).toString('base64')));
			expect(counters.size).toBe(1);
			// Lit: as red as the lit counter was, less the red of "1 new" and NEW.
			expect(reddish(heard[0]!.subarray(start, end))).toBeGreaterThan(reddish(shots.find(pixels => reddish(pixels) === Math.max(...blinking))!.subarray(start, end)) * 0.9);
		}, 45_000);
	});
}
