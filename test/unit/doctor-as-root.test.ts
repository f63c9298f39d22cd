// The doctor on a household store: an account outside its group is told how
// to join; root, which reads and writes every store, is told nothing to join
// (it was told "sudo usermod -aG GROUP root").
import {chmod, mkdir, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {checkStoreModes} from '../../src/commands/store-modes.js';

let work: string;
let store: string;

beforeEach(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-doctor-root-'));
	store = path.join(work, 'store');
	await mkdir(store);
	await chmod(store, 0o2770);
	// Whoever runs the test, the process is in no group of the store's.
	vi.spyOn(process, 'getgid').mockReturnValue(4_000_000);
	vi.spyOn(process, 'getgroups').mockReturnValue([4_000_000]);
});

afterEach(async () => {
	vi.restoreAllMocks();
	await rm(work, {recursive: true, force: true});
});

describe('the doctor on a household store', () => {
	it('tells root nothing about joining the group', async () => {
		vi.spyOn(process, 'getuid').mockReturnValue(0);
		const {lines} = await checkStoreModes(store);
		expect(lines[0]).toMatch(/household store of the group/);
		expect(lines.join('\n')).not.toMatch(/usermod|NOT in it/);
	});

	it('tells an account outside the group how to join it', async () => {
		vi.spyOn(process, 'getuid').mockReturnValue(4_000_000);
		const {lines} = await checkStoreModes(store);
		expect(lines[0]).toMatch(/this account is NOT in it: sudo usermod -aG \S+ \S+, then log in again/);
	});
});
