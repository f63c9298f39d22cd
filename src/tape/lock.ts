// STORE/lock: held briefly to place, erase or change messages, so that two
// processes (or two computers sharing the folder) never rewrite at once.
import {statfs} from 'node:fs/promises';
import path from 'node:path';
import {releaseReserve} from './reserve.js';

/**
 * Runs work holding the store's lock. The library is loaded when first
 * needed: a command that only reads the store (list, status) starts faster
 * without it.
 */
export async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
	const {default: lockfile} = await import('proper-lockfile');
	const lock = async () => lockfile.lock(dir, {
		lockfilePath: path.join(dir, 'lock'),
		realpath: false,
		stale: 10_000,
		retries: {retries: 200, minTimeout: 10, maxTimeout: 100, factor: 1.3},
		// A lock we lost (for example to a suspended laptop) must not crash the
		// machine; the next operation simply takes it again.
		onCompromised() {},
	});
	// The lock is a new folder, which a full disk may refuse: the store's
	// reserve makes room for it (see reserve.ts), so that erasing still works.
	// Given up before trying when the disk is all but full, since the library
	// would spend its 20 s of retries on a refusal that never passes.
	if (await diskAllButFull(dir)) {
		await releaseReserve(dir);
	}

	const release = await lock().catch(async (error: unknown) => {
		if ((error as NodeJS.ErrnoException).code === 'ENOSPC' && await releaseReserve(dir)) {
			return lock();
		}

		throw error;
	});
	try {
		return await work();
	} finally {
		await release().catch(() => undefined);
	}
}

async function diskAllButFull(dir: string): Promise<boolean> {
	try {
		const {bavail, bsize} = await statfs(dir);
		return bavail * bsize < 4 * Math.max(bsize, 4096);
	} catch {
		return false;
	}
}
