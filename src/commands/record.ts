import {constants} from 'node:fs';
import {access, stat} from 'node:fs/promises';
import {systemMicrophone} from '../audio/microphone.js';
import {systemSpeaker} from '../audio/speaker.js';
import type {TakeOptions} from '../audio/take.js';
import {printable} from '../printable.js';
import {describeCommit} from '../session/describe.js';
import {recordMessage} from '../session/message.js';
import {newMessageHooksDone} from '../session/new-message-hook.js';
import {everyone} from '../tape/message.js';
import type {Tape} from '../tape/store.js';
import {whileHandlingSignals} from './signals.js';
import {CommandError, housemateName, loginName, openTape, UsageError, type AudioOptions, type StoreOptions} from './context.js';

/** Checked by options.ts before anything is opened or written. */
export type RecordOptions = StoreOptions & AudioOptions & {
	input?: string;
	for?: string;
	/** Housemates named in the config file, besides those named in the store. */
	housemates: string[];
	/** Who the message is from; the login name when nobody said. */
	from?: string;
	take: TakeOptions;
	/** A quick memo: no greeting before the beep. */
	quick: boolean;
	/** The config's onNewMessage command. */
	onNewMessage?: string;
};

/**
 * --input FILE that cannot be right is a usage mistake, said in one line
 * before anything starts, in the words of the other import failures (SoX's
 * own text was "can't open input file"). A pipe passes, for a shell's <(…).
 */
async function checkInputFile(file: string): Promise<void> {
	const shown = printable(file);
	const info = await stat(file).catch((error: unknown) => error as NodeJS.ErrnoException);
	if (info instanceof Error) {
		throw new UsageError(`cannot import ${shown}: ${info.code === 'ENOENT' || info.code === 'ENOTDIR' ? 'no such file' : 'cannot read it'}`);
	}

	if (!info.isFile() && !info.isFIFO()) {
		throw new UsageError(`cannot import ${shown}: ${info.isDirectory() ? 'it is a folder, not a sound file' : 'it is not a plain file'}`);
	}

	await access(file, constants.R_OK).catch(() => {
		throw new UsageError(`cannot import ${shown}: permission denied`);
	});
}

/** One message from the microphone, or an imported WAV; prints the new id alone on stdout. */
export async function record(flags: RecordOptions): Promise<void> {
	const microphone = systemMicrophone({program: flags.recorder, device: flags.device});
	if (flags.input === '-' && process.stdin.isTTY) {
		throw new UsageError('--input - reads a WAV stream from stdin, which is a terminal here: pipe one in (… | answerphone record --input -)');
	}

	if (flags.input !== undefined && flags.input !== '-') {
		await checkInputFile(flags.input);
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
	if (flags.for !== undefined) {
		await checkMailbox(tape, flags.for, flags.housemates);
	}

	const speaker = systemSpeaker({player: flags.player});
	const onNewMessage = flags.onNewMessage === undefined ? undefined : {
		command: flags.onNewMessage,
		log(line: string) {
			process.stderr.write(`answerphone: ${line}\n`);
		},
	};
	const recording = recordMessage({tape, microphone, speaker, take: flags.take, onNewMessage}, {
		from: flags.from ?? housemateName(tape.listener) ?? loginName(),
		for: flags.for,
		quick: flags.quick,
		input: flags.input,
		onListening(limitMs) {
			stopSkipKeys();
			process.stderr.write(`answerphone: recording (up to ${Math.round(limitMs / 1000)}s); stop talking or press Ctrl-C to finish\n`);
		},
	});
	const stopSkipKeys = flags.input === undefined && !flags.quick ? skipGreetingOnKey(recording) : () => undefined;
	// Ctrl-C ends the message and saves it, like hanging up; during the
	// greeting it cancels, and during an import it cancels too: half a file is
	// not a message.
	const outcome = await whileHandlingSignals(async () => recording.done, () => {
		recording.stop();
	}).finally(stopSkipKeys);
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
	if (result.status === 'saved') {
		// Even when a full disk cut it short: the message is on the tape, and
		// the exit status says it is not whole.
		process.stdout.write(result.message.id + '\n');
	}

	// The onNewMessage hook has its time (10 s) to finish before the command
	// does, so that a script sees its work done, and its failure on stderr;
	// the message was saved before it started.
	await newMessageHooksDone();

	if (!ok) {
		throw new CommandError(text);
	}

	if (result.status === 'saved' && (result.cutAtLimit || result.cutToFit || result.evicted.length > 0)) {
		process.stderr.write(`answerphone: ${text}\n`);
	}
}

/**
 * On a terminal, a key during the greeting skips to the beep, as at the
 * screen: whoever is recording has heard it before. The terminal is in raw
 * mode only until the beep (so Ctrl-C, which raw mode turns into a byte,
 * cancels as its signal would); returns the way back to the terminal as it was.
 */
function skipGreetingOnKey(recording: {stop(): void; skipGreeting?(): boolean}): () => void {
	const {stdin} = process;
	if (!stdin.isTTY) {
		return () => undefined;
	}

	const onData = (data: Buffer) => {
		if (data.includes(3)) {
			recording.stop();
		} else {
			recording.skipGreeting?.();
		}
	};

	stdin.setRawMode(true);
	stdin.on('data', onData);
	stdin.resume();
	let restored = false;
	return () => {
		if (restored) {
			return;
		}

		restored = true;
		stdin.off('data', onData);
		stdin.setRawMode(false);
		stdin.pause();
	};
}

/** A message for a name nobody reads (a typo of "sam") would wait forever in a mailbox no screen shows. */
async function checkMailbox(tape: Tape, name: string, housemates: readonly string[]): Promise<void> {
	const names = [...new Set([everyone, ...housemates, ...await tape.readMailboxes()])];
	if (!names.includes(name)) {
		throw new UsageError(`--for: no mailbox "${printable(name)}" (the mailboxes: ${names.map(each => printable(each)).join(', ')}; answerphone mailbox add NAME makes one)`);
	}
}
