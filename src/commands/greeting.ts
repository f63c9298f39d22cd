import {systemMicrophone} from '../audio/microphone.js';
import {systemSpeaker} from '../audio/speaker.js';
import type {TakeOptions} from '../audio/take.js';
import {describeGreeting, greetingCancelled} from '../session/describe.js';
import {playGreeting, recordGreeting} from '../session/greeting.js';
import {formatClock} from '../time.js';
import {whileHandlingSignals} from './signals.js';
import {CommandError, openTape, UsageError, type AudioOptions, type StoreOptions} from './context.js';

export type GreetingOptions = StoreOptions & AudioOptions & {
	/** The silence threshold is kept from these; the silence stop is the greeting's own. */
	take: TakeOptions;
};

/** answerphone greeting record|play|reset: the household's outgoing message. */
export async function greeting(args: string[], flags: GreetingOptions): Promise<void> {
	const [action, ...rest] = args;
	if (rest.length > 0 || (action !== 'record' && action !== 'play' && action !== 'reset')) {
		throw new UsageError('usage: answerphone greeting record|play|reset');
	}

	const tape = await openTape(flags);
	const speaker = systemSpeaker({player: flags.player});
	if (action === 'reset') {
		const removed = await tape.resetGreeting();
		process.stderr.write(`answerphone: ${removed ? 'back to the built-in greeting' : 'the built-in greeting was already in use'}\n`);
		return;
	}

	if (action === 'play') {
		const available = speaker.check();
		if (!available.ok) {
			throw new CommandError(available.reason);
		}

		const playback = playGreeting(speaker, tape);
		const result = await whileHandlingSignals(async () => playback.done, () => {
			playback.stop();
		});
		if (result.status === 'failed') {
			throw new CommandError(result.reason);
		}

		return;
	}

	const microphone = systemMicrophone({program: flags.recorder, device: flags.device});
	const recording = recordGreeting({tape, microphone, speaker, take: flags.take}, limitMs => {
		process.stderr.write(`answerphone: recording the greeting (up to ${formatClock(limitMs)}); pause or press Ctrl-C to finish\n`);
	});
	const outcome = await whileHandlingSignals(async () => recording.done, () => {
		recording.stop();
	});
	if (outcome.status === 'cancelled') {
		throw new CommandError(greetingCancelled);
	}

	if (outcome.status === 'no-microphone') {
		throw new CommandError(outcome.reason);
	}

	if (outcome.status !== 'kept') {
		throw new CommandError(outcome.error.message);
	}

	const {text, ok} = describeGreeting(outcome.result);
	if (!ok) {
		throw new CommandError(text);
	}

	process.stderr.write(`answerphone: ${text}\n`);
}
