// The store's status files: STORE/status/NAME holds how many messages are new
// for that housemate ("2"), and STORE/status/household for the household, so
// that a shell prompt or a tmux bar costs one `cat`, not a Node start. Beside
// each, NAME.line holds the login line (`answerphone status --login`). Every
// change the store makes rewrites them; a reader trusts them only while they
// are newer than the last change to messages/ (see login-line.ts).
//
// They are this computer's view of the tape, never shared: a synced store
// keeps status/ local (.stignore), and each computer writes its own.
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {printable} from '../printable.js';
import {compareText} from '../time.js';
import {makeDir, type TapeLayout} from './layout.js';
import {everyone, nameKey, type MessageMeta} from './message.js';
import {heardBy, household, type Listener} from './message-state.js';
import {writeWholeFile} from './meta-files.js';

export const householdStatus = 'household';

/**
 * The file name a listener's status goes under. A name is a housemate's
 * (checked like every name), but it may come from the store's own
 * mailboxes.json: only plain lowercase letters, digits, dots, dashes and
 * underscores are used as they are; any other name is spelt in hex, so no
 * name can ever become a path.
 */
export function statusFileName(listener: Listener): string {
	if (listener.kind === 'household') {
		return householdStatus;
	}

	const key = nameKey(listener.name);
	return /^[a-z\d][a-z\d._-]{0,31}$/.test(key) && key !== householdStatus ? key : `x-${Buffer.from(key).toString('hex')}`;
}

/** The listener a status file is for, from its name; undefined for any other file. */
export function listenerOfStatusFile(name: string): Listener | undefined {
	if (name === householdStatus) {
		return household;
	}

	if (/^[a-z\d][a-z\d._-]{0,31}$/.test(name) && !name.endsWith('.line')) {
		return {kind: 'housemate', name};
	}

	const hex = /^x-((?:[\da-f]{2}){1,128})$/.exec(name)?.[1];
	return hex === undefined ? undefined : {kind: 'housemate', name: Buffer.from(hex, 'hex').toString('utf8')};
}

/** What is new for one listener: how many, and from whom, most first. */
export type NewFor = {count: number; from: Array<{name: string; count: number}>};

export function newFor(listener: Listener, metas: readonly MessageMeta[]): NewFor {
	const senders = new Map<string, number>();
	let count = 0;
	for (const meta of metas) {
		if (meta.erasedAt === null && !heardBy(listener, meta)) {
			count++;
			senders.set(meta.from, (senders.get(meta.from) ?? 0) + 1);
		}
	}

	const from = [...senders].map(([name, sent]) => ({name, count: sent})).sort((a, b) => b.count - a.count || compareText(a.name, b.name));
	return {count, from};
}

/** "answerphone: 2 new messages for you (1 from jo, 1 from alex)", or '' when nothing is new. */
export function loginLine(listener: Listener, news: NewFor, show: (name: string) => string): string {
	if (news.count === 0) {
		return '';
	}

	const shown = news.from.slice(0, 3).map(sender => `${sender.count} from ${show(sender.name)}`);
	const more = news.from.length > 3 ? ', …' : '';
	const whose = listener.kind === 'household' ? '' : ' for you';
	return `answerphone: ${news.count} new message${news.count === 1 ? '' : 's'}${whose} (${shown.join(', ')}${more})`;
}

/**
 * The housemates the messages on the tape are for: each has a status file
 * from the first message left for them, so that their prompt counts it
 * before they have ever looked. A household is a few people; a store that
 * names more (anyone can write it) gets files for the first few only.
 */
function addressees(metas: readonly MessageMeta[]): Listener[] {
	const names = new Set<string>();
	for (const meta of metas) {
		if (meta.erasedAt === null && meta.for !== everyone && names.size < 64) {
			names.add(meta.for);
		}
	}

	return [...names].map(name => ({kind: 'housemate', name}));
}

/**
 * Rewrites the status files of every listener that has one, and of those
 * named (the one looking). Every one is written, changed or not: its time
 * says it is newer than the last change to messages/.
 */
export async function writeStatusFiles(layout: TapeLayout, metas: readonly MessageMeta[], named: readonly Listener[]): Promise<void> {
	const folder = path.join(layout.dir, 'status');
	await makeDir(folder, layout);
	// Whoever can write the folder can fill it: a household's worth of files at most.
	const existing = (await readdir(folder).catch(() => [] as string[])).slice(0, mostStatusFiles);
	const listeners = new Map<string, Listener>();
	for (const listener of [household, ...named, ...addressees(metas), ...existing.flatMap(name => listenerOfStatusFile(name) ?? [])]) {
		listeners.set(statusFileName(listener), listener);
	}

	for (const [name, listener] of listeners) {
		const news = newFor(listener, metas);
		const line = loginLine(listener, news, printable);
		// One file that cannot be written (a link planted in its place) never stops the others.
		await writeWholeFile(layout, path.join(folder, name), `${news.count}\n`).catch(() => undefined);
		await writeWholeFile(layout, path.join(folder, `${name}.line`), line === '' ? '' : `${line}\n`).catch(() => undefined);
	}
}

const mostStatusFiles = 256;
