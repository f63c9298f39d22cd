// The tape on disk. One WAV plus one small JSON file per message, in the
// manner of Maildir and Asterisk voicemail:
//
//   STORE/settings.json        capacity, shared by every process using the store
//   STORE/messages/ID.wav      16 kHz mono 16-bit PCM
//   STORE/messages/ID.json     who, when, how long: never changed once placed
//   STORE/messages/ID.state.WRITER.json
//                              heard by whom, keep, erased: one per computer that
//                              changed it, merged on read (message-state.ts)
//   STORE/tmp/ID.wav, ID.json  recordings in progress and their owner
//   STORE/mailboxes.json       the housemates' names, shared by every terminal
//   STORE/greeting.wav         the household's own greeting, if recorded
//   STORE/lock                 held briefly to place, erase or change messages
//   STORE/disk-reserve         64 KiB kept back so that a full disk can still be freed
//
// A message exists once its JSON is in messages/. Recordings grow in tmp/ and
// are renamed into place, so no reader ever sees half a message. Only state
// files are ever rewritten, each by one computer only, whole and by rename.
import {chmod, mkdir, realpath, stat, statfs} from 'node:fs/promises';
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
	await makeStoreDir(layout.dir);
	await makeDir(layout.messagesDir);
	await makeDir(layout.tmpDir);
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

/** A path that can never hold a store: a file, or a folder of the kernel's own. */
export class StorePathError extends Error {}

/**
 * The kernel's own filesystems (statfs magic numbers): their entries are not
 * files, and Node's recursive mkdir spins forever in them (in /proc a mkdir
 * fails with ENOENT under a folder that exists, so it retries the parent and
 * the child without end).
 */
const kernelFilesystems: ReadonlyMap<number, string> = new Map([
	[0x9F_A0, 'proc'], [0x62_65_65_72, 'sysfs'], [0x1C_D1, 'devpts'], [0x27_E0_EB, 'cgroup'], [0x63_67_72_70, 'cgroup2'],
	[0x64_62_67_20, 'debugfs'], [0x74_72_61_63, 'tracefs'], [0x73_63_66_73, 'securityfs'], [0xCA_FE_4A_11, 'bpf'],
	[0x62_65_65_70, 'configfs'], [0x65_73_55_43, 'fusectl'], [0xDE_5E_81_E4, 'efivarfs'], [0x61_65_67_6C, 'pstore'],
]);

/** The kernel's folders by name, for systems whose filesystem types statfs does not tell apart (devtmpfs is a tmpfs). */
function inKernelTree(real: string): string | undefined {
	if (real.startsWith('/dev/shm/') || real === '/dev/shm') {
		return undefined;
	}

	return ['/proc', '/sys', '/dev'].find(tree => real === tree || real.startsWith(`${tree}/`));
}

/**
 * Makes the store's folder and any missing parents, one at a time: never
 * Node's recursive mkdir, which loops forever where a folder cannot be made
 * (/proc/self/messages). A path that cannot be a store is refused at once.
 */
async function makeStoreDir(dir: string): Promise<void> {
	const missing: string[] = [];
	let existing = dir;
	for (;;) {
		try {
			if (!(await stat(existing)).isDirectory()) {
				throw new StorePathError(existing === dir ? 'it is a file, not a folder' : `${existing} is a file, not a folder`);
			}

			break;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOTDIR') {
				throw new StorePathError('a part of the path is a file, not a folder');
			}

			if (code !== 'ENOENT' || path.dirname(existing) === existing) {
				throw error;
			}

			missing.unshift(existing);
			existing = path.dirname(existing);
		}
	}

	const real = path.join(await realpath(existing), path.relative(existing, dir));
	const kind = kernelFilesystems.get(await statfs(existing).then(info => info.type, () => -1));
	const tree = inKernelTree(real);
	if (kind !== undefined || tree !== undefined) {
		throw new StorePathError(`it is in ${tree ?? kind}, the kernel's own files, where no store can live`);
	}

	for (const folder of missing) {
		await makeDir(folder);
	}
}

/** One folder, made private; one that is already there is left as it is. */
async function makeDir(folder: string): Promise<void> {
	try {
		await mkdir(folder, {mode: dirMode});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw error;
		}
	}
}

// The same folder src/config.ts names for the app: the cache is the store's
// own business, so the tape finds it without reaching up to the config.
const appCacheDir = envPaths('answerphone', {suffix: ''}).cache;

/** This user's cache folder for the store's private indexes (ANSWERPHONE_CACHE overrides it). */
export function cacheDir(): string {
	return process.env['ANSWERPHONE_CACHE'] || appCacheDir;
}

/** The message a file in messages/ belongs to, if it is one of a message's own two (ID.json, ID.wav) or a state file of it (ID.state.WRITER.json). */
export function messageOfFile(name: string): string | undefined {
	const id = /^(.+?)\.(?:json|wav|state\.[a-z\d][a-z\d-]{0,39}\.json)$/.exec(name)?.[1];
	return id !== undefined && isMessageId(id) ? id : undefined;
}

export function isNotFound(error: unknown): boolean {
	return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
