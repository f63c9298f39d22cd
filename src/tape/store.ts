// The tape on disk: the one object every command and screen opens. The layout
// of the folder is described in layout.ts.
import {
	readdirSync} from 'node:fs';
import {
	open, readdir, readFile, rename, stat, unlink,
} from 'node:fs/promises';
import {hostname} from 'node:os';
import path from 'node:path';
import {
	msToPcmBytes, readWavInfo, repairWavHeader} from '../pcm/wav.js';
import {
	isMessageId, newMessageId, type Message, type MessageMeta,
} from './message.js';
import type {TapeSettings} from './settings.js';
import {withLock} from './lock.js';
import {watchTape, type WatchOptions} from './watcher.js';
import {Draft} from './draft.js';
import {Placement, type PlaceOptions} from './placement.js';
import {Scanner, type SnapshotOptions} from './scanner.js';
import {fsyncPath, readMeta, removeDraftFiles, writeMeta} from './meta-files.js';
import {changeMailboxes, readMailboxes, readSettings, updateSettings} from './shared-files.js';
import {ensureLayout, tapeLayout, type TapeLayout, isNotFound} from './layout.js';
import type {ChangedFiles, CommitResult, DraftOwner, TapeSnapshot} from './types.js';

export {judgePoll, type PollState} from './watcher.js';
export {Draft, type DraftFinisher} from './draft.js';
export {TapeFullError} from './placement.js';
export type {ChangedFiles, CommitResult, DraftOwner, StoreProblem, TapeSnapshot} from './types.js';

/** A greeting, like a message, has a limit: a minute is plenty. */
export const greetingLimitMs = 60_000;
/** A greeting shorter than this is a slip of the finger, not a greeting. */
const shortestGreetingMs = 1000;
// A draft whose owner has not written for this long is abandoned even if a
// process with its pid exists (the pid may have been reused, or the owner is
// on another computer sharing the folder).
const abandonedAfterMs = 120_000;

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export class Tape implements TapeLayout {
	readonly dir: string;
	readonly messagesDir: string;
	readonly tmpDir: string;
	readonly settingsFile: string;
	readonly greetingFile: string;
	readonly mailboxesFile: string;
	private readonly scanner: Scanner;
	private readonly placement: Placement;

	/** Opens (and if need be creates) the store at dir and rescues abandoned recordings. */
	static async open(dir: string): Promise<Tape> {
		const tape = new Tape(tapeLayout(path.resolve(dir)));
		await ensureLayout(tape.layout);
		await tape.recoverAbandonedDrafts();
		return tape;
	}

	private constructor(private readonly layout: TapeLayout) {
		({
			dir: this.dir, messagesDir: this.messagesDir, tmpDir: this.tmpDir, settingsFile: this.settingsFile, greetingFile: this.greetingFile, mailboxesFile: this.mailboxesFile,
		} = layout);
		this.scanner = new Scanner(layout);
		this.placement = new Placement(layout, this.scanner);
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
		return this.scanner.snapshot(options);
	}

	async readSettings(): Promise<TapeSettings> {
		return readSettings(this.layout);
	}

	async updateSettings(change: Partial<TapeSettings>): Promise<TapeSettings> {
		return updateSettings(this.layout, change);
	}

	/** The housemates named in this store, in the order they were added. */
	async readMailboxes(): Promise<string[]> {
		return readMailboxes(this.layout);
	}

	async changeMailboxes(change: (names: string[]) => string[]): Promise<string[]> {
		return changeMailboxes(this.layout, change);
	}

	/** The longest recording that could be placed now, freeing everything that may be freed. */
	async roomMs(): Promise<number> {
		return this.placement.roomMs();
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
		const id = newMessageId();
		const file = path.join(this.tmpDir, `greeting-${id}.wav`);
		return Draft.create(id, file, limitMs, {
			place: async () => {
				const {durationMs} = await readWavInfo(file);
				// Nothing said: keep whatever greeting there was.
				if (durationMs < shortestGreetingMs) {
					await unlink(file).catch(() => undefined);
					return {durationMs, saved: false};
				}

				await rename(file, this.greetingFile);
				await fsyncPath(this.dir).catch(() => undefined);
				return {durationMs, saved: true};
			},
			drop: async () => unlink(file).catch(() => undefined),
		});
	}

	/** The household's own greeting, if one was recorded. */
	async customGreeting(): Promise<string | undefined> {
		return stat(this.greetingFile).then(() => this.greetingFile, () => undefined);
	}

	async resetGreeting(): Promise<boolean> {
		return unlink(this.greetingFile).then(() => true, (error: unknown) => {
			if (isNotFound(error)) {
				return false;
			}

			throw error;
		});
	}

	async erase(ids: readonly string[], now = new Date()): Promise<void> {
		await this.changeMessages(ids, meta => (meta.erasedAt === null ? {...meta, erasedAt: now.toISOString(), keep: false} : meta));
	}

	async restore(ids: readonly string[]): Promise<void> {
		await this.changeMessages(ids, meta => ({...meta, erasedAt: null}), {inBin: true});
	}

	async mark(ids: readonly string[], heard: boolean): Promise<void> {
		await this.changeMessages(ids, meta => ({...meta, heard}));
	}

	async keep(ids: readonly string[], keep: boolean): Promise<void> {
		await this.changeMessages(ids, meta => ({...meta, keep}));
	}

	/** Finds a message by its id or by an unambiguous prefix of it (ids are long). */
	async resolveId(idOrPrefix: string, {inBin = false} = {}): Promise<Message> {
		const [message] = await this.resolveIds([idOrPrefix], {inBin});
		return message!;
	}

	/**
	 * Several ids (or unique prefixes) at once. A whole id is looked up by its
	 * own file and a prefix among the folder's names, so erasing one message
	 * of 10,000 reads one file, not all of them.
	 */
	async resolveIds(idsOrPrefixes: readonly string[], {inBin = false} = {}): Promise<Message[]> {
		let names: string[] | undefined;
		const results: Message[] = [];
		for (const wanted of idsOrPrefixes) {
			let candidates = [wanted];
			if (!isMessageId(wanted)) {
				names ??= readdirSync(this.messagesDir);
				candidates = names.filter(name => name.endsWith('.json') && name.startsWith(wanted)).map(name => name.slice(0, -5)).filter(id => isMessageId(id));
			}

			const metas = (await Promise.all(candidates.map(async id => readMeta(this.layout, id))))
				.filter((meta): meta is MessageMeta => meta !== undefined && (inBin || meta.erasedAt === null));
			if (metas.length === 1 && wanted.length > 0) {
				results.push({...metas[0]!, file: path.join(this.messagesDir, `${metas[0]!.id}.wav`)});
				continue;
			}

			throw new Error(metas.length > 1 ? `"${wanted}" matches ${metas.length} messages; give more of the id` : `no message "${wanted}"${inBin ? '' : ' (erased ones can be restored with: answerphone restore ID)'}`);
		}

		return results;
	}

	async withLock<T>(work: () => Promise<T>): Promise<T> {
		return withLock(this.dir, work);
	}

	/** Places a finished draft: called by Draft.commit. */
	async place(owner: DraftOwner, audioFile: string, options: PlaceOptions): Promise<CommitResult> {
		return this.placement.place(owner, audioFile, options);
	}

	/**
	 * Watches for changes by any process; calls onChange at most every 50 ms
	 * with the names of the files in messages/ that changed, or 'all' when that
	 * is not known. Returns a stop function.
	 */
	watch(onChange: (changed: ChangedFiles) => void, options: WatchOptions = {}): () => void {
		return watchTape(this.layout, onChange, options);
	}

	private async changeMessages(ids: readonly string[], change: (meta: MessageMeta) => MessageMeta, {inBin = false} = {}): Promise<void> {
		const resolved = (await this.resolveIds(ids, {inBin})).map(message => message.id);
		await this.withLock(async () => {
			for (const id of resolved) {
				const meta = await readMeta(this.layout, id);
				if (meta === undefined) {
					throw new Error(`message ${id} was overwritten or removed by another process`);
				}

				const next = change(meta);
				if (next !== meta) {
					await writeMeta(this.layout, next);
				}
			}
		});
	}

	async dropDraft(id: string): Promise<void> {
		await removeDraftFiles(this.layout, id);
	}

	/**
	 * Finishes what a dead process left in tmp/: a recording whose owner died
	 * is repaired and placed, marked recovered; a commit cut short between
	 * moving the audio and writing its metadata is completed.
	 */
	private async recoverAbandonedDrafts(): Promise<void> {
		let names: string[];
		try {
			names = await readdir(this.tmpDir);
		} catch {
			return;
		}

		// Metadata copies a crash left half-written (see writeMeta). Writing one
		// takes milliseconds, so a copy this old has no writer left.
		for (const name of names.filter(name => name.endsWith('.part'))) {
			const file = path.join(this.tmpDir, name);
			const info = await stat(file).catch(() => undefined);
			if (info !== undefined && Date.now() - info.mtimeMs > abandonedAfterMs) {
				await unlink(file).catch(() => undefined);
			}
		}

		// Removals a crash cut short (see removeMessageFiles).
		for (const name of names.filter(name => name.endsWith('.evicted') && isMessageId(name.slice(0, -8)))) {
			await unlink(path.join(this.messagesDir, `${name.slice(0, -8)}.wav`)).catch(() => undefined);
			await unlink(path.join(this.tmpDir, name)).catch(() => undefined);
		}

		const owners = names.filter(name => name.endsWith('.json') && isMessageId(name.slice(0, -5)));
		for (const name of owners) {
			const id = name.slice(0, -5);
			let owner: DraftOwner;
			try {
				owner = JSON.parse(await readFile(path.join(this.tmpDir, name), 'utf8')) as DraftOwner;
			} catch {
				continue;
			}

			try {
				await this.recoverDraft(id, name, owner);
			} catch (error) {
				// Another process opening the store at the same moment placed this
				// draft first and its files moved under us: that is its recovery
				// done, and no reason for this open to fail.
				if (!isNotFound(error)) {
					throw error;
				}
			}
		}
	}

	private async recoverDraft(id: string, name: string, owner: DraftOwner): Promise<void> {
		const tmpAudio = path.join(this.tmpDir, `${id}.wav`);
		const placedAudio = path.join(this.messagesDir, `${id}.wav`);
		const audio = await stat(tmpAudio).then(() => tmpAudio, async () => stat(placedAudio).then(() => placedAudio, () => undefined));
		// A helper left running by a killed owner is still writing: its draft is
		// recovered once it too is gone, not placed while it grows.
		const writers = [owner.pid, ...(Array.isArray(owner.helpers) ? owner.helpers : [])];
		const ownerGone = owner.host === hostname() ? !writers.some(pid => processIsAlive(pid)) : false;
		if (audio === undefined) {
			// A live owner writes its note before its audio file exists: only the
			// note of a dead or long-silent owner is litter. Removing a live one
			// would leave its recording unrecoverable should it crash later.
			const noteAgeMs = Date.now() - (await stat(path.join(this.tmpDir, name))).mtimeMs;
			if (ownerGone || noteAgeMs >= abandonedAfterMs) {
				await unlink(path.join(this.tmpDir, name)).catch(() => undefined);
			}

			return;
		}

		const idleMs = Date.now() - (await stat(audio)).mtimeMs;
		if (!ownerGone && idleMs < abandonedAfterMs) {
			return;
		}

		if (audio === tmpAudio) {
			// A SoX left importing after its owner died stops one sample past the
			// limit (see src/audio/import.ts): cut there, as the owner would have.
			const limitBytes = msToPcmBytes((await this.readSettings()).maxMessageMs);
			const handle = await open(tmpAudio, 'r+');
			try {
				await repairWavHeader(handle, limitBytes);
				await handle.sync();
			} finally {
				await handle.close();
			}
		}

		// A message that was already moved into place was complete: only its
		// metadata was missing, so it is not marked as recovered.
		await this.place(owner, audio, {recovered: audio === tmpAudio, force: true}).catch(() => undefined);
	}
}
