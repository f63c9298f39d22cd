// The shapes the store's modules share with each other and with its callers.
import type {Message} from './message.js';
import type {TapeSettings} from './settings.js';

export type StoreProblem = {file: string; reason: string};

/** Which files in messages/ may have changed since the last look: their names, or 'all' when that is not known. */
export type ChangedFiles = ReadonlySet<string> | 'all';

export type TapeSnapshot = {
	settings: TapeSettings;
	/** Why settings.json cannot be trusted, when it is damaged: settings then holds the defaults, and nothing can be recorded. */
	settingsDamage?: string;
	/** Live messages, oldest first. */
	messages: Message[];
	/** Housemates named in the store (mailbox add). */
	mailboxes: string[];
	/** The undo bin, most recently erased first. */
	bin: Message[];
	usedMs: number;
	binMs: number;
	/** Files that are not messages, or messages that could not be read: skipped, never deleted. */
	problems: StoreProblem[];
};

export type DraftOwner = {
	id: string;
	for: string;
	from: string;
	createdAt: string;
	pid: number;
	host: string;
	/** This boot of the host, and when the process started (see liveness.ts): a pid alone may be anybody's. Absent in notes from older versions. */
	boot?: string;
	started?: number;
	/** Programs writing the audio for this process (SoX converting an import), which a kill -9 of it leaves running. */
	helpers?: number[];
	/** When each helper started, by pid (missing where that could not be read). */
	helperStarts?: Record<string, number>;
};

export type CommitResult =
	/** cutByFullDisk: the disk filled during the recording, and only what reached it was saved. */
	| {status: 'saved'; message: Message; evicted: string[]; cutAtLimit: boolean; cutToFit: boolean; cutByFullDisk?: boolean}
	| {status: 'too-short'; durationMs: number; minMessageMs: number; cutByFullDisk?: boolean}
	| {status: 'tape-full'; roomMs: number};
