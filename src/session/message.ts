// Leaving a message: after the greeting and the beep from the microphone, or
// imported from a sound file. Either way it grows in a draft on the tape and
// is placed on it (or thrown away) at the end.
import {importInto} from '../audio/import.js';
import {defaultTakeOptions, type TakeOptions} from '../audio/take.js';
import {isDiskFull, type CommitResult, type Draft, type Tape} from '../tape/store.js';
import {greetingToPlay} from './greeting.js';
import {runNewMessageHook, type NewMessageHook} from './new-message-hook.js';
import {failure, recordCall, type CallPorts, type Recording, type RecordingOutcome} from './recording.js';

export type MessagePorts = CallPorts & {
	tape: Pick<Tape, 'beginDraft' | 'customGreeting'>;
	take?: TakeOptions;
	/** The config's onNewMessage command: started once the message is saved, never waited for here. */
	onNewMessage?: NewMessageHook;
};

export type MessageRequest = {
	from: string;
	/** The mailbox it is for; everyone's when undefined. */
	for?: string;
	/** A quick memo: no greeting before the beep. */
	quick?: boolean;
	/** A sound file (or - for a WAV stream on stdin) to import instead of the microphone. */
	input?: string;
	/** Told once the microphone's sound is being kept (after the beep), with the message's limit. */
	onListening?: (limitMs: number) => void;
};

export function recordMessage(ports: MessagePorts, request: MessageRequest): Recording<CommitResult> {
	const recording = startMessage(ports, request);
	const hook = ports.onNewMessage;
	if (hook === undefined) {
		return recording;
	}

	return {
		level: () => recording.level(),
		stop() {
			recording.stop();
		},
		done: recording.done.then(outcome => {
			if (outcome.status === 'kept' && outcome.result.status === 'saved') {
				void runNewMessageHook(hook, outcome.result.message);
			}

			return outcome;
		}),
	};
}

function startMessage(ports: MessagePorts, request: MessageRequest): Recording<CommitResult> {
	const who = {from: request.from, for: request.for};
	if (request.input !== undefined) {
		return importMessage(ports.tape, who, request.input);
	}

	return recordCall(ports, {
		openDraft: async () => ports.tape.beginDraft(who),
		greeting: async () => (request.quick ? undefined : greetingToPlay(ports.tape)),
		take: ports.take ?? defaultTakeOptions,
		onListening: request.onListening,
	});
}

/**
 * An import: stopping it cancels it, since half a file is not a message. For
 * the same reason an import that failed, at any step, leaves no draft behind
 * for a later open to recover as a message: the file can simply be imported
 * again. A full disk is said in so many words, since SoX cut short by one
 * exits as if all went well.
 */
function importMessage(tape: Pick<Tape, 'beginDraft'>, who: {from: string; for?: string}, input: string): Recording<CommitResult> {
	const abort = new AbortController();
	const done = (async (): Promise<RecordingOutcome<CommitResult>> => {
		let draft: Draft | undefined;
		try {
			draft = await tape.beginDraft(who);
			await importInto(draft, input, abort.signal);
			return {status: 'kept', result: await draft.commit()};
		} catch (error) {
			await draft?.discard().catch(() => undefined);
			if (isDiskFull(error)) {
				return {status: 'failed', error: new Error(`cannot import ${input === '-' ? 'stdin' : input}: the disk is full: nothing saved (free some space, for example with answerphone erase --bin, and import again)`)};
			}

			return draft === undefined ? failure(error) : {status: 'failed', error: error as Error};
		}
	})();
	return {
		done,
		level: () => undefined,
		stop() {
			abort.abort();
		},
	};
}
