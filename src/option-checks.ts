// Each option's one check: how a good value reads and what a bad one is told,
// whichever source (flag, environment, config file) gave it. options.ts
// applies them; this file only says what each value must be.
import {household, UsageError, type RecorderProgram} from './commands/context.js';
import {checkName} from './tape/message.js';
import {settingsBounds} from './tape/settings.js';
import {DurationTooLongError, formatDuration, longestDurationMs, parseDuration} from './time.js';
import {blinkModes, type BlinkMode} from './ui/counter/blink-mode.js';

/** The config file's housemates: their names, and which account is whom. */
type Housemates = {names: string[]; byAccount: Record<string, string>};

/** One option's check: how to read a good value, and what to say of a bad one. */
export type Check<T> = {
	/** The refusal's words after the source that gave the bad value (shown as JSON; value as given). */
	refusal: (shown: string, value: unknown) => string;
	/** Reads the value as the config file's JSON holds it; undefined when it is no good. */
	json: (value: unknown) => T | undefined;
	/** Reads the value as a flag or an environment variable spells it, where that differs from the JSON. */
	text?: (text: string) => T | undefined;
};

/** The refused value as the message shows it: quoted, escaped onto one line, and short. */
function shown(value: unknown): string {
	const json = JSON.stringify(value);
	return json.length > 60 ? `${json.slice(0, 59)}…` : json;
}

function refuse(check: Check<unknown>, value: unknown, source: string): never {
	throw new UsageError(source + check.refusal(shown(value), value));
}

/** The usual refusal: `--recorder must be sox, rec or arecord, not "x"`. */
function mustBe(what: string): (shown: string) => string {
	return value => ` must be ${what}, not ${value}`;
}

/** A value from a flag or an environment variable, named by source ("--recorder", "ANSWERPHONE_FROM"). */
export function checkText<T>(check: Check<T>, text: string, source: string): T {
	return (check.text ?? check.json)(text) ?? refuse(check, text, source);
}

/** A value from the config file, named by source (`/path/config.json: "recorder"`). */
export function checkJson<T>(check: Check<T>, value: unknown, source: string): T {
	return check.json(value) ?? refuse(check, value, source);
}

const recorderPrograms: readonly RecorderProgram[] = ['sox', 'rec', 'arecord'];

function nameOf(value: unknown): string | undefined {
	if (typeof value !== 'string') {
		return undefined;
	}

	try {
		return checkName(value);
	} catch {
		return undefined;
	}
}

function within(value: number, lowest: number, highest: number): number | undefined {
	return Number.isFinite(value) && value >= lowest && value <= highest ? value : undefined;
}

function decibels(value: unknown): number | undefined {
	return typeof value === 'number' && value >= -96 && value <= 0 ? value : undefined;
}

/**
 * A duration from shortestMs to a day. Refused in the words scripts have
 * seen since durations were first refused, or, when it reads but is too
 * short or too long, with the range.
 */
function durationWithin(shortestMs: number): Check<number> {
	const read = (value: unknown) => {
		try {
			return typeof value === 'string' ? parseDuration(value) : undefined;
		} catch (error) {
			return error instanceof DurationTooLongError ? Infinity : undefined;
		}
	};

	return {
		refusal: (shown, value) => (read(value) === undefined
			? `: ${shown} is not a duration (write it like 20m, 90s or 1m30s)`
			: ` must be a duration from ${formatDuration(shortestMs)} to ${formatDuration(longestDurationMs)}, not ${shown}`),
		json(value) {
			const ms = read(value);
			return ms !== undefined && ms >= shortestMs && ms <= longestDurationMs ? ms : undefined;
		},
	};
}

export const checks = {
	text: {refusal: mustBe('a string'), json: value => (typeof value === 'string' ? value : undefined)},
	// An empty path would make the current folder the store: chmodded, given
	// messages/ and tmp/, its stale parts swept.
	storePath: {refusal: value => (value === '""' ? ' must be the path of a folder, not ""' : ` must be a string, not ${value}`), json: value => (typeof value === 'string' && value !== '' ? value : undefined)},
	yesNo: {refusal: mustBe('true or false'), json: value => (typeof value === 'boolean' ? value : undefined)},
	recorder: {refusal: mustBe('sox, rec or arecord'), json: value => recorderPrograms.find(program => program === value)},
	name: {refusal: mustBe('a name of up to 32 characters without a path separator or control character'), json: nameOf},
	names: {
		refusal: mustBe('a list of names of up to 32 characters without a path separator or control character'),
		json(value) {
			const names = Array.isArray(value) ? value.map(item => nameOf(item)) : [undefined];
			return names.every(name => name !== undefined) ? names : undefined;
		},
	},
	// A list of names (mailboxes), or accounts mapped to the housemate each one
	// is ({"sam": "Sam", "kitchen": "household"}).
	housemates: {
		refusal: mustBe('a list of names, or an object mapping login names to names (or "household"), each up to 32 characters without a path separator or control character'),
		json(value): Housemates | undefined {
			if (Array.isArray(value)) {
				const names = value.map(item => nameOf(item));
				return names.every(name => name !== undefined) ? {names, byAccount: {}} : undefined;
			}

			if (typeof value !== 'object' || value === null) {
				return undefined;
			}

			const byAccount: Record<string, string> = {};
			for (const [account, name] of Object.entries(value)) {
				const checked = nameOf(name);
				if (checked === undefined || nameOf(account) === undefined) {
					return undefined;
				}

				byAccount[account] = checked;
			}

			return {names: [...new Set(Object.values(byAccount).filter(name => name !== household))], byAccount};
		},
	},
	listener: {
		refusal: mustBe('a housemate\'s name (up to 32 characters, no path separator or control character) or "household"'),
		json: nameOf,
	},
	duration: durationWithin(0),
	// The per-message limit's floor, like the limits' order, is the store's
	// settings check (in the words it has always had): only the ceiling here.
	tape: durationWithin(settingsBounds.shortestTapeMs),
	// Numbers in the config file; text on the command line, where an empty
	// one must not pass for 0.
	level: {
		refusal: mustBe('a level in dBFS between -96 and 0, like -45'),
		json: decibels,
		text: text => (text.trim() === '' ? undefined : decibels(Number(text))),
	},
	// A Unix group's name, as groupadd takes it.
	group: {refusal: mustBe('a group name (lower-case letters, digits, _ and -, up to 32)'), json: value => (typeof value === 'string' && /^[a-z_][a-z\d_-]{0,31}$/.test(value) ? value : undefined)},
	command: {refusal: mustBe('a shell command (a non-empty string)'), json: value => (typeof value === 'string' && value.trim() !== '' ? value : undefined)},
	// Playback: SoX's tempo keeps the voice's pitch from half to twice the speed.
	speed: {
		refusal: mustBe('a speed from 0.5 to 2, like 1.25'),
		json: value => (typeof value === 'number' && value >= 0.5 && value <= 2 ? value : undefined),
		text: text => (/^\s*\d+(?:\.\d+)?\s*$/.test(text) ? within(Number(text), 0.5, 2) : undefined),
	},
	volume: {
		refusal: mustBe('a volume from 0 to 100 (per cent), like 80 or 80%'),
		json: value => (typeof value === 'number' ? within(value, 0, 100) : undefined),
		text: text => (/^\s*\d+(?:\.\d+)?%?\s*$/.test(text) ? within(Number(text.trim().replace(/%$/, '')), 0, 100) : undefined),
	},
	blink: {refusal: mustBe('"redraw", "terminal" or "off"'), json: value => (blinkModes.includes(value as BlinkMode) ? value as BlinkMode : undefined)},
} satisfies Record<string, Check<unknown>>;
