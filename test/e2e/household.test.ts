// The household surface of the CLI: mailboxes, the config file, --for/--from.
import {execFile} from 'node:child_process';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {writeToneWav} from '../helpers/pcm.js';
import {tempDirEachTest} from '../helpers/temp.js';

const run = promisify(execFile);
const cli = path.resolve('dist/cli.js');
let dir: string;
let store: string;
let config: string;
let wav: string;

type Result = {code: number; stdout: string; stderr: string};

async function answerphone(...args: string[]): Promise<Result> {
	try {
		const {stdout, stderr} = await run('node', [cli, ...args], {env: {...process.env, ANSWERPHONE_STORE: store, ANSWERPHONE_CONFIG: config}});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failed = error as {code: number; stdout: string; stderr: string};
		return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr};
	}
}

tempDirEachTest('answerphone-household-', async folder => {
	dir = folder;
	store = path.join(dir, 'store');
	config = path.join(dir, 'config.json');
	wav = path.join(dir, 'two-seconds.wav');
	await writeToneWav(wav, 2000);
});

describe('mailboxes for housemates', () => {
	it('adds, lists with new counts, and removes mailboxes', async () => {
		expect((await answerphone('mailbox', 'add', 'sam')).code).toBe(0);
		expect((await answerphone('mailbox', 'add', 'jo')).code).toBe(0);
		expect((await answerphone('record', '--input', wav, '--for', 'sam', '--from', 'jo')).code).toBe(0);
		const listed = await answerphone('mailbox', 'list', '--json');
		expect(JSON.parse(listed.stdout)).toEqual([
			{name: 'everyone', messages: 0, new: 0},
			{name: 'sam', messages: 1, new: 1},
			{name: 'jo', messages: 0, new: 0},
		]);
		expect((await answerphone('mailbox', 'remove', 'jo')).code).toBe(0);
		expect((await answerphone('mailbox', 'list')).stdout).not.toContain('jo');
	});

	it.each(['a/b', '..\\\\x', 'bad\tname', ' ', 'everyone'])('refuses the name %j with one line', async name => {
		const result = await answerphone('mailbox', 'add', name);
		expect(result.code).toBe(2);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});

	it('checks --for and --from before recording anything', async () => {
		const result = await answerphone('record', '--input', wav, '--for', '../../etc');
		expect(result.code).not.toBe(0);
		expect(result.stderr).toMatch(/path separator/);
		expect(JSON.parse((await answerphone('list', '--json')).stdout)).toEqual([]);
	});

	it('filters the list by mailbox and by new', async () => {
		await answerphone('mailbox', 'add', 'sam');
		await answerphone('mailbox', 'add', 'jo');
		await answerphone('record', '--input', wav, '--for', 'sam');
		const second = (await answerphone('record', '--input', wav, '--for', 'jo')).stdout.trim();
		await answerphone('record', '--input', wav);
		await answerphone('mark', second, '--heard');
		const forJo = JSON.parse((await answerphone('list', '--json', '--for', 'jo')).stdout) as Array<{id: string}>;
		expect(forJo.map(message => message.id)).toEqual([second]);
		expect(JSON.parse((await answerphone('list', '--json', '--new')).stdout)).toHaveLength(2);
	});
});

describe('the config file', () => {
	it('sets the sender and the housemates; flags still win', async () => {
		await writeFile(config, JSON.stringify({from: 'alex', housemates: ['sam']}));
		await answerphone('record', '--input', wav);
		await answerphone('record', '--input', wav, '--from', 'jo');
		const messages = JSON.parse((await answerphone('list', '--json')).stdout) as Array<{from: string}>;
		expect(messages.map(message => message.from)).toEqual(['alex', 'jo']);
		expect((await answerphone('mailbox', 'list')).stdout).toContain('sam');
	});

	it('can name the store, which ANSWERPHONE_STORE overrides', async () => {
		const elsewhere = path.join(dir, 'elsewhere');
		await writeFile(config, JSON.stringify({store: elsewhere}));
		// An empty ANSWERPHONE_STORE is the same as none.
		const environment: NodeJS.ProcessEnv = {...process.env, ANSWERPHONE_CONFIG: config, ANSWERPHONE_STORE: ''};
		await run('node', [cli, 'record', '--input', wav], {env: environment});
		const listed = await run('node', [cli, 'list', '--json'], {env: environment});
		expect((JSON.parse(listed.stdout) as Array<{file: string}>)[0]!.file.startsWith(elsewhere)).toBe(true);
		// The environment wins over the file.
		expect(JSON.parse((await answerphone('list', '--json')).stdout)).toEqual([]);
	});

	it('a broken config is one clear line and a non-zero exit', async () => {
		await writeFile(config, '{"from": ');
		const result = await answerphone('status');
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(config);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});
});
