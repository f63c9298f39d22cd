// What a newcomer found trying the built command line for the first time:
// each a wrong exit code or a line that was not for a person. Real files,
// real processes.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {wavHeader} from '../../src/pcm/wav.js';
import {isolatedEnv, runCli, type Exit} from '../helpers/cli.js';

let work: string;
let store: string;
let env: NodeJS.ProcessEnv;
let id: string;

async function run(args: string[]): Promise<Exit> {
	return runCli(['--store', store, ...args], {env, timeoutMs: 20_000});
}

/** One clear line on stderr, nothing on stdout, and this exit code. */
function failsWith(result: Exit, code: number): void {
	expect(result.code).toBe(code);
	expect(result.stdout).toBe('');
	expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

beforeAll(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-newcomer-'));
	store = path.join(work, 'store');
	env = isolatedEnv(work);
	const tone = path.join(work, 'tone.wav');
	const pcm = Buffer.alloc(64_000);
	for (let index = 0; index < 32_000; index++) {
		pcm.writeInt16LE(Math.round(5000 * Math.sin(index / 6)), index * 2);
	}

	await writeFile(tone, Buffer.concat([wavHeader(pcm.length), pcm]));
	const recorded = await run(['record', '--input', tone]);
	expect(recorded.code).toBe(0);
	id = recorded.stdout.trim();
});

afterAll(async () => {
	await rm(work, {recursive: true, force: true});
});

describe('export to a place that cannot take it', () => {
	test('an empty FILE (an unset variable) is a usage mistake, exit 2', async () => {
		const result = await run(['export', id, '']);
		failsWith(result, 2);
		expect(result.stderr).toMatch(/usage: answerphone export ID FILE/);
	});

	test('a folder that is not there is named as such, without Node\'s text or the store\'s path', async () => {
		const target = path.join(work, 'no-such-folder', 'x.wav');
		const result = await run(['export', id, target]);
		failsWith(result, 1);
		expect(result.stderr).toBe(`answerphone: cannot export to ${target}: no such folder\n`);
	});

	test('a folder given as FILE/ says to name a file', async () => {
		const result = await run(['export', id, `${work}/`]);
		failsWith(result, 1);
		expect(result.stderr).toBe(`answerphone: cannot export to ${work}/: it is a folder: name a file\n`);
	});
});

test('status --login --json is refused (it printed the login line, which is not JSON)', async () => {
	const result = await run(['status', '--login', '--json']);
	failsWith(result, 2);
	expect(result.stderr).toMatch(/--login or --json, not both/);
});

test('settings --tape 1m1m is refused, not taken as 2m', async () => {
	const result = await run(['settings', '--tape', '1m1m']);
	failsWith(result, 2);
	expect((await run(['settings'])).stdout).toMatch(/^tape\s+20m$/m);
});

test('erase of one message named twice (by id and by a prefix) erases and counts it once, by its full id', async () => {
	const result = await run(['erase', id, id.slice(0, 22)]);
	expect(result.code).toBe(0);
	expect(result.stderr).toBe(`answerphone: erased 1 (answerphone restore ${id} brings it back)\n`);
	expect((await run(['restore', id])).code).toBe(0);
});
