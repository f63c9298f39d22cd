import {assetFile} from '../audio/assets.js';
import {Call} from '../audio/call.js';
import {systemMicrophone} from '../audio/microphone.js';
import {systemSpeaker} from '../audio/speaker.js';
import {defaultTakeOptions} from '../audio/take.js';
import {formatClock} from '../time.js';
import {whileHandlingSignals} from './signals.js';
import {CommandError, openTape, UsageError, type AudioOptions, type StoreOptions} from './context.js';

export type GreetingOptions = StoreOptions & AudioOptions;

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

		const playback = speaker.play(await tape.customGreeting() ?? assetFile('greeting.wav'));
		const result = await whileHandlingSignals(async () => playback.done, () => {
			playback.stop();
		});
		if (result.status === 'failed') {
			throw new CommandError(result.reason);
		}

		return;
	}

	const microphone = systemMicrophone({program: flags.recorder, device: flags.device});
	const available = microphone.check();
	if (!available.ok) {
		throw new CommandError(available.reason);
	}

	const draft = await tape.beginGreetingDraft();
	// After the beep, speak; a pause of 3 seconds, the one-minute limit or Ctrl-C ends it.
	const call = new Call(speaker, microphone, draft, {greeting: undefined, take: {...defaultTakeOptions, silenceStopMs: 3000}});
	void call.take.listening.then(() => {
		process.stderr.write('answerphone: recording the greeting (up to 1:00); pause or press Ctrl-C to finish\n');
	});
	const outcome = await whileHandlingSignals(async () => call.finish(), () => {
		call.stop('key');
	});
	if (outcome.status === 'cancelled') {
		throw new CommandError('cancelled: the greeting was not changed');
	}

	if (outcome.status === 'failed') {
		throw new CommandError(outcome.error.message);
	}

	if (!outcome.result.saved) {
		throw new CommandError('nothing was said: the greeting was not changed');
	}

	process.stderr.write(`answerphone: new greeting saved (${formatClock(outcome.result.durationMs)})\n`);
}
