import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach} from 'vitest';
import {Tape} from '../../src/tape/store.js';

/** A fresh store in a temp folder; remove() cleans it up. */
export async function tempTape(): Promise<{tape: Tape; dir: string; remove: () => Promise<void>}> {
	const dir = await mkdtemp(path.join(tmpdir(), 'answerphone-test-'));
	const tape = await Tape.open(dir);
	return {tape, dir, remove: async () => rm(dir, {recursive: true, force: true, maxRetries: 5, retryDelay: 50})};
}

/**
 * A fresh store for each test of the file (or of the describe block this is
 * called in), given to setUp before the test and removed after it. tearDown
 * runs first, while the store is still there: whatever watches it (a screen,
 * an effect runner) stops before its folder goes.
 */
export function tempTapeEachTest(
	setUp: (fresh: {tape: Tape; dir: string}) => void | Promise<void>,
	tearDown?: () => void | Promise<void>,
): void {
	let remove: (() => Promise<void>) | undefined;
	beforeEach(async () => {
		const fresh = await tempTape();
		({remove} = fresh);
		await setUp(fresh);
	});

	afterEach(async () => {
		try {
			await tearDown?.();
		} finally {
			await remove?.();
			remove = undefined;
		}
	});
}

/** Leaves a message of ms milliseconds of tone on the tape, as a caller would. */
export async function leaveMessage(tape: Tape, who: {from?: string; for?: string} = {}, ms = 2000): Promise<string> {
	const draft = await tape.beginDraft({from: who.from ?? 'jo', for: who.for});
	const samples = Math.round((ms * 16_000) / 1000);
	const pcm = Buffer.alloc(samples * 2);
	for (let index = 0; index < samples; index++) {
		pcm.writeInt16LE(Math.round(6000 * Math.sin(index / 5)), index * 2);
	}

	draft.write(pcm);
	const result = await draft.commit();
	if (result.status !== 'saved') {
		throw new Error(`test message not saved: ${result.status}`);
	}

	return result.message.id;
}
