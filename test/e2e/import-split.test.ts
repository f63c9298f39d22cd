// Which imports are split across the cores, decided on real files made by
// SoX. The joined result itself is checked against one SoX in cli.test.ts.
import {execFileSync} from 'node:child_process';
import {mkdtemp, open, rm} from 'node:fs/promises';
import {availableParallelism, tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {splitFor} from '../../src/audio/import.js';

let dir: string;
const cores = Math.min(availableParallelism(), 4);
const limitMs = 120_000;

function make(name: string, ...format: string[]): string {
	const file = path.join(dir, name);
	execFileSync('sox', ['-n', ...format, file, 'synth', '75', 'sine', '440', 'vol', '0.5'], {stdio: 'ignore'});
	return file;
}

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'answerphone-split-'));
});

afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

describe('splitting an import across the cores', () => {
	it('splits a long PCM WAV at a common rate, one part per core (none on one core)', async () => {
		const partsOf = async (file: string) => (await splitFor(file, limitMs))?.length;
		const expected = cores >= 2 ? cores : undefined;
		expect(await partsOf(make('cd.wav', '-r', '44100', '-c', '2', '-b', '16'))).toBe(expected);
		// SoX writes 24-bit as WAVE_FORMAT_EXTENSIBLE, with PCM inside.
		expect(await partsOf(make('24-bit.wav', '-r', '22050', '-c', '1', '-b', '24'))).toBe(expected);
		expect(await partsOf(make('float.wav', '-r', '48000', '-c', '1', '-e', 'floating-point', '-b', '32'))).toBe(expected);
	});

	it('leaves to one SoX what it cannot cut exactly, or need not cut', async () => {
		const cases = {
			'already at 16 kHz': make('16k.wav', '-r', '16000', '-c', '2', '-b', '16'),
			'a rate SoX only approximates': make('odd-rate.wav', '-r', '44101', '-c', '1', '-b', '16'),
			'u-law': make('ulaw.wav', '-r', '8000', '-c', '1', '-e', 'u-law'),
			'not a WAV': make('sound.aiff', '-r', '44100', '-c', '1', '-b', '16'),
		};
		for (const [what, file] of Object.entries(cases)) {
			expect(await splitFor(file, limitMs), what).toBeUndefined();
		}

		const cd = path.join(dir, 'cd-short.wav');
		execFileSync('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', cd, 'synth', '30', 'sine', '440'], {stdio: 'ignore'});
		expect(await splitFor(cd, limitMs), 'under a minute').toBeUndefined();
		expect(await splitFor(make('cd-long.wav', '-r', '44100', '-c', '2', '-b', '16'), 60_000), 'longer than the limit').toBeUndefined();
	});

	it('never splits a WAV whose header gives no size, which SoX reads as empty', async () => {
		const file = make('streamed.wav', '-r', '44100', '-c', '2', '-b', '16');
		const handle = await open(file, 'r+');
		await handle.write(Buffer.alloc(4), 0, 4, 40);
		await handle.close();
		expect(await splitFor(file, limitMs)).toBeUndefined();
	});

	it('never reads from a pipe, whose bytes belong to SoX', async () => {
		const fifo = path.join(dir, 'fifo.wav');
		execFileSync('mkfifo', [fifo]);
		// Opening a FIFO with no writer would block: a wrong answer hangs the test.
		expect(await splitFor(fifo, limitMs)).toBeUndefined();
	});
});
