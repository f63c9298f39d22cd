// The counter blinking in a real terminal emulator, seen as a person sees it:
// xterm on a virtual X screen (Xvfb), photographed with ImageMagick's import.
// tmux proves what is written; only pixels prove what a terminal shows (kitty
// once showed the SGR 5 blink as 0 pixels changing).
import {execFile, execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterEach, beforeEach, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {describeNeeding} from '../helpers/audio-stack.js';
import {writeToneWav} from '../helpers/pcm.js';

const run = promisify(execFile);
const cli = path.resolve('dist/cli.js');
// Apt packages xvfb, xterm, imagemagick and fonts-dejavu-core (.ci/run).
const missingProgram = ['Xvfb', 'xterm', 'import'].find(program => !findProgram(program));
const missing = missingProgram === undefined ? undefined : `${missingProgram} is not installed`;
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

/**
 * The counter's corner of the screen, as 8-bit RGB pixels: below the title,
 * left of the cassette and of "1 new" (xterm's cells in DejaVu Sans Mono 10
 * are about 7×15 pixels).
 */
function photograph(display: string): Buffer {
	return execFileSync('import', ['-window', 'root', '-crop', '84x90+0+17', '+repage', '-depth', '8', 'rgb:-'], {env: {...process.env, DISPLAY: display}});
}

/** How many pixels are the LED's red (not the black of a screen with no window yet). */
function red(pixels: Buffer): number {
	let count = 0;
	for (let index = 0; index + 2 < pixels.length; index += 3) {
		if (pixels[index]! > 150 && pixels[index + 1]! < 90 && pixels[index + 2]! < 90) {
			count++;
		}
	}

	return count;
}

/** Every different photograph over ms, ten a second. */
async function looks(display: string, ms: number): Promise<Buffer[]> {
	const seen: Buffer[] = [];
	for (let waited = 0; waited < ms; waited += 100) {
		const pixels = photograph(display);
		if (!seen.some(other => other.equals(pixels))) {
			seen.push(pixels);
		}

		await sleep(100);
	}

	return seen;
}

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'answerphone-emulator-'));
	store = path.join(dir, 'store');
	config = path.join(dir, 'config.json');
	const wav = path.join(dir, 'two-seconds.wav');
	await writeToneWav(wav, 2000);
	await answerphone('record', '--input', wav, '--from', 'jo');
});

afterEach(async () => {
	for (const child of children.splice(0).reverse()) {
		child.kill();
	}

	await rm(dir, {recursive: true, force: true});
});

describeNeeding('the machine in xterm', missing, () => {
	it('blinks the counter\'s pixels while a message is new, and stops, lit, once it is heard', async () => {
		const display = await startX();
		const terminal = spawn('xterm', ['-fa', 'DejaVu Sans Mono', '-fs', '10', '-geometry', '100x30+0+0', '-u8', '-e', process.execPath, cli], {
			env: {...process.env, DISPLAY: display, ANSWERPHONE_STORE: store, ANSWERPHONE_CONFIG: config}, stdio: 'ignore',
		});
		children.push(terminal);
		// Up once the digits show lit.
		for (let tries = 0; tries < 150 && red(photograph(display)) < 500; tries++) {
			await sleep(100);
		}

		const blinking = await looks(display, 1500);
		expect(blinking.length).toBeGreaterThan(1);
		const amounts = blinking.map(pixels => red(pixels));
		// Lit, then dark: the red goes with the digits.
		expect(Math.min(...amounts)).toBeLessThan(Math.max(...amounts) / 2);

		const [message] = JSON.parse(await answerphone('list', '--json')) as Array<{id: string}>;
		await answerphone('mark', message!.id, '--heard');
		// The machine sees the store change, draws "0 new" and stops blinking.
		await sleep(2000);
		const heard = await looks(display, 1500);
		expect(heard).toHaveLength(1);
		expect(red(heard[0]!)).toBeGreaterThan(Math.max(...amounts) * 0.9);
	}, 45_000);
});
