// A private, per-user index of a big store, so that reading 10,000 messages
// (list, status, the screen opening) means one file instead of 10,000. It lives in the user's
// cache directory, never in the store: only this user on this computer writes
// it, so a store shared by several computers never sees it (no sync
// conflicts), and deleting it loses nothing.
//
// It is trusted only while the messages/ folder is unchanged. Every change the
// store makes there (a new message, a rewritten metadata file, an erase, an
// overwrite) is a create, rename or unlink in that folder, which changes its
// modification time. It is written only once the folder has been still for a
// few seconds, because some filesystems keep times to the second or coarser,
// and a change in the same tick as the index would otherwise go unseen.
import {createHash} from './crypto-on-demand.js';
import {
	mkdirSync, readFileSync, renameSync, statSync, writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {cacheDir} from './layout.js';
import {noMarks, noWaveform, type HeardMarks, type MessageMeta} from './message.js';
import type {StoreProblem} from './types.js';

/** Below this many files a store is read directly: the index would save nothing. */
export const indexFromFiles = 500;
/** How long the folder must have been unchanged before an index of it is written. */
const stillForMs = 3000;
// 3: names are checked on read (printable.ts), so an index written before
// that may list messages that are now set aside.
// 4: heard is merged from state files, per housemate (message-state.ts).
const version = 4;

export type IndexedStore = {metas: MessageMeta[]; problems: StoreProblem[]};

/**
 * One message as a row rather than an object, with its waveform as a string
 * of digits: the index of 10,000 messages parses in half the time.
 */
type Row = [id: string, recipient: string, sender: string, createdAt: string, durationMs: number, flags: number, erasedAt: string | null, waveform: string, heardMarks?: HeardMarks];

type IndexFile = {version: number; store: string; folder: string; rows: Row[]; problems: StoreProblem[]};

const heardFlag = 1;
const keepFlag = 2;
const recoveredFlag = 4;

function toRow(meta: MessageMeta): Row {
	const flags = (meta.heard ? heardFlag : 0) | (meta.keep ? keepFlag : 0) | (meta.recovered ? recoveredFlag : 0);
	const row: Row = [meta.id, meta.for, meta.from, meta.createdAt, meta.durationMs, flags, meta.erasedAt, meta.waveform.join('')];
	// Most messages carry no marks: their rows stay short.
	if (Object.keys(meta.heardMarks).length > 0) {
		row[8] = meta.heardMarks;
	}

	return row;
}

function fromRow([id, recipient, sender, createdAt, durationMs, flags, erasedAt, waveform, heardMarks]: Row, waveforms: boolean): MessageMeta {
	return {
		id,
		for: recipient,
		from: sender,
		createdAt,
		durationMs,
		heard: (flags & heardFlag) !== 0,
		keep: (flags & keepFlag) !== 0,
		recovered: (flags & recoveredFlag) !== 0,
		erasedAt,
		waveform: waveforms ? decodeWaveform(waveform) : noWaveform,
		heardMarks: heardMarks ?? noMarks,
	};
}

/** Digits back to levels; a plain loop, as this runs for every message of a big store. */
function decodeWaveform(digits: string): number[] {
	const levels: number[] = [];
	for (let index = 0; index < digits.length; index++) {
		levels.push(digits.charCodeAt(index) - 48);
	}

	return levels;
}

function indexFile(messagesDir: string): string {
	const hash = createHash('sha256').update(messagesDir).digest('hex').slice(0, 24);
	return path.join(cacheDir(), `index-${hash}.json`);
}

/** The folder's signature: it changes with every entry added, removed or renamed. */
export function folderSignature(messagesDir: string): {signature: string; changedAt: number} {
	const info = statSync(messagesDir);
	// Every entry added, removed or renamed moves the modification time; the
	// change time is in the signature too, so even a folder whose times were
	// set back (by a restore or a sync) counts as changed.
	return {signature: `${info.dev}:${info.ino}:${info.mtimeMs}:${info.ctimeMs}`, changedAt: info.mtimeMs};
}

/** The index of the folder in this state, if there is one; waveforms: false leaves them empty. */
export function readIndex(messagesDir: string, signature: string, {waveforms = true} = {}): IndexedStore | undefined {
	try {
		const text = readFileSync(indexFile(messagesDir), 'utf8');
		// The signature sits near the start: an index of another state of the
		// folder is passed over without parsing a megabyte of it.
		if (!text.slice(0, 1000).includes(`"folder":${JSON.stringify(signature)}`)) {
			return undefined;
		}

		const index = JSON.parse(text) as IndexFile;
		if (index.version === version && index.store === messagesDir && index.folder === signature && Array.isArray(index.rows) && Array.isArray(index.problems)) {
			return {metas: index.rows.map(row => fromRow(row, waveforms)), problems: index.problems};
		}
	} catch {}

	return undefined;
}

/** Saves the index if the folder has been still long enough to be trusted; never fails the caller. */
export function writeIndex(messagesDir: string, folder: {signature: string; changedAt: number}, store: IndexedStore, fileCount: number): void {
	if (fileCount < indexFromFiles || Date.now() - folder.changedAt < stillForMs) {
		return;
	}

	try {
		const file = indexFile(messagesDir);
		mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
		const index: IndexFile = {version, store: messagesDir, folder: folder.signature, rows: store.metas.map(meta => toRow(meta)), problems: store.problems};
		// Private like the store: it holds who left messages for whom. Written
		// whole and renamed, so a reader never sees half of it.
		const part = `${file}.${process.pid}.part`;
		writeFileSync(part, JSON.stringify(index), {mode: 0o600});
		renameSync(part, file);
	} catch {}
}
