// The store's two small files every process and every computer sharing the
// folder reads: the capacity settings and the housemates' mailboxes.
import {constants as fsConstants} from 'node:fs';
import {open, readFile} from 'node:fs/promises';
import {fileMode, isNotFound, type TapeLayout} from './layout.js';
import {withLock} from './lock.js';
import {isSafeName} from './message.js';
import {writeFileAtomic} from './meta-files.js';
import {checkSettings, defaultSettings, parseSettings, type SettingsReading, type TapeSettings} from './settings.js';

/**
 * settings.json is damaged: not JSON, a value of the wrong type or out of
 * range, or not a plain file. Guessing (the defaults used to stand in) once
 * shrank a 30-minute tape to 20 and the next import overwrote six messages,
 * so whatever could overwrite a message stops with this until the file is
 * repaired; reading and playing messages go on.
 */
export class SettingsDamagedError extends Error {
	constructor(readonly file: string, readonly reason: string) {
		super(`${file} is damaged (${reason}): nothing that could overwrite a message is done until it is repaired with answerphone settings --repair --tape DUR, or the file is deleted to go back to the defaults`);
	}
}

/** Bigger than any settings file this program writes, by far: refused before it is read. */
const largestSettingsFile = 64 * 1024;

/**
 * What settings.json holds; a missing file is the defaults. Never follows a
 * link and never waits on a FIFO someone put in its place.
 */
export async function readSettingsFile(layout: TapeLayout): Promise<SettingsReading> {
	let handle;
	try {
		handle = await open(layout.settingsFile, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
	} catch (error) {
		if (isNotFound(error)) {
			return {ok: true, settings: {...defaultSettings}};
		}

		const {code} = error as NodeJS.ErrnoException;
		return {ok: false, reason: code === 'ELOOP' ? 'it is a link, not a file' : `it cannot be read: ${code ?? (error as Error).message}`};
	}

	try {
		const info = await handle.stat();
		if (!info.isFile()) {
			return {ok: false, reason: 'it is not a plain file'};
		}

		if (info.size > largestSettingsFile) {
			return {ok: false, reason: `it is ${info.size} bytes, far too big for settings`};
		}

		let json: unknown;
		try {
			json = JSON.parse(await handle.readFile('utf8'));
		} catch {
			return {ok: false, reason: 'it is not valid JSON'};
		}

		return parseSettings(json);
	} finally {
		await handle.close();
	}
}

/** The settings to act on. Throws SettingsDamagedError when settings.json is damaged. */
export async function readSettings(layout: TapeLayout): Promise<TapeSettings> {
	const reading = await readSettingsFile(layout);
	if (!reading.ok) {
		throw new SettingsDamagedError(layout.settingsFile, reading.reason);
	}

	return reading.settings;
}

/**
 * Changes some settings, checked together with the rest. A damaged file is
 * refused unless repair: then the values not given go back to the defaults,
 * since what the damaged file held cannot be told.
 */
export async function updateSettings(layout: TapeLayout, change: Partial<TapeSettings>, {repair = false} = {}): Promise<TapeSettings> {
	return withLock(layout.dir, async () => {
		const reading = await readSettingsFile(layout);
		if (!reading.ok && !repair) {
			throw new SettingsDamagedError(layout.settingsFile, reading.reason);
		}

		const next = checkSettings({...(reading.ok ? reading.settings : defaultSettings), ...change});
		await writeFileAtomic(layout.settingsFile, JSON.stringify(next, null, '\t') + '\n', {mode: fileMode, fsync: true});
		return next;
	});
}

/** The housemates named in this store, in the order they were added. */
export async function readMailboxes(layout: TapeLayout): Promise<string[]> {
	try {
		const names: unknown = JSON.parse(await readFile(layout.mailboxesFile, 'utf8'));
		return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string' && isSafeName(name)) : [];
	} catch {
		return [];
	}
}

export async function changeMailboxes(layout: TapeLayout, change: (names: string[]) => string[]): Promise<string[]> {
	return withLock(layout.dir, async () => {
		const next = change(await readMailboxes(layout));
		await writeFileAtomic(layout.mailboxesFile, JSON.stringify(next) + '\n', {mode: fileMode, fsync: true});
		return next;
	});
}
