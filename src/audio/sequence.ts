// Several sounds played one after another as one playback: a day-and-time
// stamp and then its message, or a greeting and then the beep.
import type {Playback, Speaker} from './ports.js';

export type Part = {file: string; /** A part that fails to play is skipped instead of failing the whole. */ optional?: boolean};

/**
 * Plays parts in order. parts may still be on its way (a stamp being spoken
 * into a file); onPart hears when each part starts, so progress can be
 * counted from the start of the message itself.
 */
export function playInSequence(speaker: Speaker, parts: readonly Part[] | Promise<readonly Part[]>, onPart?: (index: number) => void): Playback {
	let current: Playback | undefined;
	let stopped = false;
	let paused = false;
	const done = (async (): Promise<Awaited<Playback['done']>> => {
		const list = await parts;
		for (const [index, part] of list.entries()) {
			if (stopped) {
				return {status: 'stopped'};
			}

			current = speaker.play(part.file);
			onPart?.(index);
			if (paused) {
				current.pause();
			}

			const result = await current.done;
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
