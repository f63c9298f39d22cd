// What the TAPE END banner says: which message the next recording would
// overwrite, as the ring (src/tape/ring.ts) would choose it, or that nothing
// can go because every message left is kept.
import type {Message} from '../tape/message.js';
import {planRoom, toRingEntry} from '../tape/ring.js';
import {printable} from '../printable.js';
import {formatStamp} from '../time.js';

/** The banner's line for a tape with no room left. */
export function tapeEndLine(messages: readonly Message[], bin: readonly Message[], capacityMs: number, now: Date): string {
	const entries = [...messages, ...bin].map(message => toRingEntry(message));
	// The smallest recording that needs room: whatever the ring takes first is what goes next.
	const plan = planRoom(entries, capacityMs, 1);
	const nextId = plan.fits ? plan.evict[0] : undefined;
	const next = nextId === undefined ? undefined : [...bin, ...messages].find(message => message.id === nextId);
	if (!next) {
		return plan.fits ? 'TAPE END' : 'TAPE FULL: every message left is kept; unkeep one (*) or erase to record';
	}

	const when = formatStamp(new Date(next.createdAt), now);
	const from = printable(next.from);
	if (next.erasedAt !== null) {
		return `TAPE END: the next message overwrites the erased one from ${from} (${when})`;
	}

	return `TAPE END: the next message overwrites ${next.heard ? 'a heard' : 'an UNHEARD'} one from ${from} (${when})`;
}
