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
import {fchmodSync} from 'node:fs';
import {chmod, mkdir, realpath, stat, statfs, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import envPaths from 'env-paths';
import {isMessageId} from './message.js';
import {assertRealFolder} from './safe-files.js';

/**
 * The modes of everything the store makes: decided once, at open, from the
 * store's own folder, and set explicitly after every creation (the umask
 * would strip the group's bits). Nothing is ever the world's.
 */
export type StoreModes = {readonly fileMode: number; readonly dirMode: number};

/** A personal store: its owner's only. */
export const privateModes: StoreModes = {fileMode: 0o600, dirMode: 0o700};

/**
 * A household store (answerphone setup --household): its folders carry the
 * setgid bit, so every file made in them belongs to the store's group, and
 * the group may read and write it all.
 */
export const householdModes: StoreModes = {fileMode: 0o660, dirMode: 0o2770};

/**
 * The setgid bit on the store's folder marks a household store. Group bits
 * alone do not: a folder made under a umask of 002 has them, but its files
 * would each belong to their maker's own group and be shared with nobody.
 */
export function modesOf(folderMode: number): StoreModes {
	return (folderMode & 0o2000) === 0 ? privateModes : householdModes;
}

export function isHousehold(modes: StoreModes): boolean {
	return modes.fileMode === householdModes.fileMode;
}

/**
 * Sets a file the store just made to the store's mode. For a household store
 * a failure is one (housemates could not read it); a personal store's file
 * was made 0600, which no umask widens, so a filesystem that refuses chmod
 * (some network ones) is no failure there.
 */
export async function setFileMode(handle: FileHandle, modes: StoreModes): Promise<void> {
	await handle.chmod(modes.fileMode).catch((error: unknown) => {
		if (isHousehold(modes)) {
			throw error;
		}
	});
}

/** The same, for a descriptor. */
export function setFileModeSync(descriptor: number, modes: StoreModes): void {
	try {
		fchmodSync(descriptor, modes.fileMode);
	} catch (error) {
		if (isHousehold(modes)) {
			throw error;
		}
	}
}

/** Where each part of a store lives; every path absolute; and the modes of what is made in it. */
export type TapeLayout = StoreModes & {
	readonly dir: string;
	readonly messagesDir: string;
	readonly tmpDir: string;
	readonly settingsFile: string;
	readonly greetingFile: string;
	readonly mailboxesFile: string;
};

export function tapeLayout(dir: string, modes: StoreModes = privateModes): TapeLayout {
	return {
		fileMode: modes.fileMode,
		dirMode: modes.dirMode,
		dir,
		messagesDir: path.join(dir, 'messages'),
		tmpDir: path.join(dir, 'tmp'),
		settingsFile: path.join(dir, 'settings.json'),
		greetingFile: path.join(dir, 'greeting.wav'),
		mailboxesFile: path.join(dir, 'mailboxes.json'),
	};
}

/**
 * Makes the store's folders (if need be) and returns its layout, with the
 * modes its folder calls for. A folder this makes is a personal store; a
 * household one is made by answerphone setup.
 */
export async function openLayout(dir: string): Promise<TapeLayout> {
	const made = await makeStoreDir(dir);
	const info = await stat(dir);
	const ours = info.uid === process.getuid?.();
	// A store made here is personal even under a setgid parent (which would
	// hand its folder the bit, and so the parent's group).
	const modes = made ? privateModes : modesOf(info.mode);
	const layout = tapeLayout(dir, modes);
	// mkdir's mode is filtered by the umask, and an existing folder keeps its
	// own: say it explicitly. A personal store is its owner's only; a
	// household one is never the world's (its group is the point of it).
	const household = isHousehold(modes);
	const stray = info.mode & (household ? 0o007 : 0o077);
	if (ours && (made || stray !== 0)) {
		await chmod(dir, household ? info.mode & 0o7770 : privateModes.dirMode).catch(() => undefined);
	}

	await makeDir(layout.messagesDir, modes);
	await makeDir(layout.tmpDir, modes);
	// The root may be a link the user made (~/answerphone → /srv/tape): its
	// path comes from them, not from the store. The folders inside it are
	// the store's own and must be real: a link as tmp/ would have the sweep
	// of stale parts delete files wherever it points.
	assertRealFolder(layout.messagesDir);
	assertRealFolder(layout.tmpDir);
	return layout;
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
async function makeStoreDir(dir: string): Promise<boolean> {
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
		await makeDir(folder, privateModes);
	}

	return missing.length > 0;
}

/**
 * One of the store's folders, made with the store's mode (set explicitly:
 * the umask strips the group's bits); one that is already there is left as
 * it is. Every folder the store makes goes through here.
 */
export async function makeDir(folder: string, modes: StoreModes): Promise<void> {
	try {
		await mkdir(folder, {mode: modes.dirMode});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw error;
		}

		return;
	}

	await chmod(folder, modes.dirMode).catch((error: unknown) => {
		if (isHousehold(modes)) {
			throw error;
		}
	});
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
