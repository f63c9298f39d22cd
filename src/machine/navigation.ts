// Moving around the screen while idle: the cursor, the mailbox shown, and the
// help screen.
import {indexIn, mailboxOrder, idle, nothing, settleCursor, visibleMessages} from './state.js';
import type {ActionOf, State, Step} from './types.js';

export function select(state: State, by: -1 | 1): Step {
	const shown = visibleMessages(state);
	if (state.mode.kind !== 'idle' || shown.length === 0) {
		return nothing(state);
	}

	const index = Math.min(Math.max(indexIn(shown, state.selectedId) + by, 0), shown.length - 1);
	return nothing({...state, selectedId: shown[index]!.id, cursorMoved: true});
}

export function chooseMailbox(state: State, action: ActionOf<'next-mailbox' | 'choose-mailbox'>): Step {
	if (state.mode.kind !== 'idle') {
		return nothing(state);
	}

	const order = mailboxOrder(state);
	let mailbox: string | undefined;
	if (action.type === 'choose-mailbox') {
		// 0 shows every mailbox; 1 is everyone's, then the housemates in order.
		mailbox = action.index === 0 ? undefined : order[action.index - 1];
		if (action.index > order.length) {
			return nothing(state);
		}
	} else {
		const position = state.mailbox === undefined ? -1 : order.indexOf(state.mailbox);
		mailbox = order[position + 1];
	}

	const next = settleCursor({...state, mailbox, cursorMoved: false}, 0);
	return nothing({...next, notice: {text: mailbox === undefined ? 'Showing every mailbox.' : `Showing messages for ${mailbox}.`, tone: 'info'}});
}

export function help(state: State): Step {
	if (state.mode.kind === 'help') {
		return nothing({...state, mode: idle});
	}

	return state.mode.kind === 'idle' ? nothing({...state, mode: {kind: 'help'}}) : nothing(state);
}
