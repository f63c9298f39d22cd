// A message's state (heard by whom, keep, erased) as changes that merge.
//
// A message's own two files never change once it is placed. Each computer
// writes its changes to a state file of its own beside them
// (messages/ID.state.WRITER.json), and a reader merges every such file: each
// field goes to its latest change. So two computers sharing the store through
// Syncthing never rewrite the same file (which would lose one of the two
// changes: the older write loses), and two housemates' heard marks are two
// fields that never overwrite each other. Pure: checked over random histories.
import {compareText} from '../time.js';
import {everyone, nameKey, type Change, type HeardMarks} from './message.js';

export type {Change, HeardMarks} from './message.js';

export type MessageState = {
	heard: HeardMarks;
	keep: Change<boolean>;
	/** When it was erased into the undo bin, or null when it is on the tape. */
	erased: Change<string | null>;
};

/** Who is listening: one housemate, or the household as a whole (the kitchen terminal, a personal store). */
export type Listener = {kind: 'housemate'; name: string} | {kind: 'household'};

export const household: Listener = {kind: 'household'};

export const allAddressees = '*';

/** Before any change: old stores' fields count as made at the beginning of time, so any change since wins. */
export const epoch = '1970-01-01T00:00:00.000Z';

/** The state written in a message's own file: an old store's flags, or a new message's (nothing heard, not kept, on the tape). */
export function baseState(legacy: {heard: boolean; keep: boolean; erasedAt: string | null}): MessageState {
	return {
		heard: legacy.heard ? {[allAddressees]: {value: true, at: epoch}} : {},
		keep: {value: legacy.keep, at: epoch},
		erased: {value: legacy.erasedAt, at: epoch},
	};
}

/**
 * The later of two changes. On the same millisecond the one that keeps more
 * wins (heard over new, keep over unkeep, erased over restored), then the
 * larger value, so every computer picks the same.
 */
function later<T>(a: Change<T>, b: Change<T>, rank: (value: T) => number): Change<T> {
	const order = compareText(a.at, b.at) || rank(a.value) - rank(b.value) || compareText(String(a.value), String(b.value));
	return order >= 0 ? a : b;
}

const rankBoolean = (value: boolean) => (value ? 1 : 0);
const rankErased = (value: string | null) => (value === null ? 0 : 1);

/** Every state merged: each field (and each housemate's heard mark) goes to its latest change. Order does not matter. */
export function mergeStates(states: readonly MessageState[]): MessageState {
	const heard: Record<string, Change<boolean>> = {};
	let keep: Change<boolean> = {value: false, at: epoch};
	let erased: Change<string | null> = {value: null, at: epoch};
	for (const state of states) {
		for (const [who, mark] of Object.entries(state.heard)) {
			const known = heard[who];
			heard[who] = known === undefined ? mark : later(known, mark, rankBoolean);
		}

		keep = later(keep, state.keep, rankBoolean);
		erased = later(erased, state.erased, rankErased);
	}

	return {heard, keep, erased};
}

/** Whether this housemate (a nameKey) has heard it: their own latest mark, or a later one for all its addressees. */
export function heardByHousemate(marks: HeardMarks, key: string): boolean {
	const own = marks[key];
	const all = marks[allAddressees];
	if (own === undefined || all === undefined) {
		return (own ?? all)?.value ?? false;
	}

	return later(own, all, rankBoolean).value;
}

/**
 * Heard as the household sees it (and the ring, which must decide the same on
 * every computer whoever is looking): a message for sam once sam heard it, one
 * for everyone once anybody did.
 */
export function heardByAddressee(recipient: string, marks: HeardMarks): boolean {
	if (recipient !== everyone) {
		return heardByHousemate(marks, nameKey(recipient));
	}

	return Object.keys(marks).some(key => heardByHousemate(marks, key));
}

/** Whether a message is for this housemate: for them, or for everyone. */
export function isFor(recipient: string, name: string): boolean {
	return recipient === everyone || nameKey(recipient) === nameKey(name);
}

/**
 * Heard, as this listener sees it. A housemate is told only of what is for
 * them, and never of what they left themselves: a message for someone else,
 * or jo's own message for everyone, is never new for them (the household
 * view still counts jo's message new until someone hears it).
 */
export function heardBy(listener: Listener, message: {for: string; from: string; heardMarks: HeardMarks}): boolean {
	if (listener.kind === 'household') {
		return heardByAddressee(message.for, message.heardMarks);
	}

	return !isFor(message.for, listener.name) || nameKey(message.from) === nameKey(listener.name) || heardByHousemate(message.heardMarks, nameKey(listener.name));
}

/** The housemates who have heard it, as their name keys; 'everyone' for a mark made for all its addressees that still stands. */
export function listenersWhoHeard(marks: HeardMarks): string[] {
	const names = Object.keys(marks).filter(key => key !== allAddressees && heardByHousemate(marks, key));
	const all = marks[allAddressees];
	return all?.value ? [everyone, ...names].sort(compareText) : names.sort(compareText);
}

/**
 * The heard mark this listener's play (or mark) makes: their own, or, in the
 * household view, one for the message's addressee (for everyone: all of them).
 */
export function heardMarkKey(listener: Listener, recipient: string): string {
	if (listener.kind === 'housemate') {
		return nameKey(listener.name);
	}

	return recipient === everyone ? allAddressees : nameKey(recipient);
}
