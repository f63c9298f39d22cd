// An import fed slowly through a pipe is silent on disk for minutes while
// SoX fills its buffer. A `list` in another terminal in that time must leave
// the draft to its owner, which then saves all of it.
import {execFileSync, spawn} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm, utimes} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {cli, isolatedEnv, runCli} from '../helpers/cli.js';
import {waitFor} from '../helpers/wait-for.js';

let work: string;
let sound: string;

beforeAll(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-liveness-'));
	sound = path.join(work, 'tone.wav');
	execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', sound, 'synth', '8', 'sine', '440', 'vol', '0.5']);
});

afterAll(async () => rm(work, {recursive: true, force: true}));

it('an import paused past the idle limit is not taken by another terminal\'s list, and is saved whole', async () => {
	const store = path.join(work, 'store');
	const env = isolatedEnv(work);
	const tmp = path.join(store, 'tmp');
	const recorder = spawn(process.execPath, [cli, 'record', '--store', store, '--input', '-'], {stdio: ['pipe', 'pipe', 'pipe'], env});
	let stderr = '';
	recorder.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exited = new Promise<number | null>(resolve => {
		recorder.on('close', resolve);
	});
	const wav = await readFile(sound);
	const firstPart = 44 + (5 * 32_000);
	recorder.stdin.write(wav.subarray(0, firstPart));

	// Once SoX writes the draft, the import waits on the pipe.
	const note = await waitFor('the import to name the SoX writing its draft', async () => {
		const name = (await readdir(tmp).catch(() => [] as string[])).find(file => file.endsWith('.json'));
		const text = name === undefined ? '{}' : await readFile(path.join(tmp, name), 'utf8').catch(() => '{}');
		return name !== undefined && (JSON.parse(text) as {helpers?: number[]}).helpers ? name : undefined;
	}, {timeoutMs: 10_000});
	await new Promise(resolve => {
		setTimeout(resolve, 500);
	});
	// The pause stands in for the 2 minutes a slow pipe keeps the draft unchanged.
	const longAgo = new Date(Date.now() - 10 * 60_000);
	for (const file of await readdir(tmp)) {
		await utimes(path.join(tmp, file), longAgo, longAgo);
	}

	const listed = await runCli(['list', '--store', store, '--json'], {env});
	expect(listed.code, listed.stderr).toBe(0);
	expect(JSON.parse(listed.stdout)).toEqual([]);
	expect(await readdir(tmp)).toContain(note);

	recorder.stdin.end(wav.subarray(firstPart));
	expect(await exited, stderr).toBe(0);
	const after = await runCli(['list', '--store', store, '--json'], {env});
	expect(JSON.parse(after.stdout)).toMatchObject([{durationMs: 8000, recovered: false}]);
	expect(await readdir(tmp)).toEqual([]);
});
