// Reading and writing one message's files, and writing any small file whole:
// every rewrite goes to a temporary name and is renamed into place, so no
// reader ever sees half of one.
import {closeSync, constants as fsConstants, fsyncSync, openSync, renameSync, writeSync} from 'node:fs';
import {open, readFile, rename, unlink} from 'node:fs/promises';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {fileMode, type TapeLayout} from './layout.js';
import {parseMeta, type MessageMeta} from './message.js';

// The atomic-write library is loaded when first needed: a command that only
// reads the store (list, status) starts faster without it.
export async function writeFileAtomic(file: string, data: string, options: {mode: number; fsync: boolean}): Promise<void> {
	const {default: write} = await import('write-file-atomic');
	await write(file, data, options);
}

/**
 * The same, synchronously and without the library: for a note that must be on
 * disk before this process does anything else (see Draft.helpedBy).
 */
export function writeFileAtomicSync(file: string, data: string): void {
	const part = `${file}.${process.pid}.part`;
	const descriptor = openSync(part, 'w', fileMode);
	try {
		writeSync(descriptor, data);
		fsyncSync(descriptor);
	} finally {
		closeSync(descriptor);
	}

	renameSync(part, file);
}

export async function fsyncPath(file: string, flags = fsConstants.O_RDONLY): Promise<void> {
	const handle = await open(file, flags);
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** A message's metadata, or undefined if it is gone or unusable. */
export async function readMeta(layout: TapeLayout, id: string): Promise<MessageMeta | undefined> {
	try {
		const parsed = parseMeta(JSON.parse(await readFile(path.join(layout.messagesDir, `${id}.json`), 'utf8')), id);
		return parsed.ok ? parsed.meta : undefined;
	} catch {
		return undefined;
	}
}

export async function writeMeta(layout: TapeLayout, meta: MessageMeta): Promise<void> {
	// Written whole under tmp/ and renamed into place. write-file-atomic puts
	// its temporary copy beside the target, so a crash mid-write left a stray
	// file in messages/, where every reader looks; in tmp/ a leftover is
	// harmless and swept by a later open.
	const temporary = path.join(layout.tmpDir, `${meta.id}.json.${process.pid}-${randomBytes(4).toString('hex')}.part`);
	const handle = await open(temporary, 'wx', fileMode);
	try {
		await handle.writeFile(JSON.stringify(meta, null, '\t') + '\n');
		await handle.sync();
	} finally {
		await handle.close();
	}

	await rename(temporary, path.join(layout.messagesDir, `${meta.id}.json`)).catch(async (error: unknown) => {
		await unlink(temporary).catch(() => undefined);
		throw error;
	});
}

/**
 * Overwrites a message. A crash between two unlinks left a metadata file
 * without audio in messages/, reported as a problem for good. So the
 * metadata leaves first, in one rename to tmp/ID.evicted (the message is
 * gone at once), then the audio; the next open finishes a removal a crash
 * cut short.
 */
export async function removeMessageFiles(layout: TapeLayout, id: string): Promise<void> {
	const evicted = path.join(layout.tmpDir, `${id}.evicted`);
	await rename(path.join(layout.messagesDir, `${id}.json`), evicted).catch(() => undefined);
	await unlink(path.join(layout.messagesDir, `${id}.wav`)).catch(() => undefined);
	await unlink(evicted).catch(() => undefined);
}

/** Throws away a draft's audio and its owner's note in tmp/. */
export async function removeDraftFiles(layout: TapeLayout, id: string): Promise<void> {
	await unlink(path.join(layout.tmpDir, `${id}.wav`)).catch(() => undefined);
	await unlink(path.join(layout.tmpDir, `${id}.json`)).catch(() => undefined);
}
