// The store's two small files every process and every computer sharing the
// folder reads: the capacity settings and the housemates' mailboxes.
import type {TapeLayout} from './layout.js';
import {withLock} from './lock.js';
import {isSafeName} from './message.js';
import {writeWholeFile} from './meta-files.js';
import {readSmallFile} from './safe-files.js';
import {checkSettings, defaultSettings, parseSettings, type TapeSettings} from './settings.js';

export async function readSettings(layout: TapeLayout): Promise<TapeSettings> {
	try {
		return parseSettings(JSON.parse(await readSmallFile(layout.settingsFile)));
	} catch {
		return {...defaultSettings};
	}
}

export async function updateSettings(layout: TapeLayout, change: Partial<TapeSettings>): Promise<TapeSettings> {
	return withLock(layout.dir, async () => {
		const next = checkSettings({...(await readSettings(layout)), ...change});
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
	return withLock(layout.dir, async () => {
		const next = change(await readMailboxes(layout));
		await writeWholeFile(layout, layout.mailboxesFile, JSON.stringify(next) + '\n');
		return next;
	});
}
