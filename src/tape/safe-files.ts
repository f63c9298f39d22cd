// Opening the store's files without trusting them: whoever can write the
// folder can put a link, a FIFO or a 200 MB file where a small JSON file is
// expected. A link is never followed (O_NOFOLLOW), a FIFO never blocks a read
// (O_NONBLOCK, then fstat says it is no regular file), and a file is refused
// by its size before a byte of it is parsed.
import {closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats} from 'node:fs';
import {lstat, open} from 'node:fs/promises';
import path from 'node:path';

/** O_NOFOLLOW: opening a link fails (ELOOP) instead of opening what it points at. */
export const noFollow = constants.O_NOFOLLOW ?? 0;
const readFlags = constants.O_RDONLY | noFollow | (constants.O_NONBLOCK ?? 0);
/** For rewriting a file the store made (a recording's header), never a link's target. */
export const rewriteFlags = constants.O_RDWR | noFollow | (constants.O_NONBLOCK ?? 0);

/** Metadata, draft notes, settings and mailboxes are a few hundred bytes; this is a hundred times that. */
export const smallFileLimit = 64 * 1024;

export const notRegularReason = 'not a regular file (a link, a folder, a FIFO or a device): skipped, never opened';

/** A file the store refuses to open or parse: the reason is what doctor shows. */
export class UnsafeFileError extends Error {
	readonly code = 'EUNSAFE';
}

function refusal(error: unknown): Error {
	// ELOOP on Linux and macOS, EMLINK on FreeBSD: the name is a link.
	const code = (error as NodeJS.ErrnoException).code;
	return code === 'ELOOP' || code === 'EMLINK' ? new UnsafeFileError(notRegularReason) : error as Error;
}

function checkOpened(info: Stats, limit: number): void {
	if (!info.isFile()) {
		throw new UnsafeFileError(notRegularReason);
	}

	if (info.size > limit) {
		throw new UnsafeFileError(`larger than ${Math.round(limit / 1024)} KB, so not read`);
	}
}

/** A small file's text; throws UnsafeFileError for a link, a FIFO, a folder or a file over limit. */
export function readSmallFileSync(file: string, limit = smallFileLimit): string {
	let descriptor: number;
	try {
		descriptor = openSync(file, readFlags);
	} catch (error) {
		throw refusal(error);
	}

	try {
		const info = fstatSync(descriptor);
		checkOpened(info, limit);
		// One byte more than allowed: a file that grew since fstat is refused too.
		const buffer = Buffer.alloc(Math.min(info.size, limit) + 1);
		let length = 0;
		for (let read = -1; read !== 0 && length < buffer.length; length += read) {
			read = readSync(descriptor, buffer, length, buffer.length - length, length);
		}

		checkOpened({isFile: () => true, size: length} as Stats, limit);
		return buffer.subarray(0, length).toString('utf8');
	} finally {
		closeSync(descriptor);
	}
}

/** The same, asynchronously. */
export async function readSmallFile(file: string, limit = smallFileLimit): Promise<string> {
	const handle = await open(file, readFlags).catch((error: unknown) => {
		throw refusal(error);
	});
	try {
		const info = await handle.stat();
		checkOpened(info, limit);
		const buffer = Buffer.alloc(Math.min(info.size, limit) + 1);
		let length = 0;
		for (let read = -1; read !== 0 && length < buffer.length; length += read) {
			({bytesRead: read} = await handle.read(buffer, length, buffer.length - length, length));
		}

		checkOpened({isFile: () => true, size: length} as Stats, limit);
		return buffer.subarray(0, length).toString('utf8');
	} finally {
		await handle.close();
	}
}

/** What is at file without following a link: 'file', 'missing', or 'other' (a link, a FIFO, a folder…). */
export async function entryKind(file: string): Promise<'file' | 'missing' | 'other'> {
	try {
		return (await lstat(file)).isFile() ? 'file' : 'other';
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return 'missing';
		}

		throw error;
	}
}

/** Throws unless file is a regular file (not a link to one): for what is handed to a player or copied out. */
export async function assertRegularFile(file: string): Promise<void> {
	if (await entryKind(file) === 'other') {
		throw new UnsafeFileError(`${path.basename(file)} is ${notRegularReason}`);
	}
}

/**
 * Throws unless dir is a real folder. The store's own folders must be: a
 * link as tmp/ would let the sweep of stale parts delete files wherever it
 * points. (The store's root may be a link: that path is the user's choice,
 * given on the command line or in the config, never read from the store.)
 */
export function assertRealFolder(dir: string): void {
	const info = lstatSync(dir);
	if (!info.isDirectory()) {
		throw new Error(`${path.basename(dir)} is not a real folder (${info.isSymbolicLink() ? 'a link' : 'a file'}); move it away and open the store again`);
	}
}
