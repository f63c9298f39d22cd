// A store shared between computers through Syncthing: `answerphone setup
// --shared-folder` writes the .stignore lines that keep each computer's own
// files (the lock, recordings in progress, the disk reserve) off the wire,
// and doctor warns when a store looks shared without them. Syncthing never
// sends .stignore itself, so each computer runs this once. Syncthing reads
// only the .stignore at the root of the folder it shares (the one with its
// marker, .stfolder): for a store inside a bigger shared folder the lines go
// there, naming the store's path in it.
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {printable} from '../printable.js';
import {writeWholeFile} from '../tape/meta-files.js';
import {syncedFolderOf} from '../tape/conflicts.js';
import {readSmallFile} from '../tape/safe-files.js';
import type {Tape} from '../tape/store.js';
import {missingIgnoreLines, perComputerPatterns, withIgnoreLines} from '../tape/sync-names.js';
import {CommandError, openTape, type StoreOptions} from './context.js';

/** The .stignore Syncthing reads for this store, and the store's path inside the shared folder ('' at its root). */
async function ignoreFileOf(tape: Tape): Promise<{file: string; within: string}> {
	const folder = await syncedFolderOf(tape.dir) ?? tape.dir;
	return {file: path.join(folder, '.stignore'), within: path.relative(folder, tape.dir).split(path.sep).join('/')};
}

/** A .stignore's text ('' when there is none); a link, a FIFO or a huge file there is refused with one line. */
async function readIgnoreFile(file: string): Promise<string> {
	try {
		return await readSmallFile(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return '';
		}

		throw new CommandError(`cannot read ${file}: ${(error as Error).message}`);
	}
}

/** answerphone setup --shared-folder: adds what is missing to STORE/.stignore (idempotent); says what it did on stdout. */
export async function setupSharedFolder(options: StoreOptions): Promise<void> {
	const tape = await openTape(options);
	const {file, within} = await ignoreFileOf(tape);
	const said = await tape.withLock(async () => {
		const before = await readIgnoreFile(file);
		const missing = missingIgnoreLines(before, within);
		if (missing.length > 0) {
			await writeWholeFile(tape, file, withIgnoreLines(before, within));
		}

		return missing.length === 0
			? `${file} already keeps this computer's own files local (${perComputerPatterns.join(' ')})`
			: `${file}: added ${missing.join(' ')}, kept local on this computer`;
	});
	process.stdout.write(`${printable(said)}\nSyncthing does not share .stignore: run this on every computer that shares the store.\n`);
}

/** Whether the store's folder looks shared through Syncthing: its marker (here or above) or ignore file, or a file of its arriving. */
async function looksShared(tape: Tape): Promise<boolean> {
	if (await syncedFolderOf(tape.dir) !== undefined) {
		return true;
	}

	for (const dir of [tape.dir, tape.messagesDir]) {
		const names = await readdir(dir).catch(() => [] as string[]);
		if (names.some(name => name === '.stfolder' || name === '.stignore' || name.startsWith('.syncthing.') || name.startsWith('~syncthing~'))) {
			return true;
		}
	}

	return false;
}

/** doctor's lines about sharing: a warning when the store looks shared but its .stignore lacks lines, and conflict copies kept for a person. */
export async function sharedFolderReport(tape: Tape): Promise<string[]> {
	const lines: string[] = [];
	if (await looksShared(tape)) {
		const {file, within} = await ignoreFileOf(tape);
		const missing = missingIgnoreLines(await readIgnoreFile(file).catch(() => ''), within);
		lines.push(missing.length === 0
			? `shared    ok     ${printable(file)} keeps this computer's own files local`
			: `shared    WARN   the store looks shared (Syncthing), but ${printable(file)} lacks ${printable(missing.join(' '))}: run answerphone setup --shared-folder on each computer`);
	}

	for (const action of await tape.resolveConflicts().catch(() => [])) {
		if (action.action === 'kept') {
			lines.push(`          conflict copy kept aside: ${printable(action.file)} (${printable(action.reason ?? '')}); compare it and remove it by hand`);
		}
	}

	return lines;
}
