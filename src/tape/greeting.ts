// The household's own greeting: recorded like a message, kept beside the
// messages as greeting.wav, and replaced in one rename.
import {rename, unlink} from 'node:fs/promises';
import path from 'node:path';
import {readWavInfo} from '../pcm/wav.js';
import {Draft} from './draft.js';
import {isNotFound, type TapeLayout} from './layout.js';
import {newMessageId} from './message.js';
import {fsyncPath} from './meta-files.js';
import {entryKind} from './safe-files.js';
import {greetingLimitMs} from './settings.js';

/** A greeting shorter than this is a slip of the finger, not a greeting. */
const shortestGreetingMs = 1000;

/**
 * Starts recording the household's own greeting. It grows in tmp/ under a
 * name recovery ignores, and replaces greeting.wav in one rename.
 */
export async function beginGreetingDraft(layout: TapeLayout, limitMs = greetingLimitMs): Promise<Draft<{durationMs: number; saved: boolean}>> {
	const id = newMessageId();
	const file = path.join(layout.tmpDir, `greeting-${id}.wav`);
	return Draft.create(id, file, limitMs, {
		place: async () => {
			const {durationMs} = await readWavInfo(file);
			// Nothing said: keep whatever greeting there was.
			if (durationMs < shortestGreetingMs) {
				await unlink(file).catch(() => undefined);
				return {durationMs, saved: false};
			}

			await rename(file, layout.greetingFile);
			await fsyncPath(layout.dir).catch(() => undefined);
			return {durationMs, saved: true};
		},
		drop: async () => unlink(file).catch(() => undefined),
	}, layout);
}

/** The household's own greeting, if one was recorded. */
export async function customGreeting(layout: TapeLayout): Promise<string | undefined> {
	// A link or a FIFO there is never played (a FIFO would hang the player):
	// the built-in greeting is, and doctor reports the file.
	return await entryKind(layout.greetingFile).catch(() => 'missing') === 'file' ? layout.greetingFile : undefined;
}

export async function resetGreeting(layout: TapeLayout): Promise<boolean> {
	return unlink(layout.greetingFile).then(() => true, (error: unknown) => {
		if (isNotFound(error)) {
			return false;
		}

		throw error;
	});
}
