// STORE/lock: held briefly to place, erase or change messages, so that two
// processes (or two computers sharing the folder) never rewrite at once.
import path from 'node:path';

/**
 * Runs work holding the store's lock. The library is loaded when first
 * needed: a command that only reads the store (list, status) starts faster
 * without it.
 */
export async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
	const {default: lockfile} = await import('proper-lockfile');
	const release = await lockfile.lock(dir, {
		lockfilePath: path.join(dir, 'lock'),
		realpath: false,
		stale: 10_000,
		retries: {retries: 200, minTimeout: 10, maxTimeout: 100, factor: 1.3},
		// A lock we lost (for example to a suspended laptop) must not crash the
		// machine; the next operation simply takes it again.
		onCompromised() {},
	});
	try {
		return await work();
	} finally {
		await release().catch(() => undefined);
	}
}
