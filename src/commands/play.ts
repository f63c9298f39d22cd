import {systemSpeaker} from '../audio/speaker.js';
import {systemSpeech} from '../audio/speech.js';
import {readWavInfo} from '../pcm/wav.js';
import type {Message} from '../tape/message.js';
import type {Tape} from '../tape/store.js';
import {printable} from '../printable.js';
import {messageStamp, playWithStamp} from '../session/playback.js';
import {assertRegularFile} from '../tape/safe-files.js';
import {whileHandlingSignals} from './signals.js';
import {CommandError, openTape, UsageError, type StoreOptions} from './context.js';

export type PlayOptions = StoreOptions & {
	next: boolean; player?: string; stamps: boolean;
	/** 0.5–2, through SoX's tempo (same pitch); undefined plays as recorded. */
	speed?: number;
	/** 0–100 per cent; undefined plays as recorded. */
	volume?: number;
};

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
	const message = flags.next ? await nextPlayable(tape) : await tape.resolveId(args[0]!);

	// A link or a FIFO in the store is never handed to the player (a FIFO hung it).
	await assertRegularFile(message.file).catch((error: unknown) => {
		throw new CommandError(`cannot play ${message.id}: ${(error as Error).message}`);
	});
	// Like the machine, say which message it is and when it was left first.
	const speech = flags.stamps === false ? undefined : systemSpeech();
	const stamp = speech ? await speech.render(messageStamp((await tape.snapshot()).messages, message)) : undefined;
	const adjust = flags.speed === undefined && flags.volume === undefined ? undefined : {speed: flags.speed, volume: flags.volume};
	const playback = playWithStamp(speaker, message.file, stamp, undefined, adjust);
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

/**
 * The oldest new message that holds sound. One that holds none (an empty or
 * damaged WAV, from another program or an older version) is named on stderr
 * and passed over: it stays new, so `list` still shows it, but it never
 * stands in front of the messages after it.
 */
async function nextPlayable(tape: Tape): Promise<Message> {
	let skipped = 0;
	for (const candidate of (await tape.snapshot({waveforms: false})).messages.filter(message => !message.heard)) {
		const reason = await readWavInfo(candidate.file).then(
			info => (info.dataBytes === 0 ? 'it has no sound in it' : undefined),
			(error: Error) => error.message,
		);
		if (reason === undefined) {
			return candidate;
		}

		skipped++;
		process.stderr.write(`answerphone: skipped message ${candidate.id}: ${printable(reason)}\n`);
	}

	throw new CommandError(skipped > 0 ? `no new message that can be played (${skipped} skipped)` : 'no new messages');
}
