// What every command shares: where the store is, who is speaking, and how a
// command reports failure (one line on stderr, a non-zero exit). The options
// themselves are resolved and checked by options.ts, above the commands,
// which hands each command its own typed options.
import {userInfo} from 'node:os';
import type {MicrophoneOptions} from '../audio/microphone.js';
import {stat} from 'node:fs/promises';
import {checkName} from '../tape/message.js';
import {StorePathError, Tape, type Listener} from '../tape/store.js';
import {accessAdvice} from './store-access.js';

/**
 * store: the store's directory: --store, then ANSWERPHONE_STORE, then the
 * config file, then the platform's data directory (XDG on Linux).
 * as: who is listening (--as, ANSWERPHONE_AS): a housemate's name, or
 * "household" for no one in particular (the kitchen terminal).
 * housemateOf: login names mapped to housemates, from the config file.
 */
export type StoreOptions = {store: string; as?: string; housemateOf?: Readonly<Record<string, string>>};

/** The name --as takes for the household view. */
export const household = 'household';

export type RecorderProgram = NonNullable<MicrophoneOptions['program']>;

/** The sound programs chosen by flags or the config file; undefined means the first one found (sox for recording). */
export type AudioOptions = {player?: string; recorder?: RecorderProgram; device?: string};

export async function openTape(options: StoreOptions): Promise<Tape> {
	try {
		return await Tape.open(options.store, {listener: await listenerFor(options)});
	} catch (error) {
		// A path that can never be a store is a usage mistake; a store that
		// cannot be opened today (read-only, full, damaged) is not.
		const Failure = error instanceof StorePathError ? UsageError : CommandError;
		const reason = await accessAdvice(error, options.store, loginName()) ?? (error as Error).message;
		throw new Failure(`cannot open the store at ${options.store}: ${reason}`);
	}
}

/**
 * Who is listening: --as, else what the config file says this account is,
 * else, on a store a household shares through a Unix group, the account's
 * own login name; a personal store's one account is the whole household.
 */
export async function listenerFor(options: StoreOptions): Promise<Listener> {
	const login = loginName();
	const name = options.as ?? options.housemateOf?.[login] ?? (await isGroupShared(options.store) ? login : household);
	if (name === household) {
		return {kind: 'household'};
	}

	try {
		return {kind: 'housemate', name: checkName(name, 'the housemate (--as)')};
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
}

/**
 * A store several accounts share: `setup --household` gives its folder the
 * setgid bit (2770). Group bits alone are only a loose umask's doing.
 */
async function isGroupShared(store: string): Promise<boolean> {
	try {
		return ((await stat(store)).mode & 0o2000) !== 0;
	} catch {
		return false;
	}
}

/** The housemate's name a listener speaks as, if it is one. */
export function housemateName(listener: Listener): string | undefined {
	return listener.kind === 'housemate' ? listener.name : undefined;
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
