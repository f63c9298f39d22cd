import {playInSequence} from '../audio/sequence.js';
import {systemSpeaker} from '../audio/speaker.js';
import {stampText, systemSpeech} from '../audio/speech.js';
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

	// Like the machine, say which message it is and when it was left first.
	const speech = flags.stamps === false ? undefined : systemSpeech();
	const position = (await tape.snapshot()).messages.findIndex(candidate => candidate.id === message.id) + 1;
	const stamp = speech ? await speech.render(stampText(position || 1, new Date(message.createdAt), new Date())) : undefined;
	const playback = playInSequence(speaker, [...(stamp ? [{file: stamp, optional: true}] : []), {file: message.file}]);
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
