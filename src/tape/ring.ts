// The tape is a ring: when a new message needs room, older ones are
// overwritten in a fair order. This module decides which, and nothing else;
// it is pure so that its rules can be checked over random histories.
import {compareText} from '../time.js';
import type {MessageMeta} from './message.js';

export type RingEntry = {
	id: string;
	from: string;
	createdAt: string;
	durationMs: number;
	heard: boolean;
	keep: boolean;
	erased: boolean;
};

/** What the ring needs to know of a message. */
export function toRingEntry(meta: MessageMeta): RingEntry {
	return {
		id: meta.id,
		from: meta.from,
		createdAt: meta.createdAt,
		durationMs: meta.durationMs,
		heard: meta.heard,
		keep: meta.keep,
		erased: meta.erasedAt !== null,
	};
}

export type TapeUse = {
	/** Live (not erased) messages. This is what the gauge shows as used. */
	usedMs: number;
	/** Messages in the undo bin: still on disk, but shown as free. */
	binMs: number;
	/** Live messages marked keep: the part of the tape nothing can free. */
	keptMs: number;
};

export function tapeUse(entries: readonly RingEntry[]): TapeUse {
	let usedMs = 0;
	let binMs = 0;
	let keptMs = 0;
	for (const entry of entries) {
		if (entry.erased) {
			binMs += entry.durationMs;
		} else {
			usedMs += entry.durationMs;
			if (entry.keep) {
				keptMs += entry.durationMs;
			}
		}
	}

	return {usedMs, binMs, keptMs};
}

/** The longest message that could be placed if everything that may go went. */
export function roomMs(entries: readonly RingEntry[], capacityMs: number): number {
	return Math.max(0, capacityMs - tapeUse(entries).keptMs);
}

export type RoomPlan = {fits: true; evict: string[]} | {fits: false; roomMs: number};

const byAge = (a: RingEntry, b: RingEntry) => compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id);

/**
 * Which messages to overwrite so that neededMs more fits on the tape: first
 * the undo bin, then heard messages oldest first, then unheard ones, oldest
 * first, from whoever holds the most tape. Kept messages are never chosen
 * while they are on the tape. One erased into the undo bin still carries its
 * keep flag (restore brings it back kept) but goes with the rest of the bin:
 * the bin is shown as free room, and erasing a kept message was asked twice.
 */
export function planRoom(entries: readonly RingEntry[], capacityMs: number, neededMs: number): RoomPlan {
	const {usedMs, binMs} = tapeUse(entries);
	let freeMs = capacityMs - usedMs - binMs;
	if (freeMs >= neededMs) {
		return {fits: true, evict: []};
	}

	if (roomMs(entries, capacityMs) < neededMs) {
		return {fits: false, roomMs: roomMs(entries, capacityMs)};
	}

	const evict: string[] = [];
	const take = (entry: RingEntry) => {
		evict.push(entry.id);
		freeMs += entry.durationMs;
	};

	for (const entry of entries.filter(entry => entry.erased).sort(byAge)) {
		if (freeMs >= neededMs) {
			return {fits: true, evict};
		}

		take(entry);
	}

	for (const entry of entries.filter(entry => !entry.erased && entry.heard && !entry.keep).sort(byAge)) {
		if (freeMs >= neededMs) {
			return {fits: true, evict};
		}

		take(entry);
	}

	const unheard = entries.filter(entry => !entry.erased && !entry.heard && !entry.keep).sort(byAge);
	const heldBySender = new Map<string, number>();
	for (const entry of entries) {
		if (!entry.erased && !evict.includes(entry.id)) {
			heldBySender.set(entry.from, (heldBySender.get(entry.from) ?? 0) + entry.durationMs);
		}
	}

	while (freeMs < neededMs) {
		// The oldest unheard message of the sender holding the most tape; among
		// equals, the sender whose oldest message is oldest.
		let chosen: RingEntry | undefined;
		for (const entry of unheard) {
			if (
				chosen === undefined
				|| (heldBySender.get(entry.from) ?? 0) > (heldBySender.get(chosen.from) ?? 0)
			) {
				chosen = entry;
			}
		}

		if (chosen === undefined) {
			// Unreachable while roomMs() is honest, but never loop forever.
			return {fits: false, roomMs: roomMs(entries, capacityMs)};
		}

		unheard.splice(unheard.indexOf(chosen), 1);
		heldBySender.set(chosen.from, (heldBySender.get(chosen.from) ?? 0) - chosen.durationMs);
		take(chosen);
	}

	return {fits: true, evict};
}
