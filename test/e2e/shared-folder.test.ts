// answerphone setup --shared-folder, and doctor's warning for a store that
// looks shared through Syncthing without it. The real CLI on real files.
import {existsSync} from 'node:fs';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {isolatedEnv, runCli} from '../helpers/cli.js';
import {tempDirEachTest} from '../helpers/temp.js';

let work: string;
let store: string;
const answerphone = async (...args: string[]) => runCli([...args, '--store', store], {env: isolatedEnv(work), timeoutMs: 20_000});

tempDirEachTest('answerphone-shared-', dir => {
	work = dir;
	store = path.join(work, 'store');
});

describe('setup --shared-folder', () => {
	it('adds the per-computer lines to .stignore, keeps the lines already there, and does it once', async () => {
		await mkdir(store);
		await writeFile(path.join(store, '.stignore'), '// mine\n*.bak\n/lock');
		const first = await answerphone('setup', '--shared-folder');
		expect(first.stderr).toBe('');
		expect(first.code).toBe(0);
		const text = await readFile(path.join(store, '.stignore'), 'utf8');
		expect(text.split('\n').filter(line => !line.startsWith('//'))).toEqual(['*.bak', '/lock', '/lock.*', '/tmp', '/disk-reserve', '/status', '']);
		expect(text.startsWith('// mine\n*.bak\n/lock\n')).toBe(true);

		const again = await answerphone('setup', '--shared-folder');
		expect(again.code).toBe(0);
		expect(again.stdout).toContain('already keeps');
		expect(await readFile(path.join(store, '.stignore'), 'utf8')).toBe(text);
	});

	it('writes the lines, naming the store\'s path, at the root of a bigger shared folder the store is in', async () => {
		const synced = path.join(work, 'Sync');
		await mkdir(path.join(synced, '.stfolder'), {recursive: true});
		store = path.join(synced, 'house', 'tape');
		expect((await answerphone('setup', '--shared-folder')).code).toBe(0);
		expect((await readFile(path.join(synced, '.stignore'), 'utf8')).split('\n').filter(line => line.startsWith('/house')))
			.toEqual(['/house/tape/lock', '/house/tape/lock.*', '/house/tape/tmp', '/house/tape/disk-reserve', '/house/tape/status']);
		expect(existsSync(path.join(store, '.stignore'))).toBe(false);
		expect((await answerphone('doctor')).stdout).toMatch(/shared +ok /);
	});

	it('is a usage error without what to set up', async () => {
		const bare = await answerphone('setup');
		expect(bare.code).toBe(2);
		expect(bare.stderr).toContain('--shared-folder');
	});

	it('doctor warns when the store looks shared but .stignore lacks the lines, and not once they are there', async () => {
		await mkdir(path.join(store, '.stfolder'), {recursive: true});
		const before = await answerphone('doctor');
		expect(before.stdout).toMatch(/shared +WARN .*lacks \/lock \/lock\.\* \/tmp \/disk-reserve \/status: run answerphone setup --shared-folder/);

		await answerphone('setup', '--shared-folder');
		const after = await answerphone('doctor');
		expect(after.stdout).toMatch(/shared +ok /);
		expect(after.stdout).not.toContain('WARN   the store looks shared');
	});

	it('doctor says nothing of sharing for a store that is not shared', async () => {
		expect((await answerphone('doctor')).stdout).not.toMatch(/^shared/m);
	});
});
