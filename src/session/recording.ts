// A recording in progress, of a message or of the greeting, as one handle: the
// commands and the screen start it, may stop it at any moment (even before the
// draft is open), read its level, and are told how it ended. Nothing here
// prints or exits: each caller words the outcome its own way.
import {Call, type CallDraft} from '../audio/call.js';
import type {Microphone, Speaker} from '../audio/ports.js';
import type {StopReason, TakeOptions} from '../audio/take.js';
import type {Level} from '../pcm/level.js';
import {TapeFullError} from '../tape/store.js';

export type RecordingOutcome<T> =
	/** The recording program is missing: nothing was opened. */
	| {status: 'no-microphone'; reason: string}
	/** Every message on the tape is kept: there is no room to record into. */
	| {status: 'tape-full'; error: TapeFullError}
	/** Stopped during the greeting or the beep: nothing kept. */
	| {status: 'cancelled'}
	/** The microphone or the import failed (or the import was stopped) before anything was kept. */
	| {status: 'failed'; error: Error}
	/** Anything else: the draft could not be opened or placed. */
	| {status: 'error'; error: Error}
	/** Kept: `error` says the microphone failed after part of the message was recorded. */
	| {status: 'kept'; result: T; reason?: StopReason; error?: Error};

export type Recording<T> = {
	/** How the recording ended; never rejects. */
	readonly done: Promise<RecordingOutcome<T>>;
	/** The microphone's latest level while it is being kept, for the meter. */
	level(): Level | undefined;
	/**
	 * Before or during the greeting and the beep this cancels; after the beep
	 * it ends the message and keeps it, like hanging up. An import is cancelled.
	 */
	stop(): void;
	/** During the greeting: on to the beep at once (a key pressed by whoever is at the machine). */
	skipGreeting?(): boolean;
};

export type CallPorts = {microphone: Microphone; speaker: Speaker};

/** What one call needs besides the ports: its draft, what plays before the beep, and when to stop. */
export type CallPlan<T> = {
	openDraft(): Promise<CallDraft<T>>;
	/** The greeting to play before the beep, or undefined for none. */
	greeting(): Promise<string | undefined>;
	take: TakeOptions;
	/** Told once the microphone's sound is being kept (after the beep), with the draft's limit. */
	onListening?: (limitMs: number) => void;
};

/** Checks the microphone, opens the draft and runs the call: greeting, beep, speech. */
export function recordCall<T>(ports: CallPorts, plan: CallPlan<T>): Recording<T> {
	let call: Call<T> | undefined;
	// The stop may come while the draft is still being opened.
	let stopRequested = false;
	const done = (async (): Promise<RecordingOutcome<T>> => {
		const available = ports.microphone.check();
		if (!available.ok) {
			return {status: 'no-microphone', reason: available.reason};
		}

		try {
			const draft = await plan.openDraft();
			const greeting = await plan.greeting();
			// Stopped before anything played: like a stop during the greeting,
			// nothing is kept (a Call stopped before it starts would keep an
			// empty take and call it a hang-up).
			if (stopRequested) {
				await draft.discard();
				return {status: 'cancelled'};
			}

			call = new Call(ports.speaker, ports.microphone, draft, {greeting, take: plan.take});

			void call.take.listening.then(() => {
				plan.onListening?.(draft.limitMs);
			});
			return await call.finish();
		} catch (error) {
			return failure(error);
		} finally {
			call = undefined;
		}
	})();
	return {
		done,
		level: () => call?.take.level,
		stop() {
			stopRequested = true;
			call?.stop('key');
		},
		skipGreeting() {
			return call?.skipGreeting() ?? false;
		},
	};
}

/** What an unexpected error means to the person recording. */
export function failure(error: unknown): RecordingOutcome<never> {
	return error instanceof TapeFullError ? {status: 'tape-full', error} : {status: 'error', error: error as Error};
}
