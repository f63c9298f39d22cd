// What changes the tape: the store's news of it, and keep, erase and undo,
// which show at once and are confirmed by the next rescan.
import {compareText} from '../time.js';
import {idle, indexIn, mailboxOrder, nothing, settleCursor, visibleMessages} from './state.js';
import type {Effect, State, Step, TapeView} from './types.js';

/**
 * Shows an erase at once, before the store has done it: the message leaves
 * the list for the undo bin. The next rescan confirms it (or brings it back).
 */
function moveToBin(state: State, ids: readonly string[]): State {
	const erased = state.messages.filter(message => ids.includes(message.id));
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
		state: {...moveToBin(state, ids), mode: idle, notice: {text: `Erased ${ids.length} heard message${ids.length === 1 ? '' : 's'}. Press u to undo one at a time.`, tone: 'info'}},
		effects: [{type: 'erase', ids}],
	};
}

export function undo(state: State): Step {
	const [restored, ...rest] = state.bin;
	if (state.mode.kind !== 'idle') {
		return nothing(state);
	}

	if (restored === undefined) {
		return nothing({...state, notice: {text: 'Nothing to undo.', tone: 'info'}});
	}

	const messages = [...state.messages, {...restored, erasedAt: null}].sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id));
	// The bin holds every mailbox's messages: one restored into a mailbox not
	// shown brings its mailbox on screen, or the cursor could not land on it.
	let {mailbox} = state;
	if (mailbox !== undefined && restored.for !== mailbox) {
		mailbox = mailboxOrder(state).includes(restored.for) ? restored.for : undefined;
	}

	return {
		state: {
			...state, messages, mailbox, bin: rest, usedMs: state.usedMs + restored.durationMs, selectedId: restored.id, cursorMoved: true, notice: {text: 'Restored.', tone: 'good'},
		},
		effects: [{type: 'restore', id: restored.id}],
	};
}
