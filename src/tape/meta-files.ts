// Reading and writing one message's files, and writing any small file whole:
// every rewrite goes to a temporary name and is renamed into place, so no
// reader ever sees half of one.
import {closeSync, constants as fsConstants, fsyncSync, openSync, renameSync, rmSync, writeSync} from 'node:fs';
import {open, readdir, rename, unlink, type FileHandle} from 'node:fs/promises';
import {randomBytes} from './crypto-on-demand.js';
import path from 'node:path';
import {isNotFound, setFileMode, setFileModeSync, type StoreModes, type TapeLayout} from './layout.js';
import {isMessageId, parseMeta, type MessageMeta} from './message.js';
import {entryKind, noFollow, notRegularReason, readSmallFile, rewriteFlags, UnsafeFileError} from './safe-files.js';
import {mergeStates, type MessageState} from './message-state.js';
import {parseState, parseStateFileName, stateFileName, stateText, withEmbeddedState} from './state-files.js';

/**
 * Replaces one of the store's small files (settings.json, mailboxes.json, a
 * draft's note) whole: written under tmp/ and renamed over it. Never
 * through a link: write-file-atomic resolved one and replaced (and
 * chmodded) its target; a rename replaces the name itself, and a name that
 * is a link or a FIFO is refused before anything is written.
 */
export async function writeWholeFile(layout: TapeLayout, file: string, data: string): Promise<void> {
	if (await entryKind(file) === 'other') {
		throw new UnsafeFileError(`${path.basename(file)} is ${notRegularReason}; left as it is: move it away and try again`);
	}

	const temporary = path.join(layout.tmpDir, `${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.part`);
	const handle = await open(temporary, 'wx', layout.fileMode);
	try {
		try {
			await setFileMode(handle, layout);
			await handle.writeFile(data);
			await handle.sync();
		} finally {
			await handle.close();
		}

		await rename(temporary, file);
	} catch (error) {
		// A full disk refuses the copy's first block: never leave it behind.
		await unlink(temporary).catch(() => undefined);
		throw error;
	}

	await fsyncPath(path.dirname(file)).catch(() => undefined);
}

/**
 * The same, synchronously and without the library: for a note that must be on
 * disk before this process does anything else (see Draft.helpedBy).
 */
export function writeFileAtomicSync(file: string, data: string, modes: StoreModes): void {
	const part = `${file}.${process.pid}.part`;
	// Never through a link planted at the part's name.
	const descriptor = openSync(part, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | noFollow, modes.fileMode);
	try {
		try {
			setFileModeSync(descriptor, modes);
			writeSync(descriptor, data);
			fsyncSync(descriptor);
		} finally {
			closeSync(descriptor);
		}

		renameSync(part, file);
	} catch (error) {
		// A full disk: no empty copy is left behind.
		rmSync(part, {force: true});
		throw error;
	}
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
		// Not through a link, never blocked on a FIFO, never a huge file parsed.
		const json: unknown = JSON.parse(await readSmallFile(path.join(layout.messagesDir, `${id}.json`)));
		const parsed = parseMeta(json, id);
		return parsed.ok ? withEmbeddedState(parsed.meta, json) : undefined;
	} catch {
		return undefined;
	}
}

export async function writeMeta(layout: TapeLayout, meta: MessageMeta): Promise<void> {
	await placeWholeFile(layout, path.join(layout.messagesDir, `${meta.id}.json`), metaText(meta));
}

/**
 * Writes a file into messages/ whole: under tmp/ and renamed into place.
 * write-file-atomic put its temporary copy beside the target, so a crash
 * mid-write left a stray file in messages/, where every reader looks; in
 * tmp/ a leftover is harmless and swept by a later open.
 */
async function placeWholeFile(layout: TapeLayout, file: string, text: string): Promise<void> {
	const temporary = path.join(layout.tmpDir, `${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.part`);
	const handle = await open(temporary, 'wx', layout.fileMode);
	try {
		try {
			await setFileMode(handle, layout);
			await handle.writeFile(text);
			await handle.sync();
		} finally {
			await handle.close();
		}

		await rename(temporary, file);
	} catch (error) {
		// A full disk refuses the copy's first block: never leave it behind.
		await unlink(temporary).catch(() => undefined);
		throw error;
	}

	// The rename is durable only once the folder is: without this a power cut
	// could lose a message just saved (and its audio, renamed in just before).
	// Best effort: some network filesystems cannot sync a folder.
	await fsyncPath(layout.messagesDir).catch(() => undefined);
}

/** Removing a file that is already gone is no failure; any other error is (a read-only disk, a folder in its place). */
async function unlinkIfThere(file: string): Promise<void> {
	await unlink(file).catch((error: unknown) => {
		if (!isNotFound(error)) {
			throw error;
		}
	});
}

/** A message's own file: its marks live in state files (message-state.ts), never here. */
function metaText(meta: MessageMeta): string {
	const {heardMarks: _marks, ...own} = meta;
	return JSON.stringify(own, null, '\t') + '\n';
}

export function isDiskFull(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * Writes this computer's state file for a message. On a full disk the copy
 * that a rename needs cannot be written, and erasing (the first step to free
 * space) would fail: then an existing file is rewritten in place, in one
 * write that stays within the blocks it already has (the JSON grows by a few
 * bytes at most, a block holds thousands). Readers might see a torn file only
 * if the machine crashed during that one small write: the price of erasing on
 * a full disk. (A first state file on a full disk comes out of the store's
 * reserve, which the lock gives up when the disk is all but full.)
 */
export async function writeState(layout: TapeLayout, id: string, writer: string, state: MessageState): Promise<void> {
	const file = path.join(layout.messagesDir, stateFileName(id, writer));
	const text = stateText(id, writer, state);
	try {
		await placeWholeFile(layout, file, text);
	} catch (error) {
		if (!isDiskFull(error)) {
			throw error;
		}

		const handle = await open(file, rewriteFlags).catch(() => undefined);
		if (handle === undefined) {
			// Not one block for a state file of its own: the change goes into the
			// message's own file, in place (the one rewrite of it the format allows).
			await embedState(layout, id, state, error);
			return;
		}

		await rewriteInPlace(handle, text, error);
	}
}

/** Rewrites an open file whole, within the blocks it already has: a write that needed one more would fail halfway and leave half a file. */
async function rewriteInPlace(handle: FileHandle, text: string, diskFull: unknown): Promise<void> {
	try {
		const info = await handle.stat();
		const bytes = Buffer.from(text);
		if (!info.isFile() || bytes.length > info.blocks * 512) {
			throw diskFull;
		}

		await handle.write(bytes, 0, bytes.length, 0);
		await handle.truncate(bytes.length);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** A change kept in the message's own file, merged with any kept there before (see withEmbeddedState). */
async function embedState(layout: TapeLayout, id: string, state: MessageState, diskFull: unknown): Promise<void> {
	const file = path.join(layout.messagesDir, `${id}.json`);
	const handle = await open(file, rewriteFlags).catch(() => {
		throw diskFull;
	});
	let json: Record<string, unknown>;
	try {
		json = JSON.parse((await handle.readFile()).toString('utf8')) as Record<string, unknown>;
	} catch {
		await handle.close();
		throw diskFull;
	}

	const before = parseState({...json['state'] as object, id}, id);
	const merged = before.ok && json['state'] !== undefined ? mergeStates([before.state, state]) : state;
	await rewriteInPlace(handle, JSON.stringify({...json, state: merged}, null, '\t') + '\n', diskFull);
}

/**
 * Overwrites a message. A crash between two unlinks left a metadata file
 * without audio in messages/, reported as a problem for good. So the
 * metadata leaves first, in one rename to tmp/ID.evicted (the message is
 * gone at once), then the audio; the next open finishes a removal a crash
 * cut short.
 */
/** stateFiles: its state files' names, when the caller has listed the folder already (else it is listed here). */
export async function removeMessageFiles(layout: TapeLayout, id: string, stateFiles?: readonly string[]): Promise<void> {
	assertMessageId(id);
	const evicted = path.join(layout.tmpDir, `${id}.evicted`);
	// Only "already gone" is ignored: an overwrite that failed must say so,
	// not have its room counted as freed.
	await rename(path.join(layout.messagesDir, `${id}.json`), evicted).catch((error: unknown) => {
		if (!isNotFound(error)) {
			throw error;
		}
	});
	await unlinkIfThere(path.join(layout.messagesDir, `${id}.wav`));
	// Its state files before the marker: a crash before the marker goes
	// leaves it, and the next open finishes the removal, state files and all.
	for (const name of stateFiles ?? await readdir(layout.messagesDir)) {
		if (parseStateFileName(name)?.id === id) {
			await unlinkIfThere(path.join(layout.messagesDir, name));
		}
	}

	await unlinkIfThere(evicted);
}

/** Throws away a draft's audio and its owner's note in tmp/. */
export async function removeDraftFiles(layout: TapeLayout, id: string): Promise<void> {
	assertMessageId(id);
	await unlinkIfThere(path.join(layout.tmpDir, `${id}.wav`));
	await unlinkIfThere(path.join(layout.tmpDir, `${id}.json`));
}

/** Every path is built from a validated id: a last guard against one from inside a file ("../../x"). */
export function assertMessageId(id: string): void {
	if (!isMessageId(id)) {
		throw new Error(`"${id.slice(0, 40)}" is not a message id`);
	}
}
