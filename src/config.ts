// The household's settings for this user: a JSON file in the platform's
// config directory. Flags override environment variables, which override the
// file, which overrides the defaults.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';

export const appPaths = envPaths('answerphone', {suffix: ''});

export type Config = {
	store?: string;
	/** Who new messages are from; the login name otherwise. */
	from?: string;
	/** Housemates' mailboxes, besides those added with `answerphone mailbox add`. */
	housemates?: string[];
	player?: string;
	recorder?: string;
	device?: string;
	/** Stop recording after this much silence, e.g. "5s"; "0s" never stops on silence. */
	silence?: string;
	/** Below this level (dBFS, e.g. -45) the microphone counts as silent. */
	silenceThreshold?: number;
	/** false: no greeting before the beep, for a household of quick memos. */
	greeting?: boolean;
	/** false: no spoken day-and-time stamp before each message. */
	stamps?: boolean;
	/** "terminal" (the terminal blinks the counter) or "redraw" (for terminals that ignore blinking text). */
	blink?: 'terminal' | 'redraw';
};

const stringKeys = ['store', 'from', 'player', 'recorder', 'device', 'silence'] as const;

export function configFile(): string {
	return process.env['ANSWERPHONE_CONFIG'] ?? path.join(appPaths.config, 'config.json');
}

/** Reads the config file; a missing file is an empty config, a broken one an error naming the file. */
export function loadConfig(file = configFile()): Config {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {};
		}

		throw new Error(`cannot read ${file}: ${(error as Error).message}`);
	}

	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
	}

	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		throw new Error(`${file} must hold a JSON object`);
	}

	const raw = json as Record<string, unknown>;
	const config: Config = {};
	for (const key of stringKeys) {
		const value = raw[key];
		if (value !== undefined) {
			if (typeof value !== 'string') {
				throw new TypeError(`${file}: "${key}" must be a string`);
			}

			config[key] = value;
		}
	}

	const housemates = raw['housemates'];
	if (housemates !== undefined) {
		if (!Array.isArray(housemates) || !housemates.every(name => typeof name === 'string')) {
			throw new TypeError(`${file}: "housemates" must be a list of names`);
		}

		config.housemates = housemates as string[];
	}

	const threshold = raw['silenceThreshold'];
	if (threshold !== undefined) {
		if (typeof threshold !== 'number' || threshold > 0 || threshold < -96) {
			throw new TypeError(`${file}: "silenceThreshold" must be a level in dBFS between -96 and 0, like -45`);
		}

		config.silenceThreshold = threshold;
	}

	for (const key of ['greeting', 'stamps'] as const) {
		const value = raw[key];
		if (value !== undefined) {
			if (typeof value !== 'boolean') {
				throw new TypeError(`${file}: "${key}" must be true or false`);
			}

			config[key] = value;
		}
	}

	const blink = raw['blink'];
	if (blink !== undefined) {
		if (blink !== 'terminal' && blink !== 'redraw') {
			throw new TypeError(`${file}: "blink" must be "terminal" or "redraw"`);
		}

		config.blink = blink;
	}

	const known: readonly string[] = [...stringKeys, 'housemates', 'silenceThreshold', 'greeting', 'stamps', 'blink'];
	for (const key of Object.keys(raw)) {
		if (!known.includes(key)) {
			throw new Error(`${file}: unknown setting "${key}" (known: ${known.join(', ')})`);
		}
	}

	return config;
}
