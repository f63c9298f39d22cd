// The starting state and what every handler reads from a state: the messages
// shown, the mailboxes in order, and where the cursor settles.
import {everyone, type Message} from '../tape/message.js';
import type {Mode, State, Step} from './types.js';

export const initialState: State = {
	messages: [],
	bin: [],
	usedMs: 0,
	capacityMs: 0,
	maxMessageMs: 0,
	problems: 0,
	loaded: false,
	selectedId: undefined,
	cursorMoved: false,
	mailboxes: [],
	mailbox: undefined,
	mode: {kind: 'idle'},
	notice: undefined,
	quitting: false,
	listening: {speed: 1, volume: 100},
};

export function unheardCount(state: Pick<State, 'messages'>): number {
	return state.messages.filter(message => !message.heard).length;
}

/** Mailboxes in the order Tab and the number keys go through them: everyone first. */
export function mailboxOrder(state: Pick<State, 'mailboxes'>): string[] {
	return [everyone, ...state.mailboxes.filter(name => name !== everyone)];
}

/** The messages on screen: all of them, or one mailbox's. */
export function visibleMessages(state: Pick<State, 'messages' | 'mailbox'>): Message[] {
	return state.mailbox === undefined ? state.messages : state.messages.filter(message => message.for === state.mailbox);
}

export function oldestUnheard(messages: readonly Message[]): Message | undefined {
	return messages.find(message => !message.heard);
}

export function indexIn(messages: readonly Message[], id: string | undefined): number {
	return messages.findIndex(message => message.id === id);
}

/** Keeps the cursor on a shown message after the list or the filter changes. */
export function settleCursor(state: State, previousIndex: number): State {
	const shown = visibleMessages(state);
	if (shown.length === 0) {
		return {...state, selectedId: undefined, cursorMoved: false};
	}

	if (!state.cursorMoved) {
		const target = oldestUnheard(shown) ?? shown.at(-1)!;
		return {...state, selectedId: target.id};
	}

	if (indexIn(shown, state.selectedId) >= 0) {
		return state;
	}

	const index = Math.min(Math.max(previousIndex, 0), shown.length - 1);
	return {...state, selectedId: shown[index]!.id};
}

export const nothing = (state: State): Step => ({state, effects: []});
export const idle: Mode = {kind: 'idle'};
