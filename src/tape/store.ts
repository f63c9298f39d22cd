// The tape on disk: the one object every command and screen opens. Each job
// lives in a module of its own, and this class only hands the work on:
//
//   layout.ts        where each file lives, its modes, creating the folders
//   safe-files.ts    reading and writing without following links or opening FIFOs
//   meta-files.ts    one message's metadata, and the store's whole-file writes
//   draft-note.ts    the owner's note beside a recording, checked before use
//   liveness.ts      whether a recording's owner is still alive, on this boot
//   types.ts         the shapes the modules share
//   shared-files.ts  settings.json and mailboxes.json
//   scanner.ts       reading what is on the tape, with the entry cache and the
//                    private index (index-cache.ts)
//   draft.ts         a recording growing in tmp/
//   placement.ts     room on the tape, placing a draft, overwriting (ring.ts)
//   greeting.ts      the household's own greeting
//   mutations.ts     erase, restore, heard, keep
//   message-state.ts heard per housemate, keep, erased: changes that merge
//   state-files.ts   each computer's state file beside a message
//   lock.ts          the store's lock
//   watcher.ts       telling a screen that something changed
//   recovery.ts      what dead processes left in tmp/
//   reserve.ts       room kept back for the lock on a full disk
//   sync-names.ts    a syncing program's files in the store (Syncthing)
//   conflicts.ts     settling Syncthing's conflict copies
//   overflow.ts      a synced tape holding more than its length, trimmed
import path from 'node:path';
import {looksSynced, resolveConflicts, type ConflictAction} from './conflicts.js';
import type {Draft} from './draft.js';
import {beginGreetingDraft, customGreeting, resetGreeting} from './greeting.js';
import {openLayout, type TapeLayout} from './layout.js';
import {withLock} from './lock.js';
import type {Message} from './message.js';
import {household, type Listener} from './message-state.js';
import {computerId, stateFileName} from './state-files.js';
import {writeStatusFiles} from './status-files.js';
import {emptyBin, eraseMessages, keepMessages, markMessages, resolveId, resolveIds, restoreMessages} from './mutations.js';
import {Placement} from './placement.js';
import {trimOverflow} from './overflow.js';
import {recoverAbandonedDrafts, sweepOrphanStates} from './recovery.js';
import {keepReserve} from './reserve.js';
import {Scanner, type SnapshotOptions} from './scanner.js';
import {isConflictCopy} from './sync-names.js';
import {greetingLimitMs, type TapeSettings} from './settings.js';
import {changeMailboxes, readMailboxes, readSettings, updateSettings} from './shared-files.js';
import type {ChangedFiles, TapeSnapshot} from './types.js';
import {watchTape, type WatchOptions} from './watcher.js';

export {judgePoll} from './watcher.js';
export {Draft} from './draft.js';
export {TapeFullError} from './placement.js';
export {StorePathError} from './layout.js';
export {isDiskFull} from './meta-files.js';
export {SettingsDamagedError} from './shared-files.js';
export type {ChangedFiles, CommitResult, DraftOwner, StoreProblem, TapeSnapshot} from './types.js';
export {household, type Listener} from './message-state.js';
export type {ConflictAction} from './conflicts.js';

export class Tape implements TapeLayout {
	readonly dir: string;
	readonly messagesDir: string;
	readonly tmpDir: string;
	readonly settingsFile: string;
	readonly greetingFile: string;
	readonly mailboxesFile: string;
	/** The modes of what the store makes: 0600/0700, or 0660/02770 for a household store. */
	readonly fileMode: number;
	readonly dirMode: number;
	private readonly scanner: Scanner;
	private readonly placement: Placement;

	/**
	 * Opens (and if need be creates) the store at dir and rescues abandoned
	 * recordings. listener: who is looking (heard and new are theirs), the
	 * household as a whole unless said.
	 */
	static async open(dir: string, {listener = household}: {listener?: Listener} = {}): Promise<Tape> {
		const tape = new Tape(await openLayout(path.resolve(dir)), listener);
		await keepReserve(tape.layout);
		await recoverAbandonedDrafts(tape.layout, tape.placement);
		// A store shared through Syncthing: conflict copies are settled at every
		// open; one that cannot be now (a read-only store) waits for the next.
		await tape.resolveConflicts().catch(() => undefined);
		if (await looksSynced(tape.layout)) {
			// What only sharing leaves: state files of a message overwritten
			// elsewhere, and two computers' recordings that together overfill
			// the tape. Best effort too: a read-only store is read as it is.
			await sweepOrphanStates(tape.layout).catch(() => undefined);
			if ((await trimOverflow(tape.layout, tape.scanner).catch(() => [])).length > 0) {
				await tape.refreshStatus();
			}
		}

		return tape;
	}

	private constructor(private readonly layout: TapeLayout, readonly listener: Listener) {
		this.dir = layout.dir;
		this.messagesDir = layout.messagesDir;
		this.tmpDir = layout.tmpDir;
		this.settingsFile = layout.settingsFile;
		this.greetingFile = layout.greetingFile;
		this.mailboxesFile = layout.mailboxesFile;
		this.fileMode = layout.fileMode;
		this.dirMode = layout.dirMode;
		this.scanner = new Scanner(layout);
		this.placement = new Placement(layout, this.scanner, async () => this.refreshStatus());
	}

	/**
	 * Everything on the tape right now. Reads only the small JSON files.
	 * remember: keep what was read, for a screen that rescans on every change;
	 * changed: then only the messages whose files these are (names in
	 * messages/, from watch()) are looked at again, 'all' (the default) checks
	 * every one.
	 * verify: read the files themselves, never the index of them.
	 * waveforms: false leaves every message's waveform empty, for commands
	 * that never draw one; decoding them is a tenth of listing a big store.
	 */
	async snapshot(options: SnapshotOptions = {}): Promise<TapeSnapshot> {
		return this.scanner.snapshot({listener: this.listener, ...options});
	}

	/** Throws SettingsDamagedError when settings.json is damaged (snapshot() still reads, and says so). */
	async readSettings(): Promise<TapeSettings> {
		return readSettings(this.layout);
	}

	/** Throws SettingsDamagedError when settings.json is damaged, unless repair (values not given then go back to the defaults). */
	async updateSettings(change: Partial<TapeSettings>, options: {repair?: boolean} = {}): Promise<TapeSettings> {
		return updateSettings(this.layout, change, options);
	}

	/** The housemates named in this store, in the order they were added. */
	async readMailboxes(): Promise<string[]> {
		return readMailboxes(this.layout);
	}

	async changeMailboxes(change: (names: string[]) => string[]): Promise<string[]> {
		const names = await changeMailboxes(this.layout, change);
		await this.refreshStatus();
		return names;
	}

	/**
	 * Starts a recording in tmp/. Throws TapeFullError when not even the
	 * minimum message length could be made room for.
	 */
	async beginDraft(who: {for?: string; from: string}, now = new Date()): Promise<Draft> {
		return this.placement.beginDraft(who, now);
	}

	/**
	 * Starts recording the household's own greeting. It grows in tmp/ under a
	 * name recovery ignores, and replaces greeting.wav in one rename.
	 */
	async beginGreetingDraft(limitMs = greetingLimitMs): Promise<Draft<{durationMs: number; saved: boolean}>> {
		return beginGreetingDraft(this.layout, limitMs);
	}

	/** The household's own greeting, if one was recorded. */
	async customGreeting(): Promise<string | undefined> {
		return customGreeting(this.layout);
	}

	async resetGreeting(): Promise<boolean> {
		return resetGreeting(this.layout);
	}

	async erase(ids: readonly string[], now = new Date()): Promise<void> {
		await eraseMessages(this.layout, ids, now);
		await this.refreshStatus();
	}

	/** Empties the undo bin for good; returns the messages that were in it. */
	async emptyBin(): Promise<Array<{id: string; durationMs: number}>> {
		return emptyBin(this.layout);
	}

	async restore(ids: readonly string[]): Promise<void> {
		await restoreMessages(this.layout, ids);
		await this.refreshStatus();
	}

	/** Heard or new for this tape's listener (see markMessages). */
	async mark(ids: readonly string[], heard: boolean): Promise<void> {
		await markMessages(this.layout, ids, heard, this.listener);
		await this.refreshStatus();
	}

	async keep(ids: readonly string[], keep: boolean): Promise<void> {
		await keepMessages(this.layout, ids, keep);
	}

	/**
	 * Brings the status files (status-files.ts) up to date: every change that
	 * can change what is new calls it. Best effort: a prompt's count that
	 * could not be written must never fail the change itself.
	 */
	async refreshStatus(): Promise<void> {
		try {
			const {messages} = await this.scanner.snapshot({waveforms: false});
			// Each housemate with a mailbox has a file, even before anything is left for them.
			const mailboxes = await readMailboxes(this.layout);
			await writeStatusFiles(this.layout, messages, [this.listener, ...mailboxes.map(name => ({kind: 'housemate' as const, name}))]);
		} catch {}
	}

	/** Finds a message by its id or by an unambiguous prefix of it (ids are long). */
	async resolveId(idOrPrefix: string, {inBin = false} = {}): Promise<Message> {
		return resolveId(this.layout, idOrPrefix, {inBin});
	}

	/** Several ids (or unique prefixes) at once. */
	async resolveIds(idsOrPrefixes: readonly string[], {inBin = false} = {}): Promise<Message[]> {
		return resolveIds(this.layout, idsOrPrefixes, {inBin});
	}

	/** The names in messages/ that a change of these messages by this process writes: for a look at just those (snapshot's changed). */
	filesChangedBy(ids: readonly string[]): ReadonlySet<string> {
		const writer = computerId();
		return new Set(ids.flatMap(id => [`${id}.json`, stateFileName(id, writer)]));
	}

	/** Settles Syncthing's conflict copies (see conflicts.ts); says what was found and done. */
	async resolveConflicts(): Promise<ConflictAction[]> {
		return resolveConflicts(this.layout);
	}

	async withLock<T>(work: () => Promise<T>): Promise<T> {
		return withLock(this.layout, work);
	}

	/**
	 * Watches for changes by any process; calls onChange at most every 50 ms
	 * with the names of the files in messages/ that changed, or 'all' when that
	 * is not known. Returns a stop function.
	 */
	watch(onChange: (changed: ChangedFiles) => void, options: WatchOptions = {}): () => void {
		// A conflict copy arriving (in messages/, or at the root, where the
		// settings or the mailboxes change with it) is settled while the
		// change is passed on (settling changes files, which the watcher tells
		// of in turn); one settling at a time.
		let settling = Promise.resolve();
		return watchTape(this.layout, changed => {
			if (changed === 'all' || changed.size === 0 || [...changed].some(name => isConflictCopy(name))) {
				settling = settling.then(async () => this.resolveConflicts()).then(() => undefined, () => undefined);
			}

			onChange(changed);
		}, options);
	}
}
