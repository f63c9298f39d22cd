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
import type {SetupOptions} from './commands/setup.js';
import type {StatusOptions} from './commands/status.js';
import {everyVerbFlags, machineFlags, verbs} from './commands/verbs.js';
import {appPaths, configFile, readConfigFile, systemConfigFile} from './config.js';
import {checkJson, checks, checkText, type Check} from './option-checks.js';
import type {BlinkMode} from './ui/counter/blink-mode.js';

/** Every flag of every command, for node:util's parseArgs. */
export const flagSpec = {
	store: {type: 'string'},
	as: {type: 'string'},
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
	login: {type: 'boolean'},
	new: {type: 'boolean'},
	heard: {type: 'boolean'},
	next: {type: 'boolean'},
	off: {type: 'boolean'},
	bin: {type: 'boolean'},
	tape: {type: 'string'},
	'max-message': {type: 'string'},
	'min-message': {type: 'string'},
	repair: {type: 'boolean'},
	household: {type: 'boolean'},
	group: {type: 'string'},
	'login-hook': {type: 'boolean'},
	'shared-folder': {type: 'boolean'},
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

/** The config file's settings and the check each one's value must pass. */
const configChecks = {
	store: checks.storePath,
	from: checks.name,
	housemates: checks.housemates,
	player: checks.text,
	recorder: checks.recorder,
	device: checks.text,
	silence: checks.duration,
	silenceThreshold: checks.level,
	greeting: checks.yesNo,
	stamps: checks.yesNo,
	blink: checks.blink,
	onNewMessage: checks.command,
} satisfies Record<string, Check<unknown>>;

/** The config file as written (JSON: store, from, housemates, …), every value checked. */
export type Config = {
	store?: string;
	/** Who new messages are from; the login name otherwise. */
	from?: string;
	/**
	 * Housemates' mailboxes, besides those added with `answerphone mailbox
	 * add`; or login names mapped to the housemate each account is.
	 */
	housemates?: string[] | Record<string, string>;
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
	/** A shell command run once per new message, with ANSWERPHONE_ID, _FOR, _FROM, _FILE and _DURATION in its environment. */
	onNewMessage?: string;
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
	/** The config's onNewMessage command: run once per message saved. */
	onNewMessage?: string;
};

/** Every command's options at once: each command takes its own part. */
export type Options = MachineOptions & RecordOptions & ListOptions & StatusOptions & PlayOptions & MarkOptions & KeepOptions & EraseOptions
	& SettingsOptions & GreetingOptions & MailboxOptions & DoctorOptions & SetupOptions & {
		/** NO_COLOR (https://no-color.org): the screen draws without colours. */
		noColor: boolean;
	};

/**
 * Flags win over the environment, which wins over the config file, which wins
 * over the defaults. The flags are checked first (the mistake just typed),
 * then the environment, then the config file.
 */
export function resolveOptions(flags: Flags, env: NodeJS.ProcessEnv = process.env, file = configFile(env), systemFile = systemConfigFile(env)): Options {
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
		group: flag(checks.group, 'group'),
		speed: flag(checks.speed, 'speed'),
		volume: flag(checks.volume, 'volume'),
	};
	const envFrom = env['ANSWERPHONE_FROM'];
	const fromEnv = envFrom === undefined ? undefined : checkText(checks.name, envFrom, 'ANSWERPHONE_FROM');
	// The user's own settings win over the system's, one setting at a time.
	const config = {...loadConfig(systemFile), ...loadConfig(file)};
	// Checked by loadConfig already; read again for the trimmed names and the duration in ms.
	const inFile = (key: keyof Config) => `${file}: "${key}"`;
	const configFrom = config.from === undefined ? undefined : checkJson(checks.name, config.from, inFile('from'));
	const housemates = config.housemates === undefined ? {names: [], byAccount: {}} : checkJson(checks.housemates, config.housemates, inFile('housemates'));
	const envAs = env['ANSWERPHONE_AS'] || undefined;
	const configSilenceMs = config.silence === undefined ? undefined : checkJson(checks.duration, config.silence, inFile('silence'));

	return {
		// An empty variable counts as unset, or the store would be the current folder.
		store: given.store ?? (env['ANSWERPHONE_STORE'] || undefined) ?? config.store ?? appPaths.data,
		input: flags.input,
		for: given.for,
		from: given.from ?? fromEnv ?? configFrom,
		as: flag(checks.listener, 'as') ?? (envAs === undefined ? undefined : checkText(checks.listener, envAs, 'ANSWERPHONE_AS')),
		housemateOf: housemates.byAccount,
		housemates: housemates.names,
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
		onNewMessage: config.onNewMessage,
		household: flags.household === true,
		group: given.group,
		loginHook: flags['login-hook'] === true,
		storeFlag: given.store,
		systemConfig: systemFile,
		loginHookFile: env['ANSWERPHONE_LOGIN_HOOK'] || '/etc/profile.d/answerphone.sh',
		tapeMs: given.tapeMs,
		maxMessageMs: given.maxMessageMs,
		minMessageMs: given.minMessageMs,
		repair: flags.repair === true,
		yes: flags.yes === true,
		json: flags.json === true,
		login: flags.login === true,
		new: flags.new === true,
		heard: flags.heard === true,
		next: flags.next === true,
		speed: given.speed,
		volume: given.volume,
		off: flags.off === true,
		bin: flags.bin === true,
		sharedFolder: flags['shared-folder'] === true,
		// Only a non-empty NO_COLOR counts, as the convention says.
		noColor: noColorWanted(env),
	};
}

/** https://no-color.org: any value but the empty string. */
export function noColorWanted(env: NodeJS.ProcessEnv = process.env): boolean {
	return Boolean(env['NO_COLOR']);
}
