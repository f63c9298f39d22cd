// The built CLI with damaged or absurd settings, a tape shrunk below what it
// holds, and kept messages: nothing is overwritten that nobody chose to lose.
// Sound files are imported with SoX, as in cli.test.ts.
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {wavHeader} from '../../src/pcm/wav.js';
import {isolatedEnv, runCli} from '../helpers/cli.js';
import {pcm} from '../helpers/pcm.js';

let work: string;
let store: string;
let sound: string;
let second: string;
let count = 0;

async function cli(...args: string[]) {
	return runCli([...args, '--store', store], {env: isolatedEnv(work)});
}

async function ok(...args: string[]): Promise<string> {
	const result = await cli(...args);
	expect(result.code, result.stderr).toBe(0);
	return result.stdout;
}

async function ids(): Promise<string[]> {
	return (JSON.parse(await ok('list', '--json')) as Array<{id: string}>).map(message => message.id);
}

beforeAll(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-guard-e2e-'));
	sound = path.join(work, 'three-seconds.wav');
	const audio = pcm(3000);
	await writeFile(sound, Buffer.concat([wavHeader(audio.length), audio]));
	second = path.join(work, 'one-second.wav');
	const short = pcm(1000);
	await writeFile(second, Buffer.concat([wavHeader(short.length), short]));
});

beforeEach(async () => {
	store = path.join(work, `store-${++count}`);
	// A 10-second tape holding three 3-second messages.
	await ok('settings', '--tape', '10s', '--max-message', '3s');
	for (let index = 0; index < 3; index++) {
		await ok('record', '--input', sound);
	}
});

afterAll(async () => {
	await rm(work, {recursive: true, force: true});
});

describe('a damaged settings.json', () => {
	test('stops recording and settings changes with one line, while list, status and doctor work and say how to repair it', async () => {
		const before = await ids();
		const settingsFile = path.join(store, 'settings.json');
		const written = await readFile(settingsFile, 'utf8');
		// Truncated, as a full disk or a crash of some other program leaves it.
		await writeFile(settingsFile, written.slice(0, 20));

		const record = await cli('record', '--input', sound);
		expect(record.code).toBe(1);
		expect(record.stderr.trim().split('\n')).toHaveLength(1);
		expect(record.stderr).toMatch(/settings\.json is damaged \(it is not valid JSON\).*--repair/);
		for (const args of [['settings'], ['settings', '--max-message', '2s']]) {
			const refused = await cli(...args);
			expect(refused.code, args.join(' ')).toBe(1);
			expect(refused.stderr).toMatch(/damaged/);
		}

		expect(await ids()).toEqual(before);
		const status = await cli('status');
		expect(status.code).toBe(0);
		expect(status.stdout).toMatch(/^3 new · 3 messages/);
		expect(status.stderr).toMatch(/settings\.json is damaged/);
		const doctor = await cli('doctor');
		expect(doctor.code).toBe(1);
		expect(doctor.stdout).toMatch(/^settings +DAMAGED +.*settings\.json: it is not valid JSON$/m);
		expect(doctor.stdout).toContain('answerphone settings --repair --tape DUR');
		expect(doctor.stdout).toMatch(/delete the file to go back to the defaults/);

		// A repair names the tape's length; the rest go back to the defaults.
		expect((await cli('settings', '--repair')).code).toBe(2);
		expect((await cli('settings', '--repair', '--tape', '10s', '--max-message', '3s'))).toMatchObject({code: 0, stdout: 'tape         10s\nmax-message  3s\nmin-message  1s\n'});
		expect(await ids()).toEqual(before);
		await ok('record', '--input', sound);
		expect(await ids()).toHaveLength(3);
		expect((await cli('doctor')).stdout).toMatch(/^settings +ok +tape 10s, messages 1s to 3s$/m);
	});

	test('holding absurd values is damaged too, and absurd values are refused when set', async () => {
		await writeFile(path.join(store, 'settings.json'), '{"tapeMs": 10000, "maxMessageMs": -5, "minMessageMs": 1e308}');
		expect((await cli('record', '--input', sound)).stderr).toMatch(/maxMessageMs is not a whole number|damaged/);
		await ok('settings', '--repair', '--tape', '10s', '--max-message', '3s');

		const huge = await cli('settings', '--tape', '9'.repeat(400));
		expect(huge.code).toBe(2);
		expect(huge.stderr).toMatch(/^answerphone: --tape must be a duration from 1s to 24h, not "9+…\n$/);
		expect(huge.stderr).not.toMatch(/Infinity/);
		expect((await cli('settings', '--min-message', '3s')).code).toBe(2);
		expect(JSON.parse(await ok('settings', '--json'))).toEqual({tapeMs: 10_000, maxMessageMs: 3000, minMessageMs: 1000});
	});
});

describe('shrinking the tape below what it holds', () => {
	test('says what the next recording would overwrite and wants --yes; nothing goes until that recording', async () => {
		const before = await ids();
		const refused = await cli('settings', '--tape', '5s');
		expect(refused.code).toBe(1);
		expect(refused.stderr).toBe('answerphone: a 5s tape is shorter than the 0:09 on it: the next recording would overwrite at least 2 messages (0:06, 2 unheard); run again with --yes to shrink it\n');
		expect(JSON.parse(await ok('settings', '--json'))).toMatchObject({tapeMs: 10_000});

		// Growing it, or shrinking it to what it holds, asks nothing.
		await ok('settings', '--tape', '9s');
		expect(await ok('settings', '--tape', '5s', '--yes')).toMatch(/^tape {9}5s$/m);
		expect(await ids()).toEqual(before);

		// A second more needs just those two to go: over the tape by 4, 1 to record.
		await ok('record', '--input', second);
		const after = await ids();
		expect(after).toHaveLength(2);
		expect(after[0]).toBe(before[2]);
	});
});

describe('a kept message', () => {
	test('is erased only with --yes, and restore brings it back kept', async () => {
		const [id] = await ids();
		await ok('keep', id!);
		const refused = await cli('erase', id!);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toBe(`answerphone: ${id} is kept: erase with --yes, or unkeep first with answerphone keep --off ID\n`);
		expect(await ids()).toContain(id);

		await ok('erase', id!, '--yes');
		expect(await ids()).not.toContain(id);
		await ok('restore', id!);
		const listed = JSON.parse(await ok('list', '--json')) as Array<{id: string; keep: boolean}>;
		expect(listed.find(message => message.id === id)).toMatchObject({keep: true});
	});
});
