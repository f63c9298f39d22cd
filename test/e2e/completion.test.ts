// Tab completion as a shell does it: the script the built CLI prints is
// sourced into a real bash (and zsh), the completion function is called with
// the words of a command line, and the ids come from a real store through the
// real CLI.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {leaveMessage, tempTape} from '../helpers/store.js';

const run = promisify(execFile);
const cli = path.resolve('dist/cli.js');

let work: string;
let store: string;
let removeStore: () => Promise<void>;
let ids: string[];
let erasedId: string;

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${path.join(work, 'bin')}${path.delimiter}${process.env['PATH']}`,
		ANSWERPHONE_CONFIG: path.join(work, 'no-config.json'),
		ANSWERPHONE_STORE: path.join(work, 'no-store'),
		...extra,
	};
}

/** What bash offers for the last of these words, as the Tab key would ask for it. */
async function bashCompletes(line: string[], extraEnv?: NodeJS.ProcessEnv): Promise<string[]> {
	const script = [
		`source '${path.join(work, 'answerphone.bash')}'`,
		'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))',
		'_answerphone',
		'printf \'%s\\n\' "${COMPREPLY[@]}"',
	].join('\n');
	const {stdout} = await run('bash', ['--norc', '--noprofile', '-c', script, 'bash', ...line], {env: env(extraEnv)});
	return stdout.split('\n').filter(Boolean).sort();
}

/**
 * What zsh offers. Outside a completion widget compadd and _files do not
 * exist, so stand-ins print what they are given; zsh itself then narrows the
 * candidates to the typed prefix, which is why a prefix here still lists all.
 */
async function zshCompletes(line: string[]): Promise<string[]> {
	const script = [
		'compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }',
		'_files() { print -r -- "(files $*)" }',
		'compset() { : }',
		'compdef() { : }',
		`source '${path.join(work, 'answerphone.zsh')}'`,
		'words=("$@"); CURRENT=$#',
		'_answerphone',
	].join('\n');
	const {stdout} = await run('zsh', ['-f', '-c', script, 'zsh', ...line], {env: env()});
	return stdout.split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
	if (!existsSync(cli)) {
		throw new Error('dist/cli.js is missing: run npm run build first (npm test does)');
	}

	work = await mkdtemp(path.join(tmpdir(), 'answerphone-completion-'));
	// `answerphone` on PATH, as an installed one would be.
	await mkdir(path.join(work, 'bin'));
	await writeFile(path.join(work, 'bin', 'answerphone'), `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`);
	await chmod(path.join(work, 'bin', 'answerphone'), 0o755);
	// Printed once by the real CLI, then sourced by every test (as a shell's rc file does).
	for (const shell of ['bash', 'zsh']) {
		await writeFile(path.join(work, `answerphone.${shell}`), (await run('answerphone', ['completion', shell], {env: env()})).stdout);
	}

	const {tape, dir, remove} = await tempTape();
	store = dir;
	removeStore = remove;
	ids = [await leaveMessage(tape, {from: 'jo'}), await leaveMessage(tape, {from: 'sam', for: 'everyone'})].sort();
	erasedId = await leaveMessage(tape, {from: 'alex'});
	await tape.erase([erasedId]);
	await tape.changeMailboxes(() => ['sam']);
});

afterAll(async () => {
	await removeStore();
	await rm(work, {recursive: true, force: true});
});

describe('bash', () => {
	it('completes the verbs', async () => {
		expect(await bashCompletes(['answerphone', 'pl'])).toEqual(['play']);
		expect(await bashCompletes(['answerphone', 'ma'])).toEqual(['mailbox', 'mark']);
		expect(await bashCompletes(['answerphone', '--store', store, 'co'])).toEqual(['completion']);
	});

	it('completes each verb\'s own flags', async () => {
		expect(await bashCompletes(['answerphone', 'record', '--sil'])).toEqual(['--silence', '--silence-threshold']);
		expect(await bashCompletes(['answerphone', 'play', '--'])).toEqual(['--as', '--help', '--next', '--player', '--speed', '--store', '--volume']);
		expect(await bashCompletes(['answerphone', '--'])).toEqual(['--as', '--help', '--store', '--version']);
	});

	it('completes the message ids of the store named on the line', async () => {
		expect(await bashCompletes(['answerphone', 'play', '--store', store, ''])).toEqual(ids);
		expect(await bashCompletes(['answerphone', '--store', store, 'erase', ids[0]!, ''])).toEqual(ids);
		// bash splits --store=DIR at the equals sign.
		expect(await bashCompletes(['answerphone', '--store', '=', store, 'keep', ''])).toEqual(ids);
		// A unique prefix completes to the whole id.
		expect(await bashCompletes(['answerphone', '--store', store, 'play', ids[1]!.slice(0, -1)])).toEqual([ids[1]]);
		expect(await bashCompletes(['answerphone', '--store', store, 'restore', ''])).toEqual([erasedId]);
	});

	it('finds the store where the CLI does, through ANSWERPHONE_STORE', async () => {
		expect(await bashCompletes(['answerphone', 'mark', ''], {ANSWERPHONE_STORE: store})).toEqual(ids);
	});

	it('completes values: names, players, fixed choices', async () => {
		expect(await bashCompletes(['answerphone', '--store', store, 'record', '--for', ''])).toEqual(['everyone', 'sam']);
		expect(await bashCompletes(['answerphone', 'record', '--recorder', 'a'])).toEqual(['arecord']);
		expect(await bashCompletes(['answerphone', 'greeting', 'r'])).toEqual(['record', 'reset']);
		expect(await bashCompletes(['answerphone', 'settings', '--tape', ''])).toEqual([]);
	});

	it('never creates a store by pressing Tab', async () => {
		expect(await bashCompletes(['answerphone', 'play', ''])).toEqual([]);
		expect(existsSync(path.join(work, 'no-store'))).toBe(false);
	});
});

// CI installs zsh; elsewhere a missing one skips these, saying so.
const zshMissing = !findProgram('zsh') && process.env['CI'] !== 'true';

describe.skipIf(zshMissing)(`zsh${zshMissing ? ' (skipped: zsh is not installed)' : ''}`, () => {
	it('completes the verbs, the flags and the ids', async () => {
		expect(await zshCompletes(['answerphone', 'pl'])).toContain('play');
		expect(await zshCompletes(['answerphone', 'list', '--'])).toEqual(['--as', '--for', '--help', '--json', '--new', '--store']);
		expect(await zshCompletes(['answerphone', `--store=${store}`, 'play', ''])).toEqual(ids);
		expect(await zshCompletes(['answerphone', 'restore', '--store', store, ''])).toEqual([erasedId]);
		expect(await zshCompletes(['answerphone', 'export', 'x', ''])).toEqual(['(files )']);
	});
});
