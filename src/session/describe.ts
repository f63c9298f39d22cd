// One line for the person who just left (or tried to leave) a message or a
// greeting, the same at the screen and from the command line.
import type {StopReason} from '../audio/take.js';
import type {CommitResult} from '../tape/store.js';
import {formatClock} from '../time.js';

/** The greeting's end, in the same words at the screen and from the command line. */
export function describeGreeting(result: {durationMs: number; saved: boolean}): {text: string; ok: boolean} {
	return result.saved
		? {text: `New greeting saved (${formatClock(result.durationMs)}).`, ok: true}
		: {text: 'Nothing was said: the greeting is unchanged.', ok: false};
}

export const greetingCancelled = 'Cancelled: the greeting is unchanged.';

/** Seconds to a tenth, rounded down: 0.97 s under a 1 s minimum reads 0.9s, never "1.0s is under the 1s minimum". */
function tenths(ms: number): string {
	return (Math.floor(ms / 100) / 10).toFixed(1);
}

export function describeCommit(result: CommitResult, reason?: StopReason): {text: string; ok: boolean} {
	switch (result.status) {
		case 'saved': {
			let cut = result.cutAtLimit || reason === 'limit' ? ', cut at the per-message limit' : '';
			if (result.cutToFit) {
				cut = ', cut to the tape that was left (another recording took the rest)';
			}

			if (result.cutByFullDisk) {
				// Not a success: the rest of what was said is lost, and a script must know.
				cut = ', cut short: the disk is full';
			}

			const overwrote = result.evicted.length > 0 ? `; ${result.evicted.length} old message${result.evicted.length === 1 ? '' : 's'} overwritten` : '';
			return {text: `Saved message ${formatClock(result.message.durationMs)}${cut}${overwrote}.`, ok: result.cutByFullDisk !== true};
		}

		case 'too-short': {
			if (result.cutByFullDisk) {
				return {text: `The disk is full: only ${tenths(result.durationMs)}s could be recorded, under the ${result.minMessageMs / 1000}s minimum; nothing saved.`, ok: false};
			}

			if (result.durationMs === 0) {
				return {text: 'Hang-up: nothing was recorded, nothing saved.', ok: false};
			}

			return {text: `Hang-up: ${tenths(result.durationMs)}s is under the ${result.minMessageMs / 1000}s minimum, nothing saved.`, ok: false};
		}

		case 'tape-full': {
			return {text: 'TAPE FULL: nothing saved (every message left is kept).', ok: false};
		}
	}
}
