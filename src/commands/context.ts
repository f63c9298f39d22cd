// What every command shares: where the store is, who is speaking, and how a
// command reports failure (one line on stderr, a non-zero exit). The options
// themselves are resolved and checked by options.ts, above the commands,
// which hands each command its own typed options.
import {userInfo} from 'node:os';
import type {MicrophoneOptions} from '../audio/microphone.js';
import {StorePathError, Tape} from '../tape/store.js';
import {accessAdvice} from './store-access.js';

/** The store's directory: --store, then ANSWERPHONE_STORE, then the config file, then the platform's data directory (XDG on Linux). */
export type StoreOptions = {store: string};

export type RecorderProgram = NonNullable<MicrophoneOptions['program']>;

/** The sound programs chosen by flags or the config file; undefined means the first one found (sox for recording). */
export type AudioOptions = {player?: string; recorder?: RecorderProgram; device?: string};

export async function openTape(options: StoreOptions): Promise<Tape> {
	try {
		return await Tape.open(options.store);
	} catch (error) {
		// A path that can never be a store is a usage mistake; a store that
		// cannot be opened today (read-only, full, damaged) is not.
		const Failure = error instanceof StorePathError ? UsageError : CommandError;
		const reason = await accessAdvice(error, options.store, loginName()) ?? (error as Error).message;
		throw new Failure(`cannot open the store at ${options.store}: ${reason}`);
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
