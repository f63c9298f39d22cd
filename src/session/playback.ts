// Playing a message as the machine does: its spoken day and time first, then
// the message itself.
import type {PlayAdjust, Playback, Speaker} from '../audio/ports.js';
import {playInSequence} from '../audio/sequence.js';
import {stampText} from '../audio/speech.js';
import type {Message} from '../tape/message.js';

/** What is said before a message: its place in the list it was chosen from, and when it was left. */
export function messageStamp(list: readonly Pick<Message, 'id'>[], message: Pick<Message, 'id' | 'createdAt'>, now = new Date()): string {
	const position = list.findIndex(candidate => candidate.id === message.id) + 1;
	return stampText(position || 1, new Date(message.createdAt), now);
}

/**
 * Plays the stamp (a WAV file, or undefined without a speech program; it may
 * still be being spoken) and then the message. A stamp that fails to play is
 * skipped. onMessageStarted hears when the message itself starts, so its
 * progress is counted from there.
 */
export function playWithStamp(
	speaker: Speaker,
	file: string,
	stamp: string | undefined | Promise<string | undefined>,
	onMessageStarted?: () => void,
	adjust?: PlayAdjust,
): Playback {
	// The stamp plays as it was spoken; speed and volume are the message's.
	const stampAdjust = adjust?.volume === undefined ? {} : {adjust: {volume: adjust.volume}};
	const parts = Promise.resolve(stamp).then(stampFile => [...(stampFile ? [{file: stampFile, optional: true, ...stampAdjust}] : []), {file, ...(adjust ? {adjust} : {})}]);
	return playInSequence(speaker, parts, index => {
		void parts.then(list => {
			if (index === list.length - 1) {
				onMessageStarted?.();
			}
		});
	});
}
