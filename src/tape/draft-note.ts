// A recording's note in tmp/ (tmp/ID.json: who it is for, who left it, which
// process writes it) is untrusted like every file in the store. Recovery acts
// on a note only if it passes the same checks as a message typed on the
// command line, and every path is built from the note's own file name, never
// from a field inside it; anything else in tmp/ that is not what the store
// makes is set aside and reported here, for doctor to list and list to count.
import {lstat, readdir} from 'node:fs/promises';
import path from 'node:path';
import {isNotFound, type TapeLayout} from './layout.js';
import {isMessageId, isShowableName} from './message.js';
import {notRegularReason, readSmallFile, smallFileLimit} from './safe-files.js';
import {isConflictCopy, isSyncthingFile} from './sync-names.js';
import type {DraftOwner, StoreProblem} from './types.js';

export type DraftNoteReading = {ok: true; owner: DraftOwner} | {ok: false; reason: string};

const isPid = (pid: unknown): pid is number => Number.isSafeInteger(pid) && (pid as number) > 0;

/** Validates parsed JSON from tmp/FILEID.json. Pure. */
export function parseDraftNote(json: unknown, fileId: string): DraftNoteReading {
	if (!isMessageId(fileId)) {
		return {ok: false, reason: 'draft note: its file name is not a message id'};
	}

	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return {ok: false, reason: 'draft note is not a JSON object; set aside, not recovered'};
	}

	const note = json as Record<string, unknown>;
	if (note['id'] !== fileId) {
		return {ok: false, reason: 'draft note id does not match its file name; set aside, not recovered'};
	}

	for (const key of ['for', 'from'] as const) {
		if (typeof note[key] !== 'string' || !isShowableName(note[key])) {
			return {ok: false, reason: `draft note field "${key}" is not a usable name; set aside, not recovered`};
		}
	}

	if (typeof note['createdAt'] !== 'string' || Number.isNaN(Date.parse(note['createdAt']))) {
		return {ok: false, reason: 'draft note field "createdAt" is not a date; set aside, not recovered'};
	}

	if (!isPid(note['pid']) || typeof note['host'] !== 'string') {
		return {ok: false, reason: 'draft note does not say which process writes it; set aside, not recovered'};
	}

	// Fields this version does not know (a newer one's) are passed on untouched.
	const owner = {
		...note,
		id: fileId,
		for: note['for'] as string,
		from: note['from'] as string,
		createdAt: note['createdAt'],
		pid: note['pid'],
		host: note['host'],
	} as DraftOwner;
	if (note['helpers'] === undefined) {
		delete owner.helpers;
	} else {
		owner.helpers = Array.isArray(note['helpers']) ? note['helpers'].filter(pid => isPid(pid)) : [];
	}

	return {ok: true, owner};
}

/** The note of draft id, read without following a link or blocking on a FIFO; undefined if it is gone. */
export async function readDraftNote(layout: TapeLayout, id: string): Promise<DraftNoteReading | undefined> {
	let text: string;
	try {
		text = await readSmallFile(path.join(layout.tmpDir, `${id}.json`));
	} catch (error) {
		if (isNotFound(error)) {
			return undefined;
		}

		return {ok: false, reason: (error as Error).message};
	}

	try {
		return parseDraftNote(JSON.parse(text), id);
	} catch {
		return {ok: false, reason: 'draft note is not valid JSON; set aside, not recovered'};
	}
}

/**
 * What is wrong in tmp/ and with the store's own files at its root: entries
 * that are no regular file, and draft notes that cannot be trusted. Reported,
 * never touched.
 */
export async function storeProblems(layout: TapeLayout): Promise<StoreProblem[]> {
	const problems: StoreProblem[] = [];
	for (const [file, limit] of [[layout.settingsFile, smallFileLimit], [layout.mailboxesFile, smallFileLimit], [layout.greetingFile, Number.POSITIVE_INFINITY]] as const) {
		const info = await lstat(file).catch(() => undefined);
		if (info !== undefined && !info.isFile()) {
			problems.push({file, reason: notRegularReason});
		} else if (info !== undefined && info.size > limit) {
			problems.push({file, reason: `larger than ${Math.round(limit / 1024)} KB, so not read`});
		}
	}

	let names: string[];
	try {
		names = await readdir(layout.tmpDir);
	} catch {
		return problems;
	}

	for (const name of names) {
		// A syncing program's own files (should tmp/ be shared by mistake) are its business.
		if (isSyncthingFile(name) || isConflictCopy(name)) {
			continue;
		}

		const file = path.join(layout.tmpDir, name);
		const info = await lstat(file).catch(() => undefined);
		if (info === undefined) {
			continue;
		}

		if (!info.isFile()) {
			problems.push({file, reason: notRegularReason});
			continue;
		}

		const id = name.endsWith('.json') ? name.slice(0, -5) : '';
		if (isMessageId(id)) {
			const reading = await readDraftNote(layout, id);
			if (reading !== undefined && !reading.ok) {
				problems.push({file, reason: reading.reason});
			}
		}
	}

	return problems;
}
