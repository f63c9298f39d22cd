// Reading what is on the tape: every message's small JSON checked against its
// audio, what a screen already read kept between looks, and the private index
// (index-cache.ts) that lets a big store be listed from one file.
import {lstatSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {headerSize, msToPcmBytes} from '../pcm/wav.js';
import {compareText} from '../time.js';
import {storeProblems} from './draft-note.js';
import {folderSignature, readIndex, writeIndex} from './index-cache.js';
import {isNotFound, messageOfFile, type TapeLayout} from './layout.js';
import {isMessageId, noWaveform, parseMeta, type Message, type MessageMeta} from './message.js';
import {heardBy, household, type Listener} from './message-state.js';
import {tapeUse, toRingEntry} from './ring.js';
import {mergeStateFiles, parseStateFileName, withEmbeddedState} from './state-files.js';
import {notRegularReason, readSmallFileSync, UnsafeFileError} from './safe-files.js';
import {defaultSettings} from './settings.js';
import {readMailboxes, readSettingsFile} from './shared-files.js';
import {isConflictCopy, isSyncthingFile} from './sync-names.js';
import type {ChangedFiles, StoreProblem, TapeSnapshot} from './types.js';

/**
 * Why one message cannot be listed: 'audio' is reported against its WAV,
 * 'metadata' and 'unreadable' against its JSON.
 */
type MessageProblem = {kind: 'audio' | 'metadata' | 'unreadable'; reason: string};

/** One message's metadata as read from disk (merged with its state files, whose damage is told), or why it is unusable. */
type MetaReading = {ok: true; meta: MessageMeta; stateProblems?: StoreProblem[]} | {ok: false; problem: MessageProblem};

/**
 * What one message's files (or one foreign file) amount to. states: the names
 * of its state files; arriving: half of it is here and the other half is
 * awaited (see arrivalGraceMs).
 */
type MessageFindings = {meta?: MessageMeta; problems: StoreProblem[]; states?: readonly string[]; arriving?: boolean};

/** A message's files in messages/: its own two, and the state files of each computer that changed it. */
type MessageFiles = {json: boolean; wav: boolean; states: string[]};
/**
 * How long half a message (its metadata without its audio, or the audio
 * without the metadata) is waited for before it is reported. A folder synced
 * between computers (Syncthing) brings a message's two files in either
 * order, seconds apart, or minutes apart on a slow link; a crash that leaves
 * half a message is rare, and is reported once this has passed.
 */
export const arrivalGraceMs = 120_000;

/** Names in messages/ that belong to the syncing program, not to the store: never a message, never a problem. */
const isSyncName = (name: string) => isSyncthingFile(name) || isConflictCopy(name);

/** Findings keyed by message id, or by the name of a file that is not one of a message's two. */
function findingsByKey(metas: readonly MessageMeta[], problems: readonly StoreProblem[]): Map<string, MessageFindings> {
	const findings = new Map<string, MessageFindings>();
	for (const meta of metas) {
		findings.set(meta.id, {meta, problems: []});
	}

	for (const problem of problems) {
		const name = path.basename(problem.file);
		const key = messageOfFile(name) ?? name;
		const found = findings.get(key) ?? {problems: []};
		findings.set(key, {...found, problems: [...found.problems, problem]});
	}

	return findings;
}

/** See Tape.snapshot. */
export type SnapshotOptions = {remember?: boolean; verify?: boolean; changed?: ChangedFiles; waveforms?: boolean; listener?: Listener; now?: number};

const byCreation = (a: MessageMeta, b: MessageMeta) => compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id);

export class Scanner {
	private readonly entryCache = new Map<string, {key: string; entry: MetaReading}>();
	/**
	 * With remember, what the last snapshot found, by message id (or, for a
	 * foreign file, its name): told which messages' files changed, the next
	 * one looks at just those instead of listing the folder.
	 */
	private lastLook: Map<string, MessageFindings> | undefined;

	constructor(private readonly layout: TapeLayout) {}

	/** Everything on the tape right now (see Tape.snapshot for the options). */
	async snapshot({remember = false, verify = false, changed: told = 'all', waveforms = true, listener = household, now = Date.now()}: SnapshotOptions = {}): Promise<TapeSnapshot> {
		// A file Syncthing is still writing changes nothing yet: it is renamed
		// into place when whole, and that name is told then.
		const changed = told === 'all' ? told : new Set([...told].filter(name => !isSyncName(name)));
		const [reading, mailboxes, elsewhere] = await Promise.all([readSettingsFile(this.layout), readMailboxes(this.layout), storeProblems(this.layout)]);
		// Damaged settings stop recording (see SettingsDamagedError), not reading:
		// the gauge shows the defaults meanwhile, and the damage is told.
		const settings = reading.ok ? reading.settings : {...defaultSettings};
		const folder = folderSignature(this.layout.messagesDir);
		// Told of changes to messages' own files only, the last look is
		// brought up to date without listing the folder; any other file (a
		// stranger's, an editor's backup) means a full look.
		const incremental = remember && !verify && changed !== 'all' && this.lastLook !== undefined
			&& [...changed].every(name => messageOfFile(name) !== undefined);
		const indexed = verify || incremental ? undefined : readIndex(this.layout.messagesDir, folder.signature, {waveforms: waveforms || remember});
		if (indexed && remember) {
			// Trusted until watch() says a message changed; the key is unknown, so
			// a full check ('all') still looks at each file once.
			for (const meta of indexed.metas) {
				this.entryCache.set(meta.id, {key: '', entry: {ok: true, meta}});
			}
		}

		const {metas, problems, arriving = false}: {metas: MessageMeta[]; problems: StoreProblem[]; arriving?: boolean} = indexed
			?? (incremental ? this.lookAgainAt(this.lastLook!, changed as ReadonlySet<string>, now) : this.scanMessages(remember, changed, now));
		// Only a real listing of the folder goes into the index, which other
		// processes trust for as long as the folder is unchanged; not while half
		// a message is awaited, which is reported once its time is up even if
		// nothing else changes.
		if (!indexed && !verify && !incremental && !arriving) {
			writeIndex(this.layout.messagesDir, folder, {metas, problems}, metas.length * 2 + problems.length);
		}

		if (remember) {
			this.lastLook = findingsByKey(metas, problems);
		}

		metas.sort(byCreation);
		// Plain concatenation: path.join normalises every time, which shows up
		// when listing 10,000 messages; messagesDir is already absolute and clean.
		const prefix = this.layout.messagesDir + path.sep;
		const messages: Message[] = [];
		const bin: Message[] = [];
		for (const meta of metas) {
			// Field by field: a spread copy was a tenth of listing 10,000 messages.
			const message: Message = {
				id: meta.id,
				for: meta.for,
				from: meta.from,
				createdAt: meta.createdAt,
				durationMs: meta.durationMs,
				// As this listener sees it; meta.heard is the household's (the ring's).
				heard: listener.kind === 'household' ? meta.heard : heardBy(listener, meta),
				keep: meta.keep,
				recovered: meta.recovered,
				erasedAt: meta.erasedAt,
				waveform: waveforms ? meta.waveform : noWaveform,
				heardMarks: meta.heardMarks,
				file: prefix + meta.id + '.wav',
			};
			(meta.erasedAt === null ? messages : bin).push(message);
		}

		bin.sort((a, b) => compareText(b.erasedAt ?? '', a.erasedAt ?? ''));
		const {usedMs, binMs} = tapeUse(metas.map(meta => toRingEntry(meta)));
		// What is wrong in tmp/ and at the root is looked at afresh every
		// time: never indexed, never remembered as a message's findings.
		const allProblems = [...problems, ...elsewhere].sort((a, b) => compareText(a.file, b.file));
		return {settings, ...(reading.ok ? {} : {settingsDamage: reading.reason}), messages, mailboxes, bin, usedMs, binMs, problems: allProblems};
	}

	/** Reads every message's metadata (or, with remember, what changed since last time). */
	private scanMessages(remember: boolean, changed: ChangedFiles, now: number): {metas: MessageMeta[]; problems: StoreProblem[]; arriving: boolean} {
		const changedMessages = changed === 'all' ? 'all' : new Set([...changed].map(name => messageOfFile(name)));
		// Synchronous on purpose: for thousands of small files, plain syscalls in
		// a loop are many times faster than as many promises (measured: 10,000
		// messages listed in about a tenth of the time).
		const names = readdirSync(this.layout.messagesDir);
		const problems: StoreProblem[] = [];
		const metas: MessageMeta[] = [];
		let arriving = false;
		const files = new Map<string, MessageFiles>();
		for (const name of names) {
			const state = parseStateFileName(name);
			if (state !== undefined) {
				const has = files.get(state.id) ?? {json: false, wav: false, states: []};
				has.states.push(name);
				files.set(state.id, has);
				continue;
			}

			const ext = path.extname(name);
			const id = name.slice(0, -ext.length);
			if (!isMessageId(id) || (ext !== '.json' && ext !== '.wav')) {
				if (!name.startsWith('.') && !isSyncName(name)) {
					problems.push({file: path.join(this.layout.messagesDir, name), reason: 'not a message file'});
				}

				continue;
			}

			const has = files.get(id) ?? {json: false, wav: false, states: []};
			has[ext === '.json' ? 'json' : 'wav'] = true;
			files.set(id, has);
		}

		let placing: Set<string> | undefined;
		// A message being placed has its audio in messages/ a moment before its
		// metadata, while its note is still in tmp/ (and a crash there is
		// finished by the next open): that is not a problem.
		const beingPlaced = (id: string) => {
			placing ??= new Set(safeReaddir(this.layout.tmpDir));
			return placing.has(`${id}.json`);
		};

		for (const [id, has] of files) {
			// Told exactly what changed, the rest is taken as it was: with 10,000
			// messages this is the difference between a screen that answers keys
			// at once after an erase and one that stats every file first.
			const reuse = remember && changedMessages !== 'all' && !changedMessages.has(id);
			const found = this.lookAt(id, has, beingPlaced, {reuse, remember, now});
			if (found.meta) {
				metas.push(found.meta);
			}

			arriving ||= found.arriving === true;
			problems.push(...found.problems);
		}

		for (const id of this.entryCache.keys()) {
			if (!files.get(id)?.json || !files.get(id)?.wav) {
				this.entryCache.delete(id);
			}
		}

		return {metas, problems, arriving};
	}

	/** The last look, with the messages whose files changed looked at again: no listing of the folder. */
	private lookAgainAt(last: ReadonlyMap<string, MessageFindings>, changed: ReadonlySet<string>, now: number): {metas: MessageMeta[]; problems: StoreProblem[]} {
		const findings = new Map(last);
		const exists = (file: string) => {
			try {
				statSync(file);
				return true;
			} catch {
				return false;
			}
		};

		for (const id of new Set([...changed].map(name => messageOfFile(name)!))) {
			// Its state files: those known from the last look and those just told of, if they are still there.
			const states = [...new Set([...findings.get(id)?.states ?? [], ...[...changed].filter(name => parseStateFileName(name)?.id === id)])]
				.filter(name => exists(this.layout.messagesDir + path.sep + name));
			const has = {json: exists(this.layout.messagesDir + path.sep + id + '.json'), wav: exists(this.layout.messagesDir + path.sep + id + '.wav'), states};
			if (!has.json || !has.wav) {
				this.entryCache.delete(id);
			}

			findings.set(id, this.lookAt(id, has, () => exists(path.join(this.layout.tmpDir, `${id}.json`)), {reuse: false, remember: true, now}));
		}

		const metas: MessageMeta[] = [];
		const problems: StoreProblem[] = [];
		for (const found of findings.values()) {
			if (found.meta) {
				metas.push(found.meta);
			}

			problems.push(...found.problems);
		}

		return {metas, problems};
	}

	/** What one message's files amount to: its metadata, or the problems with them, or nothing if it has gone. */
	private lookAt(id: string, has: MessageFiles, beingPlaced: (id: string) => boolean, {reuse, remember, now}: {reuse: boolean; remember: boolean; now: number}): MessageFindings {
		// Plain concatenation: path.join normalises every time, which shows up
		// on 10,000 messages; messagesDir is already absolute and clean.
		const file = this.layout.messagesDir + path.sep + id + '.json';
		const audioFile = this.layout.messagesDir + path.sep + id + '.wav';
		const states = has.states;
		if (!has.json) {
			// A message's state without the message: its changes arrived before it (a
			// synced folder), or outlived it; either way nothing to show yet.
			if (!has.wav || beingPlaced(id)) {
				return {problems: [], states};
			}

			return arrivedLately(audioFile, now) ? {problems: [], arriving: true, states} : {problems: [{file: audioFile, reason: 'audio without metadata'}], states};
		}

		if (!has.wav) {
			return arrivedLately(file, now) ? {problems: [], arriving: true, states} : {problems: [{file, reason: 'metadata without audio'}], states};
		}

		const entry = (reuse ? this.entryCache.get(id)?.entry : undefined) ?? this.readEntry(file, audioFile, id, states, remember);
		if (entry === undefined) {
			// Erased by another process between the listing and the read: not a problem.
			return {problems: [], states};
		}

		return entry.ok
			? {meta: entry.meta, problems: entry.stateProblems ?? [], states}
			: {problems: [{file: entry.problem.kind === 'audio' ? audioFile : file, reason: entry.problem.reason}], states};
	}

	/**
	 * One message's metadata, checked against its audio: the meta, the reason
	 * it is unusable, or undefined if it has just gone. With remember (for a
	 * screen that rescans on every change) it is kept until either file
	 * changes, since a rewrite by rename brings a new inode; a one-shot
	 * command saves the extra stat.
	 */
	private readEntry(file: string, audioFile: string, id: string, states: readonly string[], remember: boolean): MetaReading | undefined {
		let audioSize: number;
		let key = '';
		try {
			// Never through a link: a message's files are its own, or it is none.
			const audio = lstatSync(audioFile);
			if (!audio.isFile()) {
				return {ok: false, problem: {kind: 'audio', reason: notRegularReason}};
			}

			audioSize = audio.size;
			if (remember) {
				const meta = lstatSync(file);
				key = `${meta.ino}:${meta.mtimeMs}:${meta.size}:${audio.ino}:${audio.size}`;
				for (const name of states) {
					const state = lstatSync(this.layout.messagesDir + path.sep + name);
					key += `:${name}:${state.ino}:${state.mtimeMs}:${state.size}`;
				}
				const cached = this.entryCache.get(id);
				if (cached?.key === key) {
					return cached.entry;
				}
			}
		} catch (error) {
			return isNotFound(error) ? undefined : unreadable(error);
		}

		let entry: MetaReading;
		try {
			// Refused unread if it is a link, a FIFO (which would block the read for
			// good) or too big to be metadata (a 200 MB one took 1 GB to parse).
			const json: unknown = JSON.parse(readSmallFileSync(file));
			const parsed = parseMeta(json, id);
			// A cut-off copy (a sync, a full disk) must be skipped, not listed,
			// counted or played as if whole. Only the size is compared, which
			// costs one stat; reading every header is left to the doctor.
			if (!parsed.ok) {
				entry = {ok: false, problem: {kind: 'metadata', reason: parsed.reason}};
			} else if (audioSize < headerSize + msToPcmBytes(parsed.meta.durationMs)) {
				entry = {ok: false, problem: {kind: 'audio', reason: 'audio is shorter than its metadata says (truncated)'}};
			} else {
				const merged = mergeStateFiles(this.layout, withEmbeddedState(parsed.meta, json), states);
				entry = {ok: true, meta: merged.meta, ...(merged.problems.length > 0 ? {stateProblems: merged.problems} : {})};
			}
		} catch (error) {
			if (isNotFound(error)) {
				return undefined;
			}

			entry = error instanceof SyntaxError ? {ok: false, problem: {kind: 'metadata', reason: 'metadata is not valid JSON'}}
				: error instanceof UnsafeFileError ? {ok: false, problem: {kind: 'metadata', reason: error.message}}
					: unreadable(error);
		}

		if (remember) {
			this.entryCache.set(id, {key, entry});
		}

		return entry;
	}

	/**
	 * Every message's metadata, live and in the bin, heard as the household
	 * sees it: the ring decides from this, the same on every computer
	 * whoever is looking there.
	 */
	async allMetas(): Promise<MessageMeta[]> {
		const snapshot = await this.snapshot({listener: household});
		return [...snapshot.messages, ...snapshot.bin];
	}
}

/**
 * Whether half a message came so lately that its other half may still be on
 * its way. By the later of the file's two times: Syncthing gives a file the
 * time it was last changed on the computer it came from (an hour ago, for a
 * computer that was offline), while its change time here is when it landed.
 */
function arrivedLately(file: string, now: number): boolean {
	try {
		const info = lstatSync(file);
		return now - Math.max(info.mtimeMs, info.ctimeMs) < arrivalGraceMs;
	} catch {
		// Gone since the listing: nothing to report either way.
		return true;
	}
}

function unreadable(error: unknown): MetaReading {
	return {ok: false, problem: {kind: 'unreadable', reason: `unreadable (${(error as Error).message})`}};
}

function safeReaddir(dir: string): string[] {
	try {
		return readdirSync(dir);
	} catch {
		return [];
	}
}
