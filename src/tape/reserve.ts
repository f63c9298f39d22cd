// A little room kept back on the store's disk. When the disk fills, even the
// commands that free space need a block or two of their own: the lock is a
// new folder, and some filesystems (ext4) give a folder a block. So every
// open keeps STORE/disk-reserve, a small file of zeros, and a command that
// finds the disk full gives it up to take the lock; the next open that finds
// room again sets it aside anew.
import {constants as fsConstants} from 'node:fs';
import {lstat, open, unlink} from 'node:fs/promises';
import path from 'node:path';
import {setFileMode, type TapeLayout} from './layout.js';

/** Sixteen 4 KiB blocks: the lock and a few metadata rewrites, many times over. */
export const reserveBytes = 64 * 1024;

export function reserveFile(dir: string): string {
	return path.join(dir, 'disk-reserve');
}

/** Sets the reserve aside if it is missing; best effort (a full or read-only disk simply has none). */
export async function keepReserve(layout: TapeLayout): Promise<void> {
	const file = reserveFile(layout.dir);
	const info = await lstat(file).catch(() => undefined);
	if (info?.isFile() && info.size === reserveBytes) {
		return;
	}

	// Anything else by that name is not ours to replace.
	if (info !== undefined && !info.isFile()) {
		return;
	}

	try {
		if (info !== undefined) {
			// One cut short by a full disk earlier.
			await unlink(file);
		}

		const handle = await open(file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, layout.fileMode);
		try {
			await setFileMode(handle, layout);
			await handle.write(Buffer.alloc(reserveBytes));
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// No room for it now: whatever was written goes, so the disk is no fuller.
		await unlink(file).catch(() => undefined);
	}
}

/** Gives the reserve up, for a command that found the disk full; true if there was one. */
export async function releaseReserve(dir: string): Promise<boolean> {
	const info = await lstat(reserveFile(dir)).catch(() => undefined);
	if (!info?.isFile()) {
		return false;
	}

	await unlink(reserveFile(dir)).catch(() => undefined);
	return true;
}
