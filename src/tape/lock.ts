// STORE/lock: held briefly to place, erase or change messages, so that two
// processes (or two computers sharing the folder) never rewrite at once.
import {chmod, lstat, statfs} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type {TapeLayout} from './layout.js';
import {releaseReserve} from './reserve.js';

/** How long to wait for another process's lock: about 20 s in all, in short then longer steps. */
const retries = {count: 200, minMs: 10, maxMs: 100, factor: 1.3};

/**
 * Runs work holding the store's lock. The library is loaded when first
 * needed: a command that only reads the store (list, status) starts faster
 * without it.
 *
 * Only a lock held by someone else is waited for. Any other failure (a
 * read-only or full disk, a file named lock) fails at once: waiting would
 * only delay the same error by 20 seconds.
 */
export async function withLock<T>(store: Pick<TapeLayout, 'dir' | 'dirMode'>, work: () => Promise<T>): Promise<T> {
	const {dir} = store;
	const {default: lockfile} = await import('proper-lockfile');
	const lockPath = path.join(dir, 'lock');
	// The lock is a new folder, which a full disk may refuse: the store's
	// reserve makes room for it (see reserve.ts), so that erasing still works.
	// Released before trying when the disk is all but full, and once more on
	// ENOSPC.
	if (await diskAllButFull(dir)) {
		await releaseReserve(dir);
	}

	let release: (() => Promise<void>) | undefined;
	for (let attempt = 0; release === undefined; attempt++) {
		try {
			release = await lockfile.lock(dir, {
				lockfilePath: lockPath,
				realpath: false,
				stale: 10_000,
				// A lock we lost (for example to a suspended laptop) must not crash the
				// machine; the next operation simply takes it again.
				onCompromised() {},
			});
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOSPC' && await releaseReserve(dir)) {
				continue;
			}

			// The lock is a folder; anything else there was put by hand or by
			// another program, and would be "held" forever (or fail to be removed
			// as stale with a puzzling ENOTDIR).
			await refuseForeignLock(lockPath);
			// Only a lock held by another process is worth waiting for: a
			// read-only or full disk will refuse just the same in 20 s.
			if (code !== 'ELOCKED' || attempt >= retries.count) {
				throw error;
			}

			await sleep(Math.min(retries.maxMs, retries.minMs * (retries.factor ** attempt)));
		}
	}

	// The lock is a folder proper-lockfile makes under the umask: it holds
	// nothing, but nothing in the store is the world's, and in a household
	// store the group's, like every folder there.
	await chmod(lockPath, store.dirMode).catch(() => undefined);
	try {
		return await work();
	} finally {
		await release().catch(() => undefined);
	}
}

async function refuseForeignLock(lockPath: string): Promise<void> {
	const info = await lstat(lockPath).catch(() => undefined);
	if (info !== undefined && !info.isDirectory()) {
		// EEXIST, as the lock's mkdir said: a failure of the disk's contents, not of the command's words.
		const message = `${lockPath} is not the store's lock (it is a ${info.isSymbolicLink() ? 'link' : 'file'}): remove it once no answerphone is running`;
		throw Object.assign(new Error(message), {code: 'EEXIST'});
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
