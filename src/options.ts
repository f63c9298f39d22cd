// Flags, the environment and the config file, resolved once into typed,
// checked options. Each option has one check, used for every source it can
// come from, so a bad value gets the same message and exit code 2 whether a
// flag, an environment variable or the config file gave it; only the source
// named at the start differs:
//
//   --recorder must be sox, rec or arecord, not "x"
//   /home/sam/.config/answerphone/config.json: "recorder" must be sox, rec or arecord, not "x"
//   --silence: "soon" is not a duration (write it like 20m, 90s or 1m30s)
//   /home/sam/.config/answerphone/config.json: "silence": "soon" is not a duration (…)
//
// Every value given is checked, whichever command runs and whichever source
// wins, so a mistake shows the day it is made rather than the day it is first
// used. The commands and the screen then receive typed options (each command
// module declares the ones it takes), never raw flag strings.
import {parseArgs} from 'node:util';
import {defaultTakeOptions, type TakeOptions} from './audio/take.js';
import type {EraseOptions, KeepOptions, MarkOptions} from './commands/change.js';
import {UsageError, type AudioOptions, type RecorderProgram, type StoreOptions} from './commands/context.js';
import type {DoctorOptions} from './commands/doctor.js';
import type {GreetingOptions} from './commands/greeting.js';
import type {ListOptions} from './commands/list.js';
import type {MailboxOptions} from './commands/mailbox.js';
import type {PlayOptions} from './commands/play.js';
import type {RecordOptions} from './commands/record.js';
import type {SettingsOptions} from './commands/settings.js';
import type {StatusOptions} from './commands/status.js';
import {everyVerbFlags, machineFlags, verbs} from './commands/verbs.js';
import {appPaths, configFile, readConfigFile} from './config.js';
import {checkName} from './tape/message.js';
import {settingsBounds} from './tape/settings.js';
import {DurationTooLongError, formatDuration, longestDurationMs, parseDuration} from './time.js';
import {blinkModes, type BlinkMode} from './ui/counter/blink-mode.js';

/** Every flag of every command, for node:util's parseArgs. */
export const flagSpec = {
	store: {type: 'string'},
	input: {type: 'string', short: 'i'},
	for: {type: 'string'},
	from: {type: 'string'},
	silence: {type: 'string'},
	'silence-threshold': {type: 'string'},
	quick: {type: 'boolean', short: 'q'},
	recorder: {type: 'string'},
	device: {type: 'string'},
	player: {type: 'string'},
	speed: {type: 'string'},
	volume: {type: 'string'},
	json: {type: 'boolean'},
	new: {type: 'boolean'},
	heard: {type: 'boolean'},
	next: {type: 'boolean'},
	off: {type: 'boolean'},
	bin: {type: 'boolean'},
	tape: {type: 'string'},
	'max-message': {type: 'string'},
	'min-message': {type: 'string'},
	repair: {type: 'boolean'},
	yes: {type: 'boolean', short: 'y'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
} as const;

/** The command line split into flags (as typed, unchecked) and the verb with its arguments. */
export function parseCommandLine(argv: string[]) {
	try {
		const {values, positionals} = parseArgs({args: argv, options: flagSpec, allowPositionals: true, strict: true});
		return {flags: values, positionals};
	} catch (error) {
		// Node's advice about positionals that start with '-' runs on for a
		// whole sentence and would bury the name of the mistyped option.
		const reason = (error as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument .*$/, '');
		throw new UsageError(`${reason} (answerphone --help)`);
	}
}

export type Flags = ReturnType<typeof parseCommandLine>['flags'];

/**
 * Refuses a flag the verb does not take (`list --quick`, `status --input x`):
 * silently ignoring it would let a script believe it did something. An
 * unknown verb is left to the caller, which names it.
 */
export function checkVerbFlags(verb: string | undefined, flags: Flags): void {
	const own = verb === undefined ? machineFlags : verbs[verb]?.flags;
	if (own === undefined) {
		return;
	}

	const taken = [...own, ...everyVerbFlags, 'version'];
	const stray = Object.keys(flags).find(name => flags[name as keyof Flags] !== undefined && !taken.includes(name));
	if (stray !== undefined) {
		const what = verb === undefined ? 'the machine (no command)' : verb;
		throw new UsageError(`--${stray} does not apply to ${what}, which takes ${[...own, 'store'].map(name => `--${name}`).join(', ')} (answerphone --help)`);
	}
}

/** One option's check: how to read a good value, and what to say of a bad one. */
type Check<T> = {
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
function checkText<T>(check: Check<T>, text: string, source: string): T {
	return (check.text ?? check.json)(text) ?? refuse(check, text, source);
}

/** A value from the config file, named by source (`/path/config.json: "recorder"`). */
function checkJson<T>(check: Check<T>, value: unknown, source: string): T {
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

const checks = {
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

/** The config file's settings and the check each one's value must pass. */
const configChecks = {
	store: checks.storePath,
	from: checks.name,
	housemates: checks.names,
	player: checks.text,
	recorder: checks.recorder,
	device: checks.text,
	silence: checks.duration,
	silenceThreshold: checks.level,
	greeting: checks.yesNo,
	stamps: checks.yesNo,
	blink: checks.blink,
} satisfies Record<string, Check<unknown>>;

/** The config file as written (JSON: store, from, housemates, …), every value checked. */
export type Config = {
	store?: string;
	/** Who new messages are from; the login name otherwise. */
	from?: string;
	/** Housemates' mailboxes, besides those added with `answerphone mailbox add`. */
	housemates?: string[];
	player?: string;
	recorder?: RecorderProgram;
	device?: string;
	/** Stop recording after this much silence, e.g. "5s"; "0s" never stops on silence. */
	silence?: string;
	/** Below this level (dBFS, e.g. -45) the microphone counts as silent. */
	silenceThreshold?: number;
	/** false: no greeting before the beep, for a household of quick memos. */
	greeting?: boolean;
	/** false: no spoken day-and-time stamp before each message. */
	stamps?: boolean;
	/** "redraw" (the default: the counter's cells redrawn), "terminal" (the terminal's blinking text) or "off" (steady). */
	blink?: BlinkMode;
};

/**
 * Reads the config file; a missing file is an empty config. A file that
 * cannot be read is exit 1, a bad or unknown setting in it a usage error
 * (exit 2), each one line naming the file.
 */
export function loadConfig(file = configFile()): Config {
	const raw = readConfigFile(file);
	for (const [key, check] of Object.entries(configChecks)) {
		if (raw[key] !== undefined) {
			checkJson<unknown>(check, raw[key], `${file}: "${key}"`);
		}
	}

	const known = Object.keys(configChecks);
	for (const key of Object.keys(raw)) {
		if (!known.includes(key)) {
			throw new UsageError(`${file}: unknown setting "${key}" (known: ${known.join(', ')})`);
		}
	}

	// Each value passed the check of its setting, which accepts only the type Config gives it.
	return raw as Config;
}

/** What the machine on the screen takes. */
export type MachineOptions = StoreOptions & AudioOptions & {
	/** Who new messages are from; the login name when nobody said. */
	from?: string;
	/** Housemates named in the config file, besides those named in the store. */
	housemates: string[];
	take: TakeOptions;
	/** Skip the greeting before the beep. */
	quick: boolean;
	/** Say each message's day and time before it plays. */
	stamps: boolean;
	blink?: BlinkMode;
};

/** Every command's options at once: each command takes its own part. */
export type Options = MachineOptions & RecordOptions & ListOptions & StatusOptions & PlayOptions & MarkOptions & KeepOptions & EraseOptions
	& SettingsOptions & GreetingOptions & MailboxOptions & DoctorOptions & {
		/** NO_COLOR (https://no-color.org): the screen draws without colours. */
		noColor: boolean;
	};

/**
 * Flags win over the environment, which wins over the config file, which wins
 * over the defaults. The flags are checked first (the mistake just typed),
 * then the environment, then the config file.
 */
export function resolveOptions(flags: Flags, env: NodeJS.ProcessEnv = process.env, file = configFile(env)): Options {
	const flag = <T>(check: Check<T>, name: keyof Flags): T | undefined => {
		const text = flags[name];
		return typeof text === 'string' ? checkText(check, text, `--${name}`) : undefined;
	};

	const given = {
		store: flag(checks.storePath, 'store'),
		for: flag(checks.name, 'for'),
		from: flag(checks.name, 'from'),
		recorder: flag(checks.recorder, 'recorder'),
		silenceStopMs: flag(checks.duration, 'silence'),
		silenceThresholdDb: flag(checks.level, 'silence-threshold'),
		tapeMs: flag(checks.tape, 'tape'),
		maxMessageMs: flag(checks.duration, 'max-message'),
		minMessageMs: flag(checks.duration, 'min-message'),
		speed: flag(checks.speed, 'speed'),
		volume: flag(checks.volume, 'volume'),
	};
	const envFrom = env['ANSWERPHONE_FROM'];
	const fromEnv = envFrom === undefined ? undefined : checkText(checks.name, envFrom, 'ANSWERPHONE_FROM');
	const config = loadConfig(file);
	// Checked by loadConfig already; read again for the trimmed names and the duration in ms.
	const inFile = (key: keyof Config) => `${file}: "${key}"`;
	const configFrom = config.from === undefined ? undefined : checkJson(checks.name, config.from, inFile('from'));
	const housemates = config.housemates === undefined ? [] : checkJson(checks.names, config.housemates, inFile('housemates'));
	const configSilenceMs = config.silence === undefined ? undefined : checkJson(checks.duration, config.silence, inFile('silence'));

	return {
		// An empty variable counts as unset, or the store would be the current folder.
		store: given.store ?? (env['ANSWERPHONE_STORE'] || undefined) ?? config.store ?? appPaths.data,
		input: flags.input,
		for: given.for,
		from: given.from ?? fromEnv ?? configFrom,
		housemates,
		player: flags.player ?? config.player,
		recorder: given.recorder ?? config.recorder,
		device: flags.device ?? config.device,
		take: {
			silenceStopMs: given.silenceStopMs ?? configSilenceMs ?? defaultTakeOptions.silenceStopMs,
			silenceThresholdDb: given.silenceThresholdDb ?? config.silenceThreshold ?? defaultTakeOptions.silenceThresholdDb,
		},
		quick: flags.quick ?? config.greeting === false,
		stamps: config.stamps !== false,
		blink: config.blink,
		tapeMs: given.tapeMs,
		maxMessageMs: given.maxMessageMs,
		minMessageMs: given.minMessageMs,
		repair: flags.repair === true,
		yes: flags.yes === true,
		json: flags.json === true,
		new: flags.new === true,
		heard: flags.heard === true,
		next: flags.next === true,
		speed: given.speed,
		volume: given.volume,
		off: flags.off === true,
		bin: flags.bin === true,
		// Only a non-empty NO_COLOR counts, as the convention says.
		noColor: Boolean(env['NO_COLOR']),
	};
}
