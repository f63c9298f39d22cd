// A second newcomer's findings with the built command line: names the screen
// already uses, columns that wide letters push over, a sound file that is
// not there. Real files, real processes.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {isolatedEnv, runCli, type Exit} from '../helpers/cli.js';

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
