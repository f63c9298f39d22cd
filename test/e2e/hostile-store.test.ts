// The store's own files are input: anyone who can write the folder (a
// housemate, a synced computer) can put anything there. Whatever they put,
// the built CLI never lets it drive the reader's terminal.
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {isolatedEnv, runCli} from '../helpers/cli.js';
import {pcm} from '../helpers/pcm.js';
import {wavHeader} from '../../src/pcm/wav.js';

let work: string;
let store: string;
const escape = '\u001B';
const bell = '\u0007';
const retitle = `${escape}]0;pwned${bell}`;
const forgedRow = 'jo\n20261127-000000-000-zzzzzz NEW  for everyone  from mum';

async function cli(...args: string[]) {
	return runCli([...args, '--store', store], {env: isolatedEnv(work)});
}

/** Neither an escape sequence nor a bell nor a forged line reaches the terminal. */
function expectHarmless(text: string): void {
	expect(text).not.toContain(escape);
	expect(text).not.toContain(bell);
	expect(text).not.toContain('\u009B');
	expect(text).not.toContain('\u202E');
	expect(text).not.toMatch(/^20261127-000000-000-zzzzzz/m);
}

async function plant(id: string, meta: Record<string, unknown>): Promise<void> {
	const audio = pcm(1500, id);
	await writeFile(path.join(store, 'messages', `${id}.wav`), Buffer.concat([wavHeader(audio.length), audio]));
	await writeFile(path.join(store, 'messages', `${id}.json`), JSON.stringify({id, createdAt: '2026-11-27T09:00:00.000Z', durationMs: 1500, heard: false, keep: false, ...meta}));
}

beforeAll(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-hostile-'));
	store = path.join(work, 'store');
	expect((await cli('status')).code).toBe(0);
	await plant('20261127-090000-000-aaaaaa', {for: 'everyone', from: 'jo'});
	await plant('20261127-090001-000-aaaaab', {for: 'everyone', from: retitle});
	await plant('20261127-090002-000-aaaaac', {for: `${escape}]52;c;cm0gLXJmIH4=${bell}`, from: forgedRow});
	await plant('20261127-090003-000-aaaaad', {for: 'everyone', from: 'sam\u202Eevil'});
	// A stranger's file, named to retitle whoever reads a report of it.
	await writeFile(path.join(store, 'messages', `notes${retitle}.txt`), 'hello');
	await writeFile(path.join(store, 'mailboxes.json'), JSON.stringify(['sam', `${escape}[8mhidden`, 'jo\nalex']));
});

afterAll(async () => {
	await rm(work, {recursive: true, force: true});
});

describe('a store written by someone hostile', () => {
	test('list shows the honest message, sets the others aside and says so, harmlessly', async () => {
		const result = await cli('list');
		expect(result.code).toBe(0);
		expectHarmless(result.stdout + result.stderr);
		expect(result.stdout.trim().split('\n')).toHaveLength(1);
		expect(result.stdout).toContain('from jo');
		expect(result.stderr).toMatch(/4 unreadable files skipped/);
	});

	test('list --json gives only messages whose names pass the same checks as the command line', async () => {
		const result = await cli('list', '--json');
		const listed = JSON.parse(result.stdout) as Array<{from: string}>;
		expect(listed.map(message => message.from)).toEqual(['jo']);
	});

	test('doctor names every file it skipped, with the controls made visible', async () => {
		const result = await cli('doctor');
		expectHarmless(result.stdout + result.stderr);
		expect(result.stdout).toContain('notes\u241B]0;pwned\u2407.txt');
		expect(result.stdout).toMatch(/20261127-090001-000-aaaaab\.json: metadata field "from" is not a usable name/);
		expect(result.stdout).toMatch(/20261127-090003-000-aaaaad\.json: metadata field "from" is not a usable name/);
	});

	test('mailboxes with controls in their names are never listed', async () => {
		const result = await cli('mailbox', 'list');
		expect(result.code).toBe(0);
		expectHarmless(result.stdout);
		expect(result.stdout.trim().split('\n').map(line => line.split(/\s+/)[0])).toEqual(['everyone', 'sam']);
	});

	test('a mailbox name that only looks like one already there is refused', async () => {
		for (const lookalike of ['Sam', 'ｓａｍ', 'Everyone']) {
			const result = await cli('mailbox', 'add', lookalike);
			expect(result.code, result.stderr).toBe(2);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
			expect(result.stderr).toMatch(/looks like "(sam|everyone)"/);
		}

		const cyrillic = await cli('mailbox', 'add', '\u0455am');
		expect(cyrillic.code).toBe(2);
		expect(cyrillic.stderr).toMatch(/mixes alphabets/);
		expect(JSON.parse(await readFile(path.join(store, 'mailboxes.json'), 'utf8'))).not.toContain('Sam');
	});

	test('a name typed with a control character is refused in one harmless line', async () => {
		const result = await runCli(['mailbox', 'add', `x${retitle}`, '--store', store], {env: isolatedEnv(work)});
		expect(result.code).toBe(2);
		expectHarmless(result.stderr);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});
});
