// Opening the store finishes what dead processes left in tmp/: recordings
// whose owner died, commits and removals a crash cut short, half-written
// metadata copies.
import {lstat, open, readdir, unlink} from 'node:fs/promises';
import path from 'node:path';
import {msToPcmBytes, repairWavHeader} from '../pcm/wav.js';
import {isNotFound, type TapeLayout} from './layout.js';
import {readDraftNote} from './draft-note.js';
import {writersLiveness} from './liveness.js';
import {withLock} from './lock.js';
import {isMessageId} from './message.js';
import {removeMessageFiles} from './meta-files.js';
import type {Placement} from './placement.js';
import {entryKind, rewriteFlags, UnsafeFileError} from './safe-files.js';
import {arrivalGraceMs} from './scanner.js';
import {readSettings, readSettingsFile} from './shared-files.js';
import {parseStateFileName} from './state-files.js';
import {isConflictCopy, isSyncthingFile} from './sync-names.js';
import type {DraftOwner} from './types.js';

// A draft whose writers cannot be checked from here (on another computer
// sharing the folder, or named by a note that does not say which boot it is
// from) is abandoned once nothing has been written to it for this long. One
// whose owner is known to run on this computer now is never taken from it.
const abandonedAfterMs = 120_000;

/**
 * Finishes what a dead process left in tmp/: a recording whose owner died
 * is repaired and placed, marked recovered; a commit cut short between
 * moving the audio and writing its metadata is completed.
 */
export async function recoverAbandonedDrafts(layout: TapeLayout, placement: Placement): Promise<void> {
	let names: string[];
	try {
		// What a syncing program put here (a file still arriving, a conflict
		// copy, should tmp/ be shared by mistake) is never ours to place or delete.
		names = (await readdir(layout.tmpDir)).filter(name => !isSyncthingFile(name) && !isConflictCopy(name));
	} catch {
		return;
	}

	// Metadata copies a crash left half-written (see writeMeta). Writing one
	// takes milliseconds, so a copy this old has no writer left.
	// A greeting being recorded writes every moment and lasts a minute at
	// most (see greeting.ts): one idle this long was left by a kill -9.
	// Only regular files: a link is never followed, nor removed.
	for (const name of names.filter(name => name.endsWith('.part') || /^greeting-.+\.wav$/.test(name))) {
		const file = path.join(layout.tmpDir, name);
		const info = await lstat(file).catch(() => undefined);
		if (info?.isFile() && Date.now() - info.mtimeMs > abandonedAfterMs) {
			await unlink(file).catch(() => undefined);
		}
	}

	// Removals a crash cut short (see removeMessageFiles).
	for (const name of names.filter(name => name.endsWith('.evicted') && isMessageId(name.slice(0, -8)))) {
		await removeMessageFiles(layout, name.slice(0, -8)).catch(() => undefined);
	}

	// Placing a rescued recording may overwrite others, which damaged settings
	// must not decide: the drafts wait in tmp/ for an open after the repair.
	if (!(await readSettingsFile(layout)).ok) {
		return;
	}

	const owners = names.filter(name => name.endsWith('.json') && isMessageId(name.slice(0, -5)));
	for (const name of owners) {
		const id = name.slice(0, -5);
		// A note that is no regular file, too big, not JSON, or whose fields
		// fail the command line's checks (an id climbing out of the store) is
		// never acted on: it is left where it is and reported (draft-note.ts).
		const reading = await readDraftNote(layout, id);
		if (reading?.ok !== true) {
			continue;
		}

		const owner = reading.owner;

		try {
			await recoverDraft(layout, placement, id, name, owner);
		} catch (error) {
			// Another process opening the store at the same moment placed this
			// draft first and its files moved under us: that is its recovery
			// done, and no reason for this open to fail. Nor is a file swapped
			// for a link under us (refused, and reported by the next look).
			if (!isNotFound(error) && !(error instanceof UnsafeFileError) && (error as NodeJS.ErrnoException).code !== 'ELOOP') {
				throw error;
			}
		}
	}
}

async function recoverDraft(layout: TapeLayout, placement: Placement, id: string, name: string, owner: DraftOwner): Promise<void> {
	const tmpAudio = path.join(layout.tmpDir, `${id}.wav`);
	const placedAudio = path.join(layout.messagesDir, `${id}.wav`);
	// Paths come from the note's own file name (id), never from inside it.
	// Audio that is a link or a FIFO is never opened: reported, left alone.
	const [tmpKind, placedKind] = [await entryKind(tmpAudio), await entryKind(placedAudio)];
	if (tmpKind === 'other' || (tmpKind === 'missing' && placedKind === 'other')) {
		return;
	}

	const audio = tmpKind === 'file' ? tmpAudio : placedKind === 'file' ? placedAudio : undefined;
	// A helper left running by a killed owner is still writing: its draft is
	// recovered once it too is gone, not placed while it grows.
	const liveness = writersLiveness(owner);
	const ownerGone = liveness === 'gone';
	if (liveness === 'alive') {
		return;
	}

	if (audio === undefined) {
		// A live owner writes its note before its audio file exists: only the
		// note of a dead or long-silent owner is litter. Removing a live one
		// would leave its recording unrecoverable should it crash later.
		const noteAgeMs = Date.now() - (await lstat(path.join(layout.tmpDir, name))).mtimeMs;
		if (ownerGone || noteAgeMs >= abandonedAfterMs) {
			await unlink(path.join(layout.tmpDir, name)).catch(() => undefined);
		}

		return;
	}

	const idleMs = Date.now() - (await lstat(audio)).mtimeMs;
	if (!ownerGone && idleMs < abandonedAfterMs) {
		return;
	}

	if (audio === tmpAudio) {
		// A SoX left importing after its owner died stops one sample past the
		// limit (see src/audio/import.ts): cut there, as the owner would have.
		const limitBytes = msToPcmBytes((await readSettings(layout)).maxMessageMs);
		const handle = await open(tmpAudio, rewriteFlags);
		try {
			if (!(await handle.stat()).isFile()) {
				throw new UnsafeFileError('not a regular file');
			}

			await repairWavHeader(handle, limitBytes);
			await handle.sync();
		} finally {
			await handle.close();
		}
	}

	// A message that was already moved into place was complete: only its
	// metadata was missing, so it is not marked as recovered.
	await placement.place(owner, audio, {recovered: audio === tmpAudio, force: true}).catch(() => undefined);
}

/**
 * State files whose message is gone (neither its JSON nor its audio is in
 * messages/, nor arriving): a computer changed a message that another one
 * overwrote meanwhile, and its change arrived after the removal, or a crash
 * cut a removal short. They show nothing, but would pile up for good. One
 * that came within the arrival grace may be ahead of its message (a synced
 * folder brings files in any order), so it is left until that has passed,
 * by the later of its two times as for half a message (see scanner.ts).
 * Returns the names removed.
 */
export async function sweepOrphanStates(layout: TapeLayout, now = Date.now()): Promise<string[]> {
	const orphansIn = async (names: readonly string[]) => {
		const present = new Set(names);
		const has = (file: string) => present.has(file) || present.has(`.syncthing.${file}.tmp`) || present.has(`~syncthing~${file}.tmp`);
		const found: string[] = [];
		for (const name of names) {
			const state = parseStateFileName(name);
			if (state === undefined || has(`${state.id}.json`) || has(`${state.id}.wav`)) {
				continue;
			}

			// Only a regular file is removed: a link by such a name is left alone.
			const info = await lstat(path.join(layout.messagesDir, name)).catch(() => undefined);
			if (info?.isFile() && now - Math.max(info.mtimeMs, info.ctimeMs) >= arrivalGraceMs) {
				found.push(name);
			}
		}

		return found;
	};

	const listed = await readdir(layout.messagesDir).catch(() => [] as string[]);
	if ((await orphansIn(listed)).length === 0) {
		return [];
	}

	return withLock(layout, async () => {
		// Again under the lock: a message cannot come back, but another process may have swept first.
		const orphans = await orphansIn(await readdir(layout.messagesDir));
		for (const name of orphans) {
			await unlink(path.join(layout.messagesDir, name)).catch(() => undefined);
		}

		return orphans;
	});
}
