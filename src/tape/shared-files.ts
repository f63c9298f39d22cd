// The store's two small files every process and every computer sharing the
// folder reads: the capacity settings and the housemates' mailboxes.
import {isNotFound, type TapeLayout} from './layout.js';
import {withLock} from './lock.js';
import {isSafeName} from './message.js';
import {writeWholeFile} from './meta-files.js';
import {notRegularReason, readSmallFile, UnsafeFileError} from './safe-files.js';
import {checkSettings, defaultSettings, parseSettings, type SettingsReading, type TapeSettings} from './settings.js';

const notRegular = 'not a regular file';

/**
 * settings.json is damaged: not JSON, a value of the wrong type or out of
 * range, or not a plain file. Guessing (the defaults used to stand in) once
 * shrank a 30-minute tape to 20 and the next import overwrote six messages,
 * so whatever could overwrite a message stops with this until the file is
 * repaired; reading and playing messages go on.
 */
export class SettingsDamagedError extends Error {
	constructor(readonly file: string, readonly reason: string) {
		// "…/settings.json is not a regular file (a link, …)" says it all; other reasons need the word.
		super(`${file} is ${reason.startsWith(notRegular) ? reason : `damaged (${reason})`}: nothing that could overwrite a message is done until it is repaired with answerphone settings --repair --tape DUR, or the file is deleted to go back to the defaults`);
	}
}

/**
 * What settings.json holds; a missing file is the defaults. Never follows a
 * link, never waits on a FIFO someone put in its place, and refuses a huge
 * file before reading it (see safe-files.ts).
 */
export async function readSettingsFile(layout: TapeLayout): Promise<SettingsReading> {
	let text: string;
	try {
		text = await readSmallFile(layout.settingsFile);
	} catch (error) {
		if (isNotFound(error)) {
			return {ok: true, settings: {...defaultSettings}};
		}

		const unsafe = error instanceof UnsafeFileError && error.message === notRegularReason ? notRegular + ' (a link, a folder, a FIFO or a device)' : undefined;
		return {ok: false, reason: unsafe ?? (error instanceof UnsafeFileError ? error.message : `it cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)};
	}

	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return {ok: false, reason: 'it is not valid JSON'};
	}

	return parseSettings(json);
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
	return withLock(layout, async () => {
		const reading = await readSettingsFile(layout);
		if (!reading.ok && !repair) {
			throw new SettingsDamagedError(layout.settingsFile, reading.reason);
		}

		const next = checkSettings({...(reading.ok ? reading.settings : defaultSettings), ...change});
		await writeWholeFile(layout, layout.settingsFile, JSON.stringify(next, null, '\t') + '\n');
		return next;
	});
}

/** The housemates named in this store, in the order they were added. */
export async function readMailboxes(layout: TapeLayout): Promise<string[]> {
	try {
		const names: unknown = JSON.parse(await readSmallFile(layout.mailboxesFile));
		return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string' && isSafeName(name)) : [];
	} catch {
		return [];
	}
}

export async function changeMailboxes(layout: TapeLayout, change: (names: string[]) => string[]): Promise<string[]> {
	return withLock(layout, async () => {
		const next = change(await readMailboxes(layout));
		await writeWholeFile(layout, layout.mailboxesFile, JSON.stringify(next) + '\n');
		return next;
	});
}
