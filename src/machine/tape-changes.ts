// What changes the tape: the store's news of it, and keep, erase and undo,
// which show at once and are confirmed by the next rescan.
import {compareText} from '../time.js';
import {idle, indexIn, mailboxOrder, nothing, settleCursor, visibleMessages} from './state.js';
import type {Message} from '../tape/message.js';
import type {Effect, State, Step, TapeView} from './types.js';

/**
 * Shows an erase at once, before the store has done it: the message leaves
 * the list for the undo bin. The next rescan confirms it (or brings it back).
 */
function moveToBin(state: State, ids: readonly string[]): State {
	// One erase is one action, and u undoes it whole: the messages it took share
	// one erasedAt, as the store gives them one time, and until the store's own
	// time replaces it this one marks them as a batch apart from the rest.
	const batch = `pending ${ids[0]!}`;
	const erased = state.messages.filter(message => ids.includes(message.id)).map(message => ({...message, erasedAt: batch}));
	const previousIndex = indexIn(visibleMessages(state), state.selectedId);
	const next: State = {
		...state,
		messages: state.messages.filter(message => !ids.includes(message.id)),
		bin: [...erased.reverse(), ...state.bin],
		usedMs: state.usedMs - erased.reduce((sum, message) => sum + message.durationMs, 0),
	};
	return settleCursor({...next, cursorMoved: true}, previousIndex);
}

/** Heard messages shown that erase-heard takes: kept ones stay. */
function erasableHeard(state: State): string[] {
	return visibleMessages(state).filter(message => message.heard && !message.keep).map(message => message.id);
}

/** Whether the tape now holds an unheard message the screen did not show before. */
function newArrivals(state: State, tape: TapeView): boolean {
	const known = new Set(state.messages.map(message => message.id));
	return tape.messages.some(message => !message.heard && !known.has(message.id));
}

export function tapeChanged(state: State, tape: TapeView): Step {
	const {mode} = state;
	const previousIndex = indexIn(visibleMessages(state), state.selectedId);
	let next: State = {...state, ...tape, loaded: true};
	if (state.notice?.untilNews && newArrivals(state, tape)) {
		next.notice = undefined;
	}

	if (next.mailbox !== undefined && !mailboxOrder(next).includes(next.mailbox)) {
		next.mailbox = undefined;
	}

	next = settleCursor(next, previousIndex);
	// The message being played was erased or overwritten elsewhere.
	if (mode.kind === 'playing' && indexIn(next.messages, mode.id) < 0) {
		return {state: {...next, mode: idle}, effects: [{type: 'stop-playing'}]};
	}

	return nothing(next);
}

export function keep(state: State): Step {
	const {mode} = state;
	const message = visibleMessages(state).find(candidate => candidate.id === (mode.kind === 'playing' ? mode.id : state.selectedId));
	if ((mode.kind !== 'idle' && mode.kind !== 'playing') || !message) {
		return nothing(state);
	}

	return {
		state: {
			...state,
			messages: state.messages.map(candidate => (candidate.id === message.id ? {...candidate, keep: !message.keep} : candidate)),
			notice: {text: message.keep ? 'No longer kept: it may be overwritten when the tape is full.' : 'Kept: it will never be overwritten.', tone: 'info'},
		},
		effects: [{type: 'keep', id: message.id, keep: !message.keep}],
	};
}

export function erase(state: State): Step {
	const {mode} = state;
	const id = mode.kind === 'playing' ? mode.id : state.selectedId;
	if ((mode.kind !== 'idle' && mode.kind !== 'playing') || id === undefined) {
		return nothing(state);
	}

	const effects: Effect[] = mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
	// Keep means "never lose this": erasing one is asked first (and it stays
	// kept in the undo bin, so u brings it back kept).
	if (state.messages.find(message => message.id === id)?.keep) {
		return {state: {...state, mode: {kind: 'confirm-erase-kept', id}, notice: undefined}, effects};
	}

	return eraseOne(state, id, effects);
}

function eraseOne(state: State, id: string, effects: Effect[]): Step {
	return {
		state: {...moveToBin(state, [id]), mode: idle, notice: {text: 'Erased. Press u to undo.', tone: 'info'}},
		effects: [...effects, {type: 'erase', ids: [id]}],
	};
}

export function eraseHeard(state: State): Step {
	if (state.mode.kind !== 'idle') {
		return nothing(state);
	}

	return erasableHeard(state).length === 0
		? nothing({...state, notice: {text: 'No heard messages to erase.', tone: 'info'}})
		: nothing({...state, mode: {kind: 'confirm-erase-heard'}});
}

export function confirm(state: State, yes: boolean): Step {
	const {mode} = state;
	if (mode.kind !== 'confirm-erase-heard' && mode.kind !== 'confirm-erase-kept') {
		return nothing(state);
	}

	if (!yes) {
		return nothing({...state, mode: idle, notice: undefined});
	}

	if (mode.kind === 'confirm-erase-kept') {
		// Overwritten or erased elsewhere while the question was up.
		return state.messages.some(message => message.id === mode.id) ? eraseOne(state, mode.id, []) : nothing({...state, mode: idle});
	}

	const ids = erasableHeard(state);
	return {
		state: {...moveToBin(state, ids), mode: idle, notice: {text: `Erased ${ids.length} heard message${ids.length === 1 ? '' : 's'}. Press u to undo.`, tone: 'info'}},
		effects: [{type: 'erase', ids}],
	};
}

/** The last erase's messages in the bin: those at its head erased at the same time. */
function lastErased(bin: readonly Message[]): Message[] {
	const [latest] = bin;
	if (latest === undefined) {
		return [];
	}

	return latest.erasedAt === null ? [latest] : bin.filter(message => message.erasedAt === latest.erasedAt);
}

/** u: brings back what the last erase took, all of it when E erased several. */
export function undo(state: State): Step {
	if (state.mode.kind !== 'idle') {
		return nothing(state);
	}

	const restored = lastErased(state.bin);
	if (restored.length === 0) {
		return nothing({...state, notice: {text: 'Nothing to undo.', tone: 'info'}});
	}

	const ids = new Set(restored.map(message => message.id));
	const messages = [...state.messages, ...restored.map(message => ({...message, erasedAt: null}))].sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id));
	const back = messages.filter(message => ids.has(message.id));
	const first = back[0]!;
	// The bin holds every mailbox's messages: one restored into a mailbox not
	// shown brings its mailbox on screen (or all of them, for messages from
	// several), or the cursor could not land on it.
	let {mailbox} = state;
	if (mailbox !== undefined && restored.some(message => message.for !== mailbox)) {
		const mailboxes = new Set(restored.map(message => message.for));
		mailbox = mailboxes.size === 1 && mailboxOrder(state).includes(first.for) ? first.for : undefined;
	}

	return {
		state: {
			...state,
			messages,
			mailbox,
			bin: state.bin.filter(message => !ids.has(message.id)),
			usedMs: state.usedMs + restored.reduce((sum, message) => sum + message.durationMs, 0),
			selectedId: first.id,
			cursorMoved: true,
			notice: {text: restored.length === 1 ? 'Restored.' : `Restored ${restored.length} messages.`, tone: 'good'},
		},
		effects: back.map(message => ({type: 'restore', id: message.id})),
	};
}
