// A tape shared through Syncthing can hold more than its length: two
// computers recording at once each make room for their own message on what
// they see, and neither knows of the other's until both have arrived. Once
// they have, the overflow is overwritten in the ring's order (ring.ts), as
// the next recording would have done. The ring decides from what every
// computer reads alike (the merged state files, heard as the household sees
// it, never as one listener does), so two computers trimming the same union
// remove the same messages, and together no more than it needs.
//
// Only in a synced store: on one computer (or a network folder, where the
// lock is shared) a tape holds more than its length only after the owner
// shrank it, and that overflow waits for the next recording (settings.ts).
import type {TapeLayout} from './layout.js';
import {withLock} from './lock.js';
import type {MessageMeta} from './message.js';
import {removeMessageFiles} from './meta-files.js';
import {planRoom, toRingEntry} from './ring.js';
import type {Scanner} from './scanner.js';
import {readSettingsFile} from './shared-files.js';

/** The messages to overwrite so that these fit on a tape this long: none when they do, or when only kept ones are left to go. */
export function overflowOf(metas: readonly MessageMeta[], tapeMs: number): string[] {
	const plan = planRoom(metas.map(meta => toRingEntry(meta)), tapeMs, 0);
	return plan.fits ? plan.evict : [];
}

/** Overwrites what a synced tape holds beyond its length; returns the ids removed. */
export async function trimOverflow(layout: TapeLayout, scanner: Scanner): Promise<string[]> {
	const overflow = async () => {
		const reading = await readSettingsFile(layout);
		// Damaged settings must not decide what is overwritten (as for recovery).
		return reading.ok ? overflowOf(await scanner.allMetas(), reading.settings.tapeMs) : [];
	};

	if ((await overflow()).length === 0) {
		return [];
	}

	return withLock(layout, async () => {
		// Again under the lock: another process on this computer may have trimmed or recorded meanwhile.
		const ids = await overflow();
		for (const id of ids) {
			await removeMessageFiles(layout, id);
		}

		return ids;
	});
}
