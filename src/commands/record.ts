import {assetFile} from '../audio/assets.js';
import {Call} from '../audio/call.js';
import {systemMicrophone, type MicrophoneOptions} from '../audio/microphone.js';
import {importInto} from '../audio/import.js';
import {systemSpeaker} from '../audio/speaker.js';
import {defaultTakeOptions, type StopReason} from '../audio/take.js';
import {describeCommit} from '../tape/describe.js';
import {TapeFullError, type CommitResult, type Draft} from '../tape/store.js';
import {parseDuration} from '../time.js';
import {whileHandlingSignals} from './signals.js';
import {CommandError, loginName, openTape, UsageError, type GlobalFlags} from './context.js';

export type RecordFlags = GlobalFlags & {
	input?: string;
	for?: string;
	from?: string;
	silence?: string;
	'silence-threshold'?: string;
	/** A quick memo: no greeting before the beep. */
	quick?: boolean;
	player?: string;
	recorder?: string;
	device?: string;
};

function recorderProgram(name: string | undefined): MicrophoneOptions['program'] {
	if (name === undefined || name === 'sox' || name === 'rec' || name === 'arecord') {
		return name;
	}

	throw new UsageError(`--recorder must be sox, rec or arecord, not "${name}"`);
}

function thresholdFlag(text: string | undefined): number {
	if (text === undefined) {
		return defaultTakeOptions.silenceThresholdDb;
	}

	const db = Number(text);
	if (!Number.isFinite(db) || db > 0 || db < -96) {
		throw new UsageError(`--silence-threshold must be a level in dBFS between -96 and 0, like -45, not "${text}"`);
	}

	return db;
}

// A mistyped --silence is a usage error (exit 2), like every other bad flag,
// not a failure of the recording.
function silenceFlag(text: string | undefined): number {
	if (text === undefined) {
		return defaultTakeOptions.silenceStopMs;
	}

	try {
		return parseDuration(text);
	} catch (error) {
		throw new UsageError(`--silence: ${(error as Error).message}`);
	}
}

/** One message from the microphone, or an imported WAV; prints the new id alone on stdout. */
export async function record(flags: RecordFlags): Promise<void> {
	// Usage mistakes are found before anything is opened or written.
	const silenceStopMs = silenceFlag(flags.silence);
	const silenceThresholdDb = thresholdFlag(flags['silence-threshold']);
	const microphone = systemMicrophone({program: recorderProgram(flags.recorder), device: flags.device});
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
