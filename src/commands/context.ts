// What every command shares: where the store is, who is speaking, and how a
// command reports failure (one line on stderr, a non-zero exit).
import {userInfo} from 'node:os';
import {appPaths} from '../config.js';
import {Tape} from '../tape/store.js';

/** Flags every command understands; cli.tsx has filled in the config file's values by now. */
export type GlobalFlags = {store?: string; configStore?: string};

/** --store, then ANSWERPHONE_STORE, then the config file, then the platform's data directory (XDG on Linux). */
export function storeDir(flags: GlobalFlags): string {
	// An empty variable counts as unset, or the store would be the current folder.
	return flags.store ?? (process.env['ANSWERPHONE_STORE'] || undefined) ?? flags.configStore ?? appPaths.data;
}

export async function openTape(flags: GlobalFlags): Promise<Tape> {
	const dir = storeDir(flags);
	try {
		return await Tape.open(dir);
	} catch (error) {
		throw new CommandError(`cannot open the store at ${dir}: ${(error as Error).message}`);
	}
}

export function loginName(): string {
	try {
		return userInfo().username || 'someone';
	} catch {
		return process.env['USER'] ?? 'someone';
	}
}

/** A failure the user can act on: printed as one line, exit code 1 (2 for usage). */
export class CommandError extends Error {
	constructor(message: string, readonly exitCode = 1) {
		super(message);
	}
}

export class UsageError extends CommandError {
	constructor(message: string) {
		super(message, 2);
	}
}
