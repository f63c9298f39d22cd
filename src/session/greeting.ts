// The household's outgoing message: the one recorded with `greeting record`
// (or g then r on the screen), else the built-in one.
import {assetFile} from '../audio/assets.js';
import type {Playback, Speaker} from '../audio/ports.js';
import {playInSequence} from '../audio/sequence.js';
import {defaultTakeOptions, type TakeOptions} from '../audio/take.js';
import type {Tape} from '../tape/store.js';
import {recordCall, type CallPorts, type Recording} from './recording.js';

/** A greeting ends after this long a pause: it is a sentence or two, not a message. */
export const greetingSilenceStopMs = 3000;

/** The greeting a caller hears: the household's own, or the built-in one. */
export async function greetingToPlay(tape: Pick<Tape, 'customGreeting'>): Promise<string> {
	return await tape.customGreeting() ?? assetFile('greeting.wav');
}

/** Plays the greeting; held at once, so it can be stopped even while the greeting is looked up. */
export function playGreeting(speaker: Speaker, tape: Pick<Tape, 'customGreeting'>): Playback {
	return playInSequence(speaker, greetingToPlay(tape).then(file => [{file}]));
}

export type GreetingPorts = CallPorts & {
	tape: Pick<Tape, 'beginGreetingDraft'>;
	/** The silence threshold is kept; the silence stop is the greeting's own. */
	take?: TakeOptions;
};

/** After the beep, speak; a pause of greetingSilenceStopMs, the greeting's limit or a stop ends it. */
export function recordGreeting(ports: GreetingPorts, onListening?: (limitMs: number) => void): Recording<{durationMs: number; saved: boolean}> {
	return recordCall(ports, {
		openDraft: async () => ports.tape.beginGreetingDraft(),
		greeting: async () => undefined,
		take: {...(ports.take ?? defaultTakeOptions), silenceStopMs: greetingSilenceStopMs},
		onListening,
	});
}
