// Several sounds played one after another as one playback: a day-and-time
// stamp and then its message, or a greeting and then the beep.
import type {PlayAdjust, Playback, Speaker} from './ports.js';

export type Part = {file: string; /** A part that fails to play is skipped instead of failing the whole. */ optional?: boolean; adjust?: PlayAdjust};

/**
 * Plays parts in order. parts may still be on its way (a stamp being spoken
 * into a file); onPart hears when each part starts, so progress can be
 * counted from the start of the message itself.
 */
export type SequencePlayback = Playback & {
	/** Ends the part playing now and goes on with the next (a key during the greeting skips to the beep). */
	skip(): void;
	/** The part playing now, -1 before the first. */
	readonly index: number;
};

export function playInSequence(speaker: Speaker, parts: readonly Part[] | Promise<readonly Part[]>, onPart?: (index: number) => void): SequencePlayback {
	let current: Playback | undefined;
	let currentIndex = -1;
	let stopped = false;
	let paused = false;
	let skipped = false;
	const done = (async (): Promise<Awaited<Playback['done']>> => {
		const list = await parts;
		for (const [index, part] of list.entries()) {
			if (stopped) {
				return {status: 'stopped'};
			}

			current = part.adjust ? speaker.play(part.file, part.adjust) : speaker.play(part.file);
			currentIndex = index;
			skipped = false;
			onPart?.(index);
			if (paused) {
				current.pause();
			}

			const result = await current.done;
			if (skipped && !stopped) {
				continue;
			}

			if (result.status === 'stopped' || stopped) {
				return {status: 'stopped'};
			}

			if (result.status === 'failed' && !part.optional) {
				return result;
			}
		}

		return {status: 'finished'};
	})();
	return {
		done,
		get index() {
			return currentIndex;
		},
		skip() {
			if (current && !stopped) {
				skipped = true;
				// A paused part must still end.
				current.resume();
				current.stop();
			}
		},
		stop() {
			stopped = true;
			current?.stop();
		},
		pause() {
			paused = true;
			current?.pause();
		},
		resume() {
			paused = false;
			current?.resume();
		},
	};
}
