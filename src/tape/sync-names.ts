// The names a folder-syncing program (Syncthing) puts in the store beside
// the store's own files. Pure: names in, verdicts out.
//
//   .syncthing.NAME.tmp, ~syncthing~NAME.tmp   a file still arriving; renamed
//                                               into place once whole
//   .stfolder, .stignore, .stversions          Syncthing's own marker, ignore
//                                               list and old versions
//   NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.ext
//                                               the losing side of two changes
//                                               to one file (conflicts.ts)
//
// None of them is a message or a problem: the scanner passes over them, and
// only conflicts.ts ever acts on a conflict copy.
import {isMessageId} from './message.js';

/** Syncthing's own entries, by name. */
const syncthingOwn = new Set(['.stfolder', '.stignore', '.stversions']);

/** A file Syncthing is still writing, or its marker, ignore list or versions folder: never ours to read, report or touch. */
export function isSyncthingFile(name: string): boolean {
	return syncthingOwn.has(name)
		|| (name.startsWith('.syncthing.') && name.endsWith('.tmp'))
		|| (name.startsWith('~syncthing~') && name.endsWith('.tmp'));
}

/** What a conflict copy is a copy of. */
export type ConflictTarget =
	| {kind: 'mailboxes' | 'settings' | 'greeting'}
	| {kind: 'message-json' | 'message-wav'; id: string}
	| {kind: 'state'; id: string; writer: string}
	| {kind: 'unknown'};

export type ConflictName = {
	/** The name of the file it is a copy of (built from the copy's validated name, never from its contents). */
	original: string;
	/** When Syncthing made it, as it says (UTC), and the first 7 characters of the other device's id. */
	at: string;
	device: string;
	target: ConflictTarget;
};

// Syncthing (lib/model/folder_sendrecv.go): the stem, then
// .sync-conflict-20060102-150405-SHORTID, then the extension (if any). The
// short id is the first block of the device id: 7 characters of base32.
const conflictPattern = /^(.+)\.sync-conflict-(\d{8})-(\d{6})-([A-Z2-7]{7})(\.[^.]*)?$/;

/** A per-writer state file's writer id (see the state format): [a-z0-9-], 1–40 characters. */
const writerPattern = /^[a-z\d-]{1,40}$/;

/**
 * Reads a conflict copy's name strictly; undefined for any other name. The
 * target says which of the store's files it is a copy of; 'unknown' for a
 * copy of anything else (left alone).
 */
export function parseConflictName(name: string, where: 'root' | 'messages'): ConflictName | undefined {
	const match = conflictPattern.exec(name);
	if (match === null) {
		return undefined;
	}

	const [, stem = '', date = '', time = '', device = '', ext = ''] = match;
	const original = stem + ext;
	const at = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`;
	return {original, at, device, target: targetOf(original, where)};
}

function targetOf(original: string, where: 'root' | 'messages'): ConflictTarget {
	if (where === 'root') {
		const kinds = {'mailboxes.json': 'mailboxes', 'settings.json': 'settings', 'greeting.wav': 'greeting'} as const;
		const kind = kinds[original as keyof typeof kinds];
		return kind === undefined ? {kind: 'unknown'} : {kind};
	}

	const base = /^(.+)\.(json|wav)$/.exec(original);
	if (base !== null && isMessageId(base[1]!)) {
		return {kind: base[2] === 'json' ? 'message-json' : 'message-wav', id: base[1]!};
	}

	const state = /^(.+?)\.state\.(.+)\.json$/.exec(original);
	if (state !== null && isMessageId(state[1]!) && writerPattern.test(state[2]!)) {
		return {kind: 'state', id: state[1]!, writer: state[2]!};
	}

	return {kind: 'unknown'};
}

/** True for a conflict copy of any file, wherever it is: never a problem, never listed. */
export function isConflictCopy(name: string): boolean {
	return conflictPattern.test(name);
}

/**
 * The store's files each computer keeps for itself, as .stignore patterns
 * from the store's root: the lock (a folder, and proper-lockfile's
 * neighbours), recordings in progress and their notes, the disk reserve and
 * the per-housemate counts rewritten on every change. Sent to another
 * computer, a lock would stop it for 10 s, a draft would be "recovered"
 * there while still recording here, and the counts would conflict.
 */
export const perComputerPatterns: readonly string[] = ['/lock', '/lock.*', '/tmp', '/disk-reserve', '/status'];

/**
 * The patterns for a store at `within` (its path inside the synced folder,
 * '' for the folder itself, '/' separated) that the text of the folder's
 * .stignore does not have (anchored or not, with or without flags).
 */
export function missingIgnoreLines(stignore: string, within = ''): string[] {
	const present = new Set(stignore.split(/\r?\n/).map(line => line.trim().replace(/^(?:\(\?[di]\))+/, '').replace(/^\//, '')));
	const prefix = within === '' ? '/' : `/${within}/`;
	return perComputerPatterns.map(pattern => prefix + pattern.slice(1)).filter(pattern => !present.has(pattern.slice(1)));
}

/** The .stignore text with the missing patterns added at the end, every line already there kept as it was. */
export function withIgnoreLines(stignore: string, within = ''): string {
	const missing = missingIgnoreLines(stignore, within);
	if (missing.length === 0) {
		return stignore;
	}

	const before = stignore === '' || stignore.endsWith('\n') ? stignore : stignore + '\n';
	return `${before}// answerphone: files each computer keeps for itself (answerphone setup --shared-folder)\n${missing.join('\n')}\n`;
}
