// The household's settings for this user: a JSON file in the platform's
// config directory, read over the system's (/etc/answerphone/config.json,
// which answerphone setup --household writes for every account). Flags
// override environment variables, which override the user's file, which
// overrides the system's, which overrides the defaults. This file only finds and reads it;
// options.ts checks every value in it, with the same checks as the flags.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import {CommandError} from './commands/context.js';

export const appPaths = envPaths('answerphone', {suffix: ''});

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
	return env['ANSWERPHONE_CONFIG'] ?? path.join(appPaths.config, 'config.json');
}

/** Every account's settings, below each user's own (ANSWERPHONE_SYSTEM_CONFIG names another file, for tests). */
export function systemConfigFile(env: NodeJS.ProcessEnv = process.env): string {
	return env['ANSWERPHONE_SYSTEM_CONFIG'] || '/etc/answerphone/config.json';
}

/**
 * The file's JSON object, its values not yet checked; a missing file is an
 * empty object. A file that cannot be read or is no JSON object is a failure
 * naming the file (exit 1): the file is broken, not a value in it.
 */
export function readConfigFile(file: string): Record<string, unknown> {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {};
		}

		throw new CommandError(`cannot read ${file}: ${(error as Error).message}`);
	}

	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new CommandError(`${file} is not valid JSON: ${(error as Error).message}`);
	}

	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		throw new CommandError(`${file} must hold a JSON object`);
	}

	return json as Record<string, unknown>;
}
