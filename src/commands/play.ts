import {systemSpeaker} from '../audio/speaker.js';
import {systemSpeech} from '../audio/speech.js';
import {messageStamp, playWithStamp} from '../session/playback.js';
import {assertRegularFile} from '../tape/safe-files.js';
import {whileHandlingSignals} from './signals.js';
import {CommandError, openTape, UsageError, type StoreOptions} from './context.js';

export type PlayOptions = StoreOptions & {next: boolean; player?: string; stamps: boolean};

/** Plays one message through the OS player and marks it heard once it has played to the end. */
export async function play(args: string[], flags: PlayOptions): Promise<void> {
	if ((args.length === 1) === (flags.next === true) || args.length > 1) {
		throw new UsageError('usage: answerphone play ID | --next');
	}

	const speaker = systemSpeaker({player: flags.player});
	const available = speaker.check();
	if (!available.ok) {
		throw new CommandError(available.reason);
	}

	const tape = await openTape(flags);
	let message;
	if (flags.next) {
		message = (await tape.snapshot()).messages.find(candidate => !candidate.heard);
		if (!message) {
			throw new CommandError('no new messages');
		}
	} else {
		message = await tape.resolveId(args[0]!);
	}

	// A link or a FIFO in the store is never handed to the player (a FIFO hung it).
	await assertRegularFile(message.file).catch((error: unknown) => {
		throw new CommandError(`cannot play ${message.id}: ${(error as Error).message}`);
	});
	// Like the machine, say which message it is and when it was left first.
	const speech = flags.stamps === false ? undefined : systemSpeech();
	const stamp = speech ? await speech.render(messageStamp((await tape.snapshot()).messages, message)) : undefined;
	const playback = playWithStamp(speaker, message.file, stamp);
	const result = await whileHandlingSignals(async () => playback.done, () => {
		playback.stop();
	});
	await speech?.dispose();
	if (result.status === 'failed') {
		throw new CommandError(result.reason);
	}

	if (result.status === 'stopped') {
		throw new CommandError('stopped before the end; not marked heard');
	}

	await tape.mark([message.id], true);
}
