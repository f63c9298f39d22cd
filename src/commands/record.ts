import {assetFile} from '../audio/assets.js';
import {Call} from '../audio/call.js';
import {systemMicrophone} from '../audio/microphone.js';
import {importInto} from '../audio/import.js';
import {systemSpeaker} from '../audio/speaker.js';
import type {StopReason, TakeOptions} from '../audio/take.js';
import {describeCommit} from '../tape/describe.js';
import {TapeFullError, type CommitResult, type Draft} from '../tape/store.js';
import {whileHandlingSignals} from './signals.js';
import {CommandError, loginName, openTape, UsageError, type AudioOptions, type StoreOptions} from './context.js';

/** Checked by options.ts before anything is opened or written. */
export type RecordOptions = StoreOptions & AudioOptions & {
	input?: string;
	for?: string;
	/** Who the message is from; the login name when nobody said. */
	from?: string;
	take: TakeOptions;
	/** A quick memo: no greeting before the beep. */
	quick: boolean;
};

/** One message from the microphone, or an imported WAV; prints the new id alone on stdout. */
export async function record(flags: RecordOptions): Promise<void> {
	const {silenceStopMs, silenceThresholdDb} = flags.take;
	const microphone = systemMicrophone({program: flags.recorder, device: flags.device});
	if (flags.input === '-' && process.stdin.isTTY) {
		throw new UsageError('--input - reads a WAV stream from stdin, which is a terminal here: pipe one in (… | answerphone record --input -)');
	}

	if (flags.input === undefined) {
		const available = microphone.check();
		if (!available.ok) {
			throw new CommandError(available.reason);
		}
	}

	const tape = await openTape(flags);
	let draft: Draft;
	try {
		draft = await tape.beginDraft({for: flags.for, from: flags.from ?? loginName()});
	} catch (error) {
		throw new CommandError(error instanceof TapeFullError ? error.message : (error as Error).message);
	}

	let result: CommitResult;
	let stopReason: StopReason | undefined;
	const {input} = flags;
	if (input === undefined) {
		const speaker = systemSpeaker({player: flags.player});
		const greeting = flags.quick ? undefined : await tape.customGreeting() ?? assetFile('greeting.wav');
		const call = new Call(speaker, microphone, draft, {greeting, take: {silenceStopMs, silenceThresholdDb}});
		void call.take.listening.then(() => {
			process.stderr.write(`answerphone: recording (up to ${Math.round(draft.limitMs / 1000)}s); stop talking or press Ctrl-C to finish\n`);
		});
		// Ctrl-C ends the message and saves it, like hanging up; during the
		// greeting it cancels.
		const outcome = await whileHandlingSignals(async () => call.finish(), () => {
			call.stop('key');
		});
		if (outcome.status === 'cancelled') {
			throw new CommandError('cancelled during the greeting: nothing recorded');
		}

		if (outcome.status === 'failed') {
			throw new CommandError(outcome.error.message);
		}

		result = outcome.result;
		stopReason = outcome.reason;
	} else {
		// Ctrl-C during an import cancels it: half a file is not a message.
		const abort = new AbortController();
		try {
			await whileHandlingSignals(async () => importInto(draft, input, abort.signal), () => {
				abort.abort();
			});
		} catch (error) {
			await draft.discard();
			throw new CommandError((error as Error).message);
		}

		result = await draft.commit();
	}

	const {text, ok} = describeCommit(result, stopReason);
	if (!ok) {
		throw new CommandError(text);
	}

	if (result.status === 'saved' && (result.cutAtLimit || result.cutToFit || result.evicted.length > 0)) {
		process.stderr.write(`answerphone: ${text}\n`);
	}

	if (result.status === 'saved') {
		process.stdout.write(result.message.id + '\n');
	}
}
