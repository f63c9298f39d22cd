// The tape on disk. One WAV plus one small JSON file per message, in the
// manner of Maildir and Asterisk voicemail:
//
//   STORE/settings.json        capacity, shared by every process using the store
//   STORE/messages/ID.wav      16 kHz mono 16-bit PCM
//   STORE/messages/ID.json     who, when, how long, heard, keep, erasedAt
//   STORE/tmp/ID.wav, ID.json  recordings in progress and their owner
//   STORE/mailboxes.json       the housemates' names, shared by every terminal
//   STORE/greeting.wav         the household's own greeting, if recorded
//   STORE/lock                 held briefly to place, erase or change messages
//
// A message exists once its JSON is in messages/. Recordings grow in tmp/ and
// are renamed into place, so no reader ever sees half a message. Only the
// small JSON is ever rewritten, always whole and by rename.
import {chmod, mkdir, stat} from 'node:fs/promises';
import path from 'node:path';
import envPaths from 'env-paths';
import {isMessageId} from './message.js';
import {assertRealFolder} from './safe-files.js';

export const fileMode = 0o600;
export const dirMode = 0o700;

/** Where each part of a store lives; every path absolute. */
export type TapeLayout = {
	readonly dir: string;
	readonly messagesDir: string;
	readonly tmpDir: string;
	readonly settingsFile: string;
	readonly greetingFile: string;
	readonly mailboxesFile: string;
};

export function tapeLayout(dir: string): TapeLayout {
	return {
		dir,
		messagesDir: path.join(dir, 'messages'),
		tmpDir: path.join(dir, 'tmp'),
		settingsFile: path.join(dir, 'settings.json'),
		greetingFile: path.join(dir, 'greeting.wav'),
		mailboxesFile: path.join(dir, 'mailboxes.json'),
	};
}

export async function ensureLayout(layout: TapeLayout): Promise<void> {
	await mkdir(layout.dir, {recursive: true, mode: dirMode});
	await mkdir(layout.messagesDir, {recursive: true, mode: dirMode});
	await mkdir(layout.tmpDir, {recursive: true, mode: dirMode});
	// The root may be a link the user made (~/answerphone → /srv/tape): its
	// path comes from them, not from the store. The folders inside it are
	// the store's own and must be real: a link as tmp/ would have the sweep
	// of stale parts delete files wherever it points.
	assertRealFolder(layout.messagesDir);
	assertRealFolder(layout.tmpDir);
	// mkdir's mode is filtered by the umask, and an existing folder keeps its
	// own: these are private recordings, so say it explicitly.
	const info = await stat(layout.dir);
	if ((info.mode & 0o077) !== 0 && info.uid === process.getuid?.()) {
		await chmod(layout.dir, dirMode).catch(() => undefined);
	}
}

// The same folder src/config.ts names for the app: the cache is the store's
// own business, so the tape finds it without reaching up to the config.
const appCacheDir = envPaths('answerphone', {suffix: ''}).cache;

/** This user's cache folder for the store's private indexes (ANSWERPHONE_CACHE overrides it). */
export function cacheDir(): string {
	return process.env['ANSWERPHONE_CACHE'] || appCacheDir;
}

/** The message a file in messages/ belongs to, if it is one of a message's two (ID.json, ID.wav). */
export function messageOfFile(name: string): string | undefined {
	const id = /^(.+)\.(?:json|wav)$/.exec(name)?.[1];
	return id !== undefined && isMessageId(id) ? id : undefined;
}

export function isNotFound(error: unknown): boolean {
	return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
