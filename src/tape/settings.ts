// Capacity settings live inside the store, so every process and every
// computer sharing the folder agrees on the size of the tape.
//
// The settings decide what the next recording overwrites, so a value that
// makes no sense is never guessed at: it is refused when written, and a file
// holding one (or not JSON at all) is "damaged", which stops every write that
// could overwrite a message until it is repaired (see shared-files.ts).
import {formatDuration} from '../time.js';

export type TapeSettings = {
	tapeMs: number;
	maxMessageMs: number;
	minMessageMs: number;
};

export const defaultSettings: TapeSettings = {
	tapeMs: 20 * 60_000,
	maxMessageMs: 60_000,
	minMessageMs: 1000,
};

export const lowTapeMs = 3 * 60_000;

/** A greeting, like a message, has a limit: a minute is plenty. */
export const greetingLimitMs = 60_000;

/**
 * The bounds every value is held to. A day of 16 kHz mono audio is 2.7 GB:
 * more tape than that is a typo. The floor is a second rather than a minute
 * because a tape of a few seconds is how the ring's overwriting is tried out
 * (and tested) quickly, and it harms nothing.
 */
export const settingsBounds = {
	shortestTapeMs: 1000,
	longestTapeMs: 24 * 3_600_000,
	shortestMaxMessageMs: 1000,
} as const;

/** Why settings are refused, in the words `answerphone settings` prints; undefined when they are sane. */
export function settingsFault(settings: TapeSettings): string | undefined {
	const {shortestTapeMs, longestTapeMs, shortestMaxMessageMs} = settingsBounds;
	const {tapeMs, maxMessageMs, minMessageMs} = settings;
	for (const [key, value] of Object.entries(settings)) {
		if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
			return `${key} must be a whole number of milliseconds`;
		}
	}

	if (tapeMs < shortestTapeMs || tapeMs > longestTapeMs) {
		return `the tape must be from ${formatDuration(shortestTapeMs)} to ${formatDuration(longestTapeMs)} long, not ${formatDuration(tapeMs)}`;
	}

	if (maxMessageMs < shortestMaxMessageMs) {
		return `the per-message limit must be at least ${formatDuration(shortestMaxMessageMs)}`;
	}

	if (maxMessageMs > tapeMs) {
		return `the tape must be at least as long as the per-message limit (${formatDuration(maxMessageMs)})`;
	}

	if (minMessageMs < 0) {
		return 'the minimum message length must not be negative';
	}

	if (minMessageMs >= maxMessageMs) {
		return `the minimum message length must be shorter than the per-message limit (${formatDuration(maxMessageMs)})`;
	}

	return undefined;
}

export function checkSettings(settings: TapeSettings): TapeSettings {
	const fault = settingsFault(settings);
	if (fault !== undefined) {
		throw new Error(fault);
	}

	return settings;
}

/** What settings.json holds: the settings, or why they cannot be trusted. */
export type SettingsReading = {ok: true; settings: TapeSettings} | {ok: false; reason: string};

/**
 * Reads settings.json's parsed contents. A setting left out takes its
 * default (a hand-written {"tapeMs": 1800000} is fine); one that is there
 * must be a sane number. The reason never quotes the file, which anyone
 * with write access to the folder may have filled with escape codes.
 */
export function parseSettings(json: unknown): SettingsReading {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return {ok: false, reason: 'it is not a JSON object'};
	}

	const stored = json as Record<string, unknown>;
	const settings = {...defaultSettings};
	for (const key of Object.keys(defaultSettings) as Array<keyof TapeSettings>) {
		const value = stored[key];
		if (value === undefined) {
			continue;
		}

		if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
			return {ok: false, reason: `${key} is not a whole number of milliseconds`};
		}

		settings[key] = value;
	}

	const fault = settingsFault(settings);
	return fault === undefined ? {ok: true, settings} : {ok: false, reason: fault};
}
