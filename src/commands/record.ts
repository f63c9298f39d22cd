import {systemMicrophone, type MicrophoneOptions} from '../audio/microphone.js';
import {systemSpeaker} from '../audio/speaker.js';
import {defaultTakeOptions} from '../audio/take.js';
import {describeCommit} from '../session/describe.js';
import {recordMessage} from '../session/message.js';
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

	// Found before the store is opened (or made): without a recorder nothing
	// is touched.
	if (flags.input === undefined) {
		const available = microphone.check();
		if (!available.ok) {
			throw new CommandError(available.reason);
		}
	}

	const tape = await openTape(flags);
	const speaker = systemSpeaker({player: flags.player});
	const recording = recordMessage({tape, microphone, speaker, take: {silenceStopMs, silenceThresholdDb}}, {
		from: flags.from ?? loginName(),
		for: flags.for,
		quick: flags.quick,
		input: flags.input,
		onListening(limitMs) {
			process.stderr.write(`answerphone: recording (up to ${Math.round(limitMs / 1000)}s); stop talking or press Ctrl-C to finish\n`);
		},
	});
	// Ctrl-C ends the message and saves it, like hanging up; during the
	// greeting it cancels, and during an import it cancels too: half a file is
	// not a message.
	const outcome = await whileHandlingSignals(async () => recording.done, () => {
		recording.stop();
	});
	if (outcome.status === 'cancelled') {
		throw new CommandError('cancelled during the greeting: nothing recorded');
	}

	if (outcome.status === 'no-microphone') {
		throw new CommandError(outcome.reason);
	}

	if (outcome.status !== 'kept') {
		throw new CommandError(outcome.error.message);
	}

	const {result, reason} = outcome;
	const {text, ok} = describeCommit(result, reason);
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
