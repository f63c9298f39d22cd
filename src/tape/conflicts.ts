// Conflict copies: when two computers sharing the store through Syncthing
// both change one file before either hears of the other's change, Syncthing
// keeps the newer as the file and the older beside it as
// NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.ext. Each is settled here by
// what the file is:
//
//   mailboxes.json    the names in both are kept (a housemate added on each
//                     computer); the copy goes
//   settings.json     the live file stays: it is what every computer already
//                     reads, and writing it again would start another round;
//                     the copy goes
//   greeting.wav      the newer by its time stays
//   ID.json, ID.wav   a message's own files, written once: an identical copy
//                     goes; a different one is kept out of the listing, for
//                     a person to judge (doctor names it)
//   ID.state.W.json   a computer's state of a message: the copy's changes are
//                     merged into the live file (latest change per field), then
//                     the copy goes
//
// Which file a copy belongs to is read from its name, strictly, and every
// path is built from the folder listed and that name: never from anything
// inside a file. Only regular files are acted on, never a link or a FIFO.
import {constants} from 'node:fs';
import {lstat, open, readdir, rename, unlink} from 'node:fs/promises';
import path from 'node:path';
import {isNotFound, type TapeLayout} from './layout.js';
import {withLock} from './lock.js';
import {isSafeName} from './message.js';
import {mergeStates} from './message-state.js';
import {writeState, writeWholeFile} from './meta-files.js';
import {noFollow, readSmallFile} from './safe-files.js';
import {readMailboxes} from './shared-files.js';
import {parseState, readOwnState} from './state-files.js';
import {isConflictCopy, parseConflictName, type ConflictName} from './sync-names.js';

/** One conflict copy found, and what was (or is to be) done with it. */
export type ConflictAction = {
	/** The copy's path. */
	file: string;
	/** The path of the file it is a copy of. */
	original: string;
	action: 'merged' | 'removed' | 'replaced' | 'kept' | 'left';
	/** Why a copy was kept or left. */
	reason?: string;
};

type Found = {file: string; original: string; name: ConflictName};

/**
 * The folder Syncthing shares that holds the store: the nearest of the
 * store's folder and those above it with Syncthing's marker (.stfolder) in
 * it; undefined when there is none.
 */
export async function syncedFolderOf(dir: string): Promise<string | undefined> {
	for (let folder = dir; ; folder = path.dirname(folder)) {
		if (await lstat(path.join(folder, '.stfolder')).then(() => true, () => false)) {
			return folder;
		}

		if (path.dirname(folder) === folder) {
			return undefined;
		}
	}
}

/**
 * Whether the store looks shared through Syncthing: its ignore list, a
 * conflict copy at its root, or Syncthing's marker here or above.
 */
export async function looksSynced(layout: TapeLayout, rootNames?: readonly string[]): Promise<boolean> {
	const names = rootNames ?? await readdir(layout.dir).catch(() => [] as string[]);
	return names.includes('.stignore') || names.some(name => isConflictCopy(name)) || await syncedFolderOf(layout.dir) !== undefined;
}

/** Every conflict copy at the store's root and in messages/ (names only: no file is opened). */
export async function findConflicts(layout: TapeLayout): Promise<Found[]> {
	const found: Found[] = [];
	const rootNames = await readdir(layout.dir).catch(() => [] as string[]);
	// Listing messages/ takes a while in a big store (50 ms for 10,000
	// messages): only a synced store can hold conflict copies there.
	const synced = await looksSynced(layout, rootNames);
	const places: Array<[string, 'root' | 'messages']> = [[layout.dir, 'root'], ...(synced ? [[layout.messagesDir, 'messages'] as [string, 'messages']] : [])];
	for (const [dir, where] of places) {
		const names = dir === layout.dir ? rootNames : await readdir(dir).catch(() => [] as string[]);
		for (const name of names) {
			const parsed = parseConflictName(name, where);
			if (parsed !== undefined) {
				found.push({file: path.join(dir, name), original: path.join(dir, parsed.original), name: parsed});
			}
		}
	}

	return found;
}

/**
 * Settles every conflict copy in the store, holding its lock while anything
 * is changed. Returns what was found and done; a copy that needs a person
 * (a message's file that differs) is 'kept', every time it is asked.
 */
export async function resolveConflicts(layout: TapeLayout): Promise<ConflictAction[]> {
	const planned = await planAll(layout);
	// Nothing to change: no lock (most opens, and every look after the first).
	if (planned.every(step => step.action === 'kept' || step.action === 'left')) {
		return planned;
	}

	return withLock(layout, async () => {
		// Again under the lock: another process may have settled some meanwhile.
		const steps = await planAll(layout);
		for (const step of steps) {
			await carryOut(layout, step).catch((error: unknown) => {
				// Gone meanwhile is settled; anything else is left for the next look.
				if (!isNotFound(error)) {
					step.action = 'left';
					step.reason = (error as Error).message;
				}
			});
		}

		return steps;
	});
}

type Step = ConflictAction & {found: Found; union?: string[]};

async function planAll(layout: TapeLayout): Promise<Step[]> {
	const steps: Step[] = [];
	for (const found of await findConflicts(layout)) {
		steps.push(await plan(layout, found));
	}

	return steps;
}

async function plan(layout: TapeLayout, found: Found): Promise<Step> {
	const step = (action: ConflictAction['action'], reason?: string, union?: string[]): Step => ({
		file: found.file, original: found.original, action, found, ...(reason === undefined ? {} : {reason}), ...(union ? {union} : {}),
	});
	const {target} = found.name;
	if (target.kind === 'unknown') {
		return step('left', 'not one of the store\'s files');
	}

	if (target.kind === 'state') {
		// Only one computer writes a state file, so a copy means two computers
		// took one id, or a backup came back: merging loses neither's changes.
		return await kindOf(found.file) === 'file' ? step('merged') : step('left', 'not a regular file');
	}

	// Only a regular file is ever read, removed or moved: a link or a FIFO by
	// such a name is left as it is.
	const [copy, live] = await Promise.all([kindOf(found.file), kindOf(found.original)]);
	if (copy !== 'file' || live === 'other') {
		return step('left', 'not a regular file');
	}

	switch (target.kind) {
		case 'mailboxes': {
			const names = await copyMailboxes(found.file);
			if (names === undefined) {
				return step('left', 'not a list of names');
			}

			const current = await readMailboxes(layout);
			const union = [...current, ...names.filter(name => !current.includes(name))];
			return step(union.length === current.length ? 'removed' : 'merged', undefined, union);
		}

		case 'settings': {
			return step(live === 'missing' ? 'replaced' : 'removed');
		}

		case 'greeting': {
			const [copyTime, liveTime] = await Promise.all([mtimeOf(found.file), mtimeOf(found.original)]);
			return step(liveTime === undefined || (copyTime ?? 0) > liveTime ? 'replaced' : 'removed');
		}

		case 'message-json':
		case 'message-wav': {
			if (live === 'missing') {
				return step('kept', 'its message is not on the tape (erased or overwritten on another computer)');
			}

			return await sameContents(found.file, found.original) ? step('removed') : step('kept', `differs from ${path.basename(found.original)}`);
		}
	}
}

async function carryOut(layout: TapeLayout, step: Step): Promise<void> {
	switch (step.action) {
		case 'merged': {
			const {target} = step.found.name;
			if (target.kind === 'state') {
				await mergeStateCopy(layout, step.file, target.id, target.writer);
				break;
			}

			await writeWholeFile(layout, layout.mailboxesFile, JSON.stringify(step.union) + '\n');
			await unlink(step.file);
			break;
		}

		case 'removed': {
			await unlink(step.file);
			break;
		}

		case 'replaced': {
			// One rename: the name is replaced, whatever was there, never followed.
			await rename(step.file, step.original);
			break;
		}

		case 'kept':
		case 'left': {
			break;
		}
	}
}

/** Folds a state file's conflict copy into the live file (each field's latest change wins, as on every read), then removes it. */
async function mergeStateCopy(layout: TapeLayout, file: string, id: string, writer: string): Promise<void> {
	const copy = parseState(JSON.parse(await readSmallFile(file)), id);
	if (!copy.ok) {
		throw new Error(copy.reason);
	}

	const live = await readOwnState(layout, id, writer);
	const merged = mergeStates([live, copy.state]);
	// Nothing new in the copy (the other computer merged it too, and its file
	// came first): rewriting the same state would only hand Syncthing another
	// version of the file to reconcile, and maybe another copy.
	if (JSON.stringify(merged) !== JSON.stringify(mergeStates([live]))) {
		await writeState(layout, id, writer, merged);
	}

	await unlink(file);
}

async function kindOf(file: string): Promise<'file' | 'missing' | 'other'> {
	try {
		return (await lstat(file)).isFile() ? 'file' : 'other';
	} catch (error) {
		if (isNotFound(error)) {
			return 'missing';
		}

		throw error;
	}
}

async function mtimeOf(file: string): Promise<number | undefined> {
	return lstat(file).then(info => info.mtimeMs, () => undefined);
}

async function copyMailboxes(file: string): Promise<string[] | undefined> {
	try {
		const names: unknown = JSON.parse(await readSmallFile(file));
		return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string' && isSafeName(name)) : undefined;
	} catch {
		return undefined;
	}
}

const openFlags = constants.O_RDONLY | noFollow | (constants.O_NONBLOCK ?? 0);

/** Whether two regular files hold the same bytes; read in pieces, never through a link. */
async function sameContents(a: string, b: string): Promise<boolean> {
	const [first, second] = [await open(a, openFlags), await open(b, openFlags).catch(() => undefined)];
	try {
		if (second === undefined) {
			return false;
		}

		const [infoA, infoB] = [await first.stat(), await second.stat()];
		if (!infoA.isFile() || !infoB.isFile() || infoA.size !== infoB.size) {
			return false;
		}

		const size = 64 * 1024;
		const [bufferA, bufferB] = [Buffer.alloc(size), Buffer.alloc(size)];
		for (let position = 0; position < infoA.size; position += size) {
			const [{bytesRead: readA}, {bytesRead: readB}] = [await first.read(bufferA, 0, size, position), await second.read(bufferB, 0, size, position)];
			if (readA !== readB || !bufferA.subarray(0, readA).equals(bufferB.subarray(0, readB))) {
				return false;
			}

			if (readA === 0) {
				break;
			}
		}

		return true;
	} finally {
		await first.close();
		await second?.close();
	}
}
