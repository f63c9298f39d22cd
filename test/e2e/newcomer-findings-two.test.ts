// A second newcomer's findings with the built command line: names the screen
// already uses, columns that wide letters push over, a sound file that is
// not there. Real files, real processes.
import {existsSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import stringWidth from 'string-width';
import {wavHeader} from '../../src/pcm/wav.js';
import {isolatedEnv, runCli, type Exit} from '../helpers/cli.js';
import {pcm} from '../helpers/pcm.js';

let work: string;
let env: NodeJS.ProcessEnv;
let stores = 0;

async function run(store: string, args: string[]): Promise<Exit> {
	return runCli(['--store', store, ...args], {env, timeoutMs: 20_000});
}

function newStore(): string {
	stores++;
	return path.join(work, `store-${stores}`);
}

/** One clear line on stderr, nothing on stdout, and this exit code. */
function failsWith(result: Exit, code: number): void {
	expect(result.code).toBe(code);
	expect(result.stdout).toBe('');
	expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

async function plant(store: string, id: string, meta: Record<string, unknown>): Promise<void> {
	const audio = pcm(1500, id);
	await writeFile(path.join(store, 'messages', `${id}.wav`), Buffer.concat([wavHeader(audio.length), audio]));
	await writeFile(path.join(store, 'messages', `${id}.json`), JSON.stringify({id, createdAt: '2026-11-27T09:00:00.000Z', durationMs: 1500, heard: false, keep: false, ...meta}));
}

beforeAll(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-newcomer-two-'));
	env = isolatedEnv(work);
});

afterAll(async () => {
	await rm(work, {recursive: true, force: true});
});

describe('mailbox names the machine already uses', () => {
	test('"household" and "all" are refused in any case, exit 2, one line, and nothing is added', async () => {
		const store = newStore();
		for (const name of ['household', 'all', 'ALL', 'Household']) {
			const result = await run(store, ['mailbox', 'add', name]);
			failsWith(result, 2);
			expect(result.stderr).toMatch(/reserved/);
		}

		const list = await run(store, ['mailbox', 'list', '--json']);
		expect((JSON.parse(list.stdout) as Array<{name: string}>).map(entry => entry.name)).toEqual(['everyone']);
	});

	test('a store that already has such a mailbox still opens, lists it, and can remove it', async () => {
		const store = newStore();
		expect((await run(store, ['mailbox', 'add', 'sam'])).code).toBe(0);
		await writeFile(path.join(store, 'mailboxes.json'), JSON.stringify(['sam', 'all', 'Household']) + '\n');
		const list = await run(store, ['mailbox', 'list', '--json']);
		expect(list.code).toBe(0);
		expect((JSON.parse(list.stdout) as Array<{name: string}>).map(entry => entry.name)).toEqual(['everyone', 'sam', 'all', 'Household']);
		expect((await run(store, ['mailbox', 'remove', 'all'])).code).toBe(0);
		expect((await run(store, ['list'])).code).toBe(0);
	});
});

describe('list\'s columns', () => {
	test('stay in line for full-width names and a name longer than the command line allows, which is cut with an ellipsis (whole in --json)', async () => {
		const store = newStore();
		expect((await run(store, ['status'])).code).toBe(0);
		const long = 'a'.repeat(40);
		await plant(store, '20261127-090000-000-aaaaaa', {for: 'everyone', from: 'jo'});
		await plant(store, '20261127-090001-000-aaaaab', {for: 'ｓａｍ', from: 'ｊｏ'});
		await plant(store, '20261127-090002-000-aaaaac', {for: 'everyone', from: long});
		const result = await run(store, ['list']);
		expect(result.code).toBe(0);
		const lines = result.stdout.trimEnd().split('\n');
		expect(lines).toHaveLength(3);
		// Where "from" starts and where each line ends, in terminal cells.
		const fromAt = lines.map(line => stringWidth(line.slice(0, line.indexOf(' from '))));
		expect(new Set(fromAt).size, result.stdout).toBe(1);
		expect(new Set(lines.map(line => stringWidth(line))).size, result.stdout).toBe(1);
		expect(lines[2]).toMatch(/from a+… /);
		expect(lines[2]).not.toContain(long);
		const json = await run(store, ['list', '--json']);
		expect((JSON.parse(json.stdout) as Array<{from: string}>).map(message => message.from)).toContain(long);
	});
});

describe('record --input that cannot be right', () => {
	test('a file that is not there is a usage mistake: exit 2, one line naming it, and no store made', async () => {
		const store = newStore();
		const missing = path.join(work, 'nonexistent.wav');
		const result = await run(store, ['record', '--input', missing]);
		failsWith(result, 2);
		expect(result.stderr).toBe(`answerphone: cannot import ${missing}: no such file\n`);
		expect(existsSync(store)).toBe(false);
	});

	test('a folder is a usage mistake too, in its own words', async () => {
		const store = newStore();
		const result = await run(store, ['record', '--input', work]);
		failsWith(result, 2);
		expect(result.stderr).toBe(`answerphone: cannot import ${work}: it is a folder, not a sound file\n`);
		expect(existsSync(store)).toBe(false);
	});
});
