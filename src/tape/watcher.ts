// Telling a screen that the tape changed, whichever process or computer
// changed it: file system events where they come, and a poll of the folder's
// times for network filesystems where they never do.
import {watch, type FSWatcher} from 'node:fs';
import {stat} from 'node:fs/promises';
import path from 'node:path';
import type {TapeLayout} from './layout.js';
import type {ChangedFiles} from './types.js';

/** What the store's watcher remembers between two polls. */
export type PollState = {folder: string; others: string; folderAtFullLook: string; changingSince: number | undefined};

/**
 * One poll of the folder's and the settings' times, judged: 'all' when every
 * message must be looked at again (the folder changed and the watcher did not
 * say so, or fullLookEveryMs have passed since it first changed after the last
 * full look), 'settings' when only the settings or mailboxes changed.
 */
export function judgePoll(
	last: PollState | undefined,
	seen: {folder: string; others: string; reported: boolean; now: number},
	fullLookEveryMs: number,
): {state: PollState; report?: 'all' | 'settings'} {
	if (last === undefined) {
		return {state: {folder: seen.folder, others: seen.others, folderAtFullLook: seen.folder, changingSince: undefined}};
	}

	const differs = seen.folder !== last.folderAtFullLook;
	const state = {...last, folder: seen.folder, others: seen.others, changingSince: differs ? last.changingSince ?? seen.now : undefined};
	const unreported = seen.folder !== last.folder && !seen.reported;
	const due = state.changingSince !== undefined && seen.now - state.changingSince >= fullLookEveryMs;
	if (unreported || due) {
		return {state: {...state, folderAtFullLook: seen.folder, changingSince: undefined}, report: 'all'};
	}

	return {state, report: seen.others === last.others ? undefined : 'settings'};
}

export type WatchOptions = {pollMs?: number; fullLookEveryMs?: number};

/**
 * Watches for changes by any process; calls onChange at most every 50 ms
 * with the names of the files in messages/ that changed, or 'all' when that
 * is not known. Returns a stop function.
 */
export function watchTape(layout: TapeLayout, onChange: (changed: ChangedFiles) => void, {pollMs = 1000, fullLookEveryMs = 30_000}: WatchOptions = {}): () => void {
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	let pending: Set<string> | 'all' = new Set();
	let watchSaidSo = false;
	const changed = (ids: ReadonlySet<string> | 'all') => {
		if (stopped) {
			return;
		}

		pending = ids === 'all' || pending === 'all' ? 'all' : new Set([...pending, ...ids]);
		timer ??= setTimeout(() => {
			timer = undefined;
			const report = pending;
			pending = new Set();
			onChange(report);
		}, 50);
	};

	let watcher: FSWatcher | undefined;
	try {
		watcher = watch(layout.messagesDir, (_event, name) => {
			watchSaidSo = true;
			// Without a file name (an overflowing event queue) nothing can be assumed.
			changed(name ? new Set([path.basename(name.toString())]) : 'all');
		});
		watcher.on('error', () => undefined);
	} catch {
		// Polling below still sees every change.
	}

	// Watch events are hints: on NFS and SMB they may never come, so the
	// folder's own change time is checked as well (any add, remove or rename
	// of a message file changes it), with the settings and the mailboxes,
	// which another terminal may change too. A change the watcher did not
	// report means every message must be looked at again.
	// Reported changes are looked at one by one (see snapshot); should the
	// watcher have missed one among them, a full look half a minute (by
	// default) after the folder first changed since the last one finds it.
	let last: PollState | undefined;
	const watched = [layout.messagesDir, layout.settingsFile, layout.mailboxesFile];
	const poll = setInterval(() => {
		const reported = watchSaidSo;
		watchSaidSo = false;
		Promise.all(watched.map(async file => stat(file).then(info => `${info.mtimeMs}:${info.ctimeMs}`, () => '-'))).then(([folder = '', ...others]) => {
			const next = judgePoll(last, {folder, others: others.join('|'), reported, now: Date.now()}, fullLookEveryMs);
			last = next.state;
			if (next.report) {
				changed(next.report === 'all' ? 'all' : new Set());
			}
		}, () => undefined);
	}, pollMs);
	poll.unref();
	return () => {
		stopped = true;
		clearInterval(poll);
		if (timer) {
			clearTimeout(timer);
		}

		watcher?.close();
	};
}
