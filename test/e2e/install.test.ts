// The package as a user installs it: `npm pack` from the clone, then
// `npm install -g` of the tarball into a private prefix, where nothing of the
// clone is in reach (no sources, no development dependencies). The installed
// command must run, find its built-in sounds, and open the machine.
import {execFile} from 'node:child_process';
import {readFileSync, realpathSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {TmuxScreen} from '../helpers/tmux.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};

let work: string;
let prefix: string;
let command: string;
let packed: Array<{path: string}>;
let screen: TmuxScreen | undefined;

/**
 * Without the npm_* variables `npm test` hands its scripts, which would
 * otherwise configure the inner npm (its prefix, its global flag) from outside.
 */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
	return {...env, ANSWERPHONE_CONFIG: path.join(work, 'no-config.json'), ANSWERPHONE_STORE: path.join(work, 'stray-store'), ...extra};
}

async function answerphone(args: string[], env?: NodeJS.ProcessEnv): Promise<{stdout: string; stderr: string}> {
	return run(command, args, {env: cleanEnv(env), cwd: work});
}

describe('npm pack, then npm install -g of the tarball', () => {
	beforeAll(async () => {
		work = await mkdtemp(path.join(tmpdir(), 'answerphone-install-'));
		prefix = path.join(work, 'prefix');
		// Packing runs the prepare script, so the tarball holds a fresh bundle.
		const {stdout} = await run('npm', ['pack', '--json', '--pack-destination', work], {cwd: root, env: cleanEnv()});
		const [info] = JSON.parse(stdout) as Array<{filename: string; files: Array<{path: string}>}>;
		packed = info!.files;
		// The registry is reachable here and in CI; its cache usually answers first.
		await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', path.join(work, info!.filename)], {cwd: work, env: cleanEnv()});
		command = path.join(prefix, 'bin', 'answerphone');
	}, 120_000);

	afterEach(() => {
		screen?.kill();
		screen = undefined;
	});

	afterAll(async () => {
		await rm(work, {recursive: true, force: true});
	});

	it('packs the bundle and the sounds, and nothing of the sources', () => {
		const files = packed.map(file => file.path);
		expect(files).toContain('dist/cli.js');
		expect(files).toEqual(expect.arrayContaining(['assets/beep.wav', 'assets/greeting.wav', 'assets/warning.wav']));
		expect(files.filter(file => !/^(dist\/|assets\/|package\.json$|README\.md$|LICENSE)/.test(file))).toEqual([]);
	});

	it('installs only the one dependency the bundle leaves out', async () => {
		// The bundle holds everything else (Ink, React, the store's helpers).
		const installed = await readdir(path.join(prefix, 'lib', 'node_modules', 'answerphone', 'node_modules'));
		expect(installed).toContain('node-record-lpcm16');
		expect(installed.filter(name => ['ink', 'react', 'proper-lockfile', 'esbuild', 'typescript'].includes(name))).toEqual([]);
	});

	it('runs the installed command', async () => {
		expect((await answerphone(['--version'])).stdout).toBe(`${version}\n`);
		const store = path.join(work, 'store');
		expect((await answerphone(['status', '--store', store])).stdout).toBe('0 new · 0 messages · 20:00 free of 20:00\n');
		// Doctor exits 1 where SoX or a player is missing; its store line is what is sure here.
		const doctor = await answerphone(['doctor', '--store', store]).catch((error: {stdout: string}) => error);
		expect(doctor.stdout).toMatch(new RegExp(`^store +ok +${store.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
		expect(doctor.stdout).toMatch(/^player /m);
	});

	it('finds its built-in greeting in the installed package', async () => {
		// A player that only writes down what it was asked to play.
		const bin = path.join(work, 'bin');
		const played = path.join(work, 'played.txt');
		await mkdir(bin);
		await writeFile(path.join(bin, 'paplay'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${played}'\n`);
		await chmod(path.join(bin, 'paplay'), 0o755);
		await answerphone(['greeting', 'play', '--player', 'paplay', '--store', path.join(work, 'store')], {PATH: `${bin}${path.delimiter}${process.env['PATH']}`});
		const greeting = (await readFile(played, 'utf8')).trim().split('\n').at(-1)!;
		// Compared as real paths: a temporary folder may sit behind a symlink (/tmp on macOS).
		expect(realpathSync(greeting)).toBe(realpathSync(path.join(prefix, 'lib', 'node_modules', 'answerphone', 'assets', 'greeting.wav')));
		expect((await readFile(greeting)).subarray(0, 4).toString('latin1')).toBe('RIFF');
	});

	it('opens the machine from the installed command', async () => {
		if (!findProgram('tmux')) {
			throw new Error('tmux is not installed (apt-get install tmux)');
		}

		screen = TmuxScreen.start(command, {columns: 100, rows: 30, env: {
			ANSWERPHONE_STORE: path.join(work, 'screen-store'),
			ANSWERPHONE_CONFIG: path.join(work, 'no-config.json'),
			PATH: process.env['PATH'] ?? '',
		}});
		const shown = await screen.waitFor(text => text.includes('0 new · 0 messages'));
		expect(shown).toContain('TAPE');
		screen.keys('q');
		await screen.waitFor(text => text.includes('EXITED:0'));
	});
});
