// What the store knows about one message, and the rules for the names and ids
// that end up in file names.
import {randomBytes} from './crypto-on-demand.js';
import {hasInvisible, printable} from '../printable.js';

export const everyone = 'everyone';

/** One change to a message's state: its value, and when it was made (ISO 8601, UTC). */
export type Change<T> = {value: T; at: string};

/**
 * Heard marks by housemate (the nameKey of their name); '*' is a mark for
 * everyone the message was for (see message-state.ts).
 */
export type HeardMarks = Readonly<Record<string, Change<boolean>>>;

/** The metadata file beside each WAV, exactly as it is stored. */
export type MessageMeta = {
	id: string;
	for: string;
	from: string;
	/** ISO 8601, UTC. */
	createdAt: string;
	durationMs: number;
	/**
	 * Heard as the household sees it: by its addressee (for everyone: by
	 * anyone). Written in the file only by older versions; read merged with
	 * the message's state files (message-state.ts).
	 */
	heard: boolean;
	keep: boolean;
	/** True when the message was rescued from a recording whose process died. */
	recovered: boolean;
	/** Set while the message is in the undo bin. */
	erasedAt: string | null;
	/** Peak levels 0–7 of a dozen slices of the message, for the list. */
	waveform: number[];
	/** Who has heard it, merged from every state file; never in the message's own file. */
	heardMarks: HeardMarks;
};

/** The waveform of a message read without one (see Tape.snapshot); shared, so never to be changed. */
export const noWaveform: number[] = Object.freeze([]) as unknown as number[];

/** No heard marks: shared, so never to be changed. */
export const noMarks: HeardMarks = Object.freeze({});

export type Message = MessageMeta & {
	/** Absolute path of the WAV file. */
	file: string;
};

// 20261127-072700-123-k8f3a2: UTC time to the millisecond, then 30 random bits
// so that two machines recording in the same millisecond still differ. Plain
// characters only, because the store may live on SMB or a synced folder.
const idPattern = /^\d{8}-\d{6}-\d{3}-[a-z2-7]{6}$/;
const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

export function newMessageId(now = new Date()): string {
	const iso = now.toISOString(); // 2026-11-27T07:27:00.123Z
	const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}-${iso.slice(20, 23)}`;
	const random = [...randomBytes(6)].map(byte => base32[byte % 32]).join('');
	return `${stamp}-${random}`;
}

export function isMessageId(text: string): boolean {
	return idPattern.test(text);
}

/**
 * Checks a housemate's name. Names are shown on screen and written into
 * metadata, never into paths, but they are still kept to printable text
 * without separators so that a name can never become one. A name read from
 * the store passes the same check as one typed on the command line: whoever
 * can write the folder must not be able to drive a reader's terminal.
 */
export function checkName(raw: string, what = 'name'): string {
	const name = raw.trim();
	if (name.length === 0) {
		throw new Error(`${what} must not be empty`);
	}

	if (hasInvisible(name) || /[/\\:]/.test(name)) {
		throw new Error(`${what} "${printable(name)}" has a path separator, a control or an invisible character`);
	}

	if (name.length > 32) {
		throw new Error(`${what} "${printable(name.slice(0, 32))}…" is longer than 32 characters`);
	}

	if (mixesScripts(name)) {
		throw new Error(`${what} "${name}" mixes alphabets (Latin, Greek, Cyrillic), so it could pass for another name`);
	}

	return name;
}

const scripts = [/\p{Script=Latin}/u, /\p{Script=Greek}/u, /\p{Script=Cyrillic}/u];

/** "ѕam" with a Cyrillic ѕ looks exactly like "sam": one name, one alphabet. */
function mixesScripts(name: string): boolean {
	return scripts.filter(script => script.test(name)).length > 1;
}

/**
 * Two names that a reader could not tell apart have the same key: the same
 * letters in another width or compatibility form (ｓａｍ, ﬁ) or case.
 */
export function nameKey(name: string): string {
	return name.normalize('NFKC').toLowerCase();
}

/**
 * What a name read from the store must be to be shown: what the command line
 * refuses as dangerous on a terminal (controls, invisible characters, mixed
 * alphabets), not the separators it keeps out of names for tidiness.
 */
export function isShowableName(name: string): boolean {
	return name.trim().length > 0 && !hasInvisible(name) && !mixesScripts(name);
}

export function isSafeName(name: string): boolean {
	try {
		return checkName(name) === name;
	} catch {
		return false;
	}
}

/** A metadata file's JSON, checked: the meta, or the reason it is unusable. */
export type ParsedMeta = {ok: true; meta: MessageMeta} | {ok: false; reason: string};

/** Validates parsed JSON from a metadata file. */
export function parseMeta(json: unknown, expectedId: string): ParsedMeta {
	if (typeof json !== 'object' || json === null) {
		return {ok: false, reason: 'metadata is not a JSON object'};
	}

	const meta = json as Record<string, unknown>;
	if (meta['id'] !== expectedId) {
		return {ok: false, reason: 'metadata id does not match its file name'};
	}

	for (const key of ['for', 'from', 'createdAt'] as const) {
		if (typeof meta[key] !== 'string') {
			return {ok: false, reason: `metadata field "${key}" is missing`};
		}
	}

	// A name that could drive a reader's terminal or pass for another is not
	// shown at all, whoever wrote it there.
	for (const key of ['for', 'from'] as const) {
		if (!isShowableName(meta[key] as string)) {
			return {ok: false, reason: `metadata field "${key}" is not a usable name`};
		}
	}

	if (typeof meta['durationMs'] !== 'number' || !Number.isFinite(meta['durationMs']) || meta['durationMs'] < 0) {
		return {ok: false, reason: 'metadata field "durationMs" is not a duration'};
	}

	if (Number.isNaN(Date.parse(meta['createdAt'] as string))) {
		return {ok: false, reason: 'metadata field "createdAt" is not a date'};
	}

	const checked: MessageMeta = {
		id: expectedId,
		for: meta['for'] as string,
		from: meta['from'] as string,
		createdAt: meta['createdAt'] as string,
		durationMs: meta['durationMs'],
		heard: meta['heard'] === true,
		keep: meta['keep'] === true,
		recovered: meta['recovered'] === true,
		erasedAt: typeof meta['erasedAt'] === 'string' ? meta['erasedAt'] : null,
		waveform: Array.isArray(meta['waveform']) ? meta['waveform'].filter((level): level is number => Number.isInteger(level) && level >= 0 && level <= 7).slice(0, 32) : [],
		// An old store's heard: true is heard by everyone it was for.
		heardMarks: meta['heard'] === true ? {'*': {value: true, at: '1970-01-01T00:00:00.000Z'}} : noMarks,
	};
	return {ok: true, meta: checked};
}
