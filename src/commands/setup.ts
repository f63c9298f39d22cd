// answerphone setup --household: one store for every account on the box,
// shared through a Unix group. Run once as root: makes the group, makes (or
// converts) the store so that the group owns it all (folders 2770 with the
// setgid bit, so that every file made later is the group's too; files
// 0660), and names it in the system's config, which every account reads
// below its own.
import {spawnSync} from 'node:child_process';
import {constants} from 'node:fs';
import {mkdir, open, readdir, readFile, rename, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {householdModes} from '../tape/layout.js';
import {Tape} from '../tape/store.js';
import {CommandError, openTape, UsageError, type StoreOptions} from './context.js';
import {setupSharedFolder} from './shared-folder.js';
import {findGroup} from './unix-accounts.js';

export type SetupOptions = StoreOptions & {
	household: boolean;
	/** Write the .stignore lines for a store shared through Syncthing (shared-folder.ts). */
	sharedFolder: boolean;
	/** The group that shares the store (answerphone by default). */
	group?: string;
	/** Write the login snippet to loginHookFile as well as printing it. */
	loginHook: boolean;
	/** The store given with --store: the environment's and the config's are this account's, not the household's. */
	storeFlag?: string;
	/** The system-wide config file every account reads. */
	systemConfig: string;
	/** Where the login snippet goes (/etc/profile.d/answerphone.sh). */
	loginHookFile: string;
};

export const defaultHouseholdStore = '/var/lib/answerphone';
export const defaultHouseholdGroup = 'answerphone';

/** The login shell's snippet: the new messages waiting, said once at login on a terminal. */
export const loginSnippet = `# answerphone: at login, say what new messages wait (answerphone setup --household)
if [ -t 1 ] && command -v answerphone >/dev/null 2>&1; then
	answerphone status --login 2>/dev/null || true
fi
`;

export async function setup(options: SetupOptions): Promise<void> {
	if (options.sharedFolder && !options.household) {
		await setupSharedFolder(options);
		return;
	}

	if (!options.household) {
		throw new UsageError('setup takes --household (a store shared by every account on this computer) or --shared-folder (a store shared between computers through Syncthing); a personal store needs no setup (answerphone --help)');
	}

	const group = options.group ?? defaultHouseholdGroup;
	const store = path.resolve(options.storeFlag ?? defaultHouseholdStore);
	if (process.getuid?.() !== 0) {
		throw new CommandError(`setup --household must run as root (it makes the group, gives the store to it and writes ${options.systemConfig}): sudo answerphone setup --household --store ${store}`);
	}

	const gid = ensureGroup(group);
	// Made (as a personal store) when missing, so that a path that can never
	// hold a store is refused as everywhere else; then given to the group.
	await openTape({store});
	const skipped = await giveToGroup(store, gid);
	// Opened again as the household store it now is: its folders and reserve are the group's.
	await Tape.open(store);
	await writeSystemConfig(options.systemConfig, store);
	const lines = [
		`answerphone: the household store is ready at ${store}: group ${group}, folders 2770 (setgid), files 0660`,
		`every account now uses it (${options.systemConfig}); a user's own config that names a store still wins`,
	];
	if (skipped.length > 0) {
		lines.push(`left as they are (not plain files or folders; answerphone doctor lists them): ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ` and ${skipped.length - 5} more` : ''}`);
	}

	lines.push(
		'',
		'add each housemate to the group (they log in again afterwards):',
		`  sudo usermod -aG ${group} NAME`,
		'',
	);
	if (options.loginHook) {
		await writeWhole(options.loginHookFile, loginSnippet, 0o644);
		lines.push(`at login each housemate hears of new messages: ${options.loginHookFile} runs answerphone status --login`);
	} else {
		lines.push(
			`to tell each housemate of new messages at login, put this in ${options.loginHookFile}`,
			'(or run this again with --login-hook to write it):',
			'',
			...loginSnippet.trimEnd().split('\n').map(line => `  ${line}`),
		);
	}

	process.stdout.write(lines.join('\n') + '\n');
	if (options.sharedFolder) {
		// A household store shared between computers as well: each one's own files stay local.
		await setupSharedFolder({...options, store});
	}
}

/** The group's id, made with groupadd when there is none. */
function ensureGroup(name: string): number {
	const existing = findGroup(name);
	if (existing !== undefined) {
		return existing.gid;
	}

	const made = spawnSync('groupadd', [name], {encoding: 'utf8'});
	if (made.error !== undefined || made.status !== 0) {
		const why = made.error === undefined ? made.stderr.trim().split('\n')[0] ?? `exit ${made.status}` : 'groupadd is not installed';
		throw new CommandError(`cannot make the group ${name}: ${why}; make it yourself and run this again`);
	}

	const group = findGroup(name);
	if (group === undefined) {
		throw new CommandError(`groupadd made the group ${name}, but it cannot be found`);
	}

	return group.gid;
}

const noFollowFlags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Gives every folder and file in the store to the group, with the
 * household's modes; returns what it left alone (links, FIFOs, hard-linked
 * files). Root does this in a folder housemates can write, so never by
 * path: each entry is opened without following a link, through its folder's
 * own descriptor (/proc/self/fd/N/name, Linux's openat), and changed through
 * its descriptor, so that nothing swapped in meanwhile (a link to
 * /etc/shadow) is ever touched.
 */
async function giveToGroup(store: string, gid: number): Promise<string[]> {
	const skipped: string[] = [];
	const root = await open(store, constants.O_RDONLY | constants.O_DIRECTORY);
	try {
		await fixFolder(root, store, gid, skipped, 0);
	} finally {
		await root.close();
	}

	return skipped;
}

async function fixFolder(folder: FileHandle, shown: string, gid: number, skipped: string[], depth: number): Promise<void> {
	const info = await folder.stat();
	await folder.chown(info.uid, gid);
	await folder.chmod(householdModes.dirMode);
	const via = `/proc/self/fd/${folder.fd}`;
	let names: string[];
	try {
		names = await readdir(via);
	} catch (error) {
		throw new CommandError(`cannot read ${shown} through ${via} (setup --household needs Linux's /proc): ${(error as Error).message}`);
	}

	for (const name of names) {
		const entry = await open(path.join(via, name), noFollowFlags).catch(() => undefined);
		if (entry === undefined) {
			skipped.push(path.join(shown, name));
			continue;
		}

		try {
			const kind = await entry.stat();
			// A store is three folders deep at most; deeper is nothing of ours.
			if (kind.isDirectory() && depth < 4) {
				await fixFolder(entry, path.join(shown, name), gid, skipped, depth + 1);
			} else if (kind.isFile() && kind.nlink === 1) {
				await entry.chown(kind.uid, gid);
				await entry.chmod(householdModes.fileMode);
			} else {
				skipped.push(path.join(shown, name));
			}
		} finally {
			await entry.close();
		}
	}
}

/** Names the store in the system's config, keeping whatever else it says. */
async function writeSystemConfig(file: string, store: string): Promise<void> {
	let config: Record<string, unknown> = {};
	try {
		const json: unknown = JSON.parse(await readFile(file, 'utf8'));
		if (typeof json !== 'object' || json === null || Array.isArray(json)) {
			throw new Error('it must hold a JSON object');
		}

		config = json as Record<string, unknown>;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw new CommandError(`cannot read ${file}: ${(error as Error).message}; fix or remove it and run this again`);
		}
	}

	// Every account reads it: the world may read it (it names a folder, nothing more).
	await writeWhole(file, JSON.stringify({...config, store}, null, '\t') + '\n', 0o644);
}

async function writeWhole(file: string, text: string, mode: number): Promise<void> {
	await mkdir(path.dirname(file), {recursive: true, mode: 0o755});
	const part = `${file}.${process.pid}.part`;
	const handle = await open(part, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, mode);
	try {
		await handle.chmod(mode);
		await handle.writeFile(text);
		await handle.sync();
	} finally {
		await handle.close();
	}

	await rename(part, file);
}
