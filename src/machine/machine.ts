// The answering machine as a pure state machine: keys and events come in as
// actions, a new state and a list of effects for the ports come out. Nothing
// here touches a file, a process or the clock; times arrive inside actions.
import type {Message} from '../tape/message.js';

export type Mode =
	| {kind: 'idle'}
	| {kind: 'recording'; startedAt: number; limitMs: number; stopping: boolean}
	| {kind: 'playing'; id: string; startedAt: number; durationMs: number}
	| {kind: 'confirm-erase-heard'}
	| {kind: 'help'};

export type Tone = 'info' | 'good' | 'warn' | 'error';

export type State = {
	messages: Message[];
	/** Ids in the undo bin, most recently erased first. */
	bin: string[];
	usedMs: number;
	capacityMs: number;
	maxMessageMs: number;
	/** Store files that were skipped because they could not be read. */
	problems: number;
	loaded: boolean;
	/** The message under the cursor. */
	selectedId: string | undefined;
	/** Until the user moves the cursor, it follows the oldest unheard message. */
	cursorMoved: boolean;
	mode: Mode;
	notice: {text: string; tone: Tone} | undefined;
	quitting: boolean;
};

export type TapeView = Pick<State, 'messages' | 'bin' | 'usedMs' | 'capacityMs' | 'maxMessageMs' | 'problems'>;

export type Action =
	| {type: 'tape-changed'; tape: TapeView}
	| {type: 'play'; now: number}
	| {type: 'next'; now: number}
	| {type: 'select'; by: -1 | 1}
	| {type: 'erase'}
	| {type: 'erase-heard'}
	| {type: 'confirm'; yes: boolean}
	| {type: 'undo'}
	| {type: 'record'}
	| {type: 'stop'}
	| {type: 'help'}
	| {type: 'quit'}
	| {type: 'recording-started'; now: number; limitMs: number}
	| {type: 'recording-ended'; text: string; tone: Tone}
	| {type: 'playback-ended'; id: string; now: number}
	| {type: 'playback-failed'; id: string; reason: string}
	| {type: 'notice'; text: string; tone: Tone};

export type Effect =
	| {type: 'start-recording'}
	| {type: 'stop-recording'}
	| {type: 'play'; id: string; file: string}
	| {type: 'stop-playing'}
	| {type: 'mark-heard'; id: string}
	| {type: 'erase'; ids: string[]}
	| {type: 'restore'; id: string}
	| {type: 'exit'};

export type Step = {state: State; effects: Effect[]};

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
	mode: {kind: 'idle'},
	notice: undefined,
	quitting: false,
};

export function unheardCount(state: Pick<State, 'messages'>): number {
	return state.messages.filter(message => !message.heard).length;
}

function oldestUnheard(messages: readonly Message[]): Message | undefined {
	return messages.find(message => !message.heard);
}

function indexOf(state: State, id: string | undefined): number {
	return state.messages.findIndex(message => message.id === id);
}

/** Keeps the cursor on an existing message after the list changes. */
function settleCursor(state: State, previousIndex: number): State {
	if (state.messages.length === 0) {
		return {...state, selectedId: undefined, cursorMoved: false};
	}

	if (!state.cursorMoved) {
		const target = oldestUnheard(state.messages) ?? state.messages.at(-1)!;
		return {...state, selectedId: target.id};
	}

	if (indexOf(state, state.selectedId) >= 0) {
		return state;
	}

	const index = Math.min(Math.max(previousIndex, 0), state.messages.length - 1);
	return {...state, selectedId: state.messages[index]!.id};
}

function startPlaying(state: State, message: Message, now: number): Step {
	return {
		state: {
			...state,
			selectedId: message.id,
			mode: {kind: 'playing', id: message.id, startedAt: now, durationMs: message.durationMs},
			notice: undefined,
		},
		effects: [{type: 'play', id: message.id, file: message.file}],
	};
}

const nothing = (state: State): Step => ({state, effects: []});

export function transition(state: State, action: Action): Step {
	const {mode} = state;
	switch (action.type) {
		case 'tape-changed': {
			const previousIndex = indexOf(state, state.selectedId);
			let next: State = {...state, ...action.tape, loaded: true};
			next = settleCursor(next, previousIndex);
			// The message being played was erased or overwritten elsewhere.
			if (mode.kind === 'playing' && indexOf(next, mode.id) < 0) {
				return {state: {...next, mode: {kind: 'idle'}}, effects: [{type: 'stop-playing'}]};
			}

			return nothing(next);
		}

		case 'play': {
			if (mode.kind === 'recording') {
				return transition(state, {type: 'stop'});
			}

			if (mode.kind === 'playing') {
				return {state: {...state, mode: {kind: 'idle'}}, effects: [{type: 'stop-playing'}]};
			}

			if (mode.kind !== 'idle') {
				return nothing(state);
			}

			const selected = state.messages[indexOf(state, state.selectedId)];
			const message = state.cursorMoved ? selected : oldestUnheard(state.messages) ?? selected;
			return message ? startPlaying(state, message, action.now) : nothing({...state, notice: {text: 'No messages.', tone: 'info'}});
		}

		case 'next': {
			if (mode.kind === 'playing') {
				const following = state.messages[indexOf(state, mode.id) + 1];
				const stopped: Step = {state: {...state, mode: {kind: 'idle'}}, effects: [{type: 'stop-playing'}]};
				if (!following) {
					return {...stopped, state: {...stopped.state, notice: {text: 'End of messages.', tone: 'info'}}};
				}

				const step = startPlaying({...stopped.state, cursorMoved: true}, following, action.now);
				return {state: step.state, effects: [...stopped.effects, ...step.effects]};
			}

			return mode.kind === 'idle' ? transition(state, {type: 'select', by: 1}) : nothing(state);
		}

		case 'select': {
			if (mode.kind !== 'idle' || state.messages.length === 0) {
				return nothing(state);
			}

			const index = Math.min(Math.max(indexOf(state, state.selectedId) + action.by, 0), state.messages.length - 1);
			return nothing({...state, selectedId: state.messages[index]!.id, cursorMoved: true});
		}

		case 'erase': {
			const id = mode.kind === 'playing' ? mode.id : state.selectedId;
			if ((mode.kind !== 'idle' && mode.kind !== 'playing') || id === undefined) {
				return nothing(state);
			}

			const effects: Effect[] = mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
			return {
				state: {...state, mode: {kind: 'idle'}, notice: {text: 'Erased. Press u to undo.', tone: 'info'}},
				effects: [...effects, {type: 'erase', ids: [id]}],
			};
		}

		case 'erase-heard': {
			if (mode.kind !== 'idle') {
				return nothing(state);
			}

			const heard = state.messages.filter(message => message.heard && !message.keep);
			return heard.length === 0
				? nothing({...state, notice: {text: 'No heard messages to erase.', tone: 'info'}})
				: nothing({...state, mode: {kind: 'confirm-erase-heard'}});
		}

		case 'confirm': {
			if (mode.kind !== 'confirm-erase-heard') {
				return nothing(state);
			}

			if (!action.yes) {
				return nothing({...state, mode: {kind: 'idle'}, notice: undefined});
			}

			const ids = state.messages.filter(message => message.heard && !message.keep).map(message => message.id);
			return {
				state: {...state, mode: {kind: 'idle'}, notice: {text: `Erased ${ids.length} heard message${ids.length === 1 ? '' : 's'}. Press u to undo one at a time.`, tone: 'info'}},
				effects: [{type: 'erase', ids}],
			};
		}

		case 'undo': {
			const id = state.bin[0];
			if (mode.kind !== 'idle') {
				return nothing(state);
			}

			return id === undefined
				? nothing({...state, notice: {text: 'Nothing to undo.', tone: 'info'}})
				: {state: {...state, selectedId: id, cursorMoved: true, notice: {text: 'Restored.', tone: 'good'}}, effects: [{type: 'restore', id}]};
		}

		case 'record': {
			if (mode.kind === 'recording') {
				return transition(state, {type: 'stop'});
			}

			if (mode.kind === 'playing') {
				return {state: {...state, mode: {kind: 'recording', startedAt: Number.NaN, limitMs: state.maxMessageMs, stopping: false}}, effects: [{type: 'stop-playing'}, {type: 'start-recording'}]};
			}

			if (mode.kind !== 'idle') {
				return nothing(state);
			}

			// startedAt stays unknown until the microphone is really listening.
			return {state: {...state, mode: {kind: 'recording', startedAt: Number.NaN, limitMs: state.maxMessageMs, stopping: false}, notice: undefined}, effects: [{type: 'start-recording'}]};
		}

		case 'recording-started': {
			return mode.kind === 'recording'
				? nothing({...state, mode: {...mode, startedAt: action.now, limitMs: action.limitMs}})
				: nothing(state);
		}

		case 'recording-ended': {
			const next: State = {...state, mode: {kind: 'idle'}, notice: {text: action.text, tone: action.tone}};
			return state.quitting ? {state: next, effects: [{type: 'exit'}]} : nothing(next);
		}

		case 'stop': {
			if (mode.kind === 'recording') {
				return mode.stopping ? nothing(state) : {state: {...state, mode: {...mode, stopping: true}}, effects: [{type: 'stop-recording'}]};
			}

			if (mode.kind === 'playing') {
				return {state: {...state, mode: {kind: 'idle'}}, effects: [{type: 'stop-playing'}]};
			}

			if (mode.kind === 'help' || mode.kind === 'confirm-erase-heard') {
				return nothing({...state, mode: {kind: 'idle'}});
			}

			return nothing(state);
		}

		case 'playback-ended': {
			if (mode.kind !== 'playing' || mode.id !== action.id) {
				return {state, effects: [{type: 'mark-heard', id: action.id}]};
			}

			// Like the real machine, go on through the new messages one after another.
			const played = state.messages.map(message => (message.id === action.id ? {...message, heard: true} : message));
			const after = {...state, messages: played, mode: {kind: 'idle'} as Mode};
			const following = played.slice(indexOf(state, action.id) + 1).find(message => !message.heard);
			const markHeard: Effect = {type: 'mark-heard', id: action.id};
			if (following) {
				const step = startPlaying(after, following, action.now);
				return {state: step.state, effects: [markHeard, ...step.effects]};
			}

			return {state: {...after, notice: {text: unheardCount(after) === 0 ? 'No more new messages.' : 'End of messages.', tone: 'info'}}, effects: [markHeard]};
		}

		case 'playback-failed': {
			const next: State = {...state, notice: {text: action.reason, tone: 'error'}};
			return nothing(mode.kind === 'playing' && mode.id === action.id ? {...next, mode: {kind: 'idle'}} : next);
		}

		case 'help': {
			if (mode.kind === 'help') {
				return nothing({...state, mode: {kind: 'idle'}});
			}

			return mode.kind === 'idle' ? nothing({...state, mode: {kind: 'help'}}) : nothing(state);
		}

		case 'quit': {
			if (mode.kind === 'recording') {
				// Save what was said before leaving, as a real machine would.
				const stopping: Step = transition(state, {type: 'stop'});
				return {state: {...stopping.state, quitting: true}, effects: stopping.effects};
			}

			const effects: Effect[] = mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
			return {state: {...state, quitting: true, mode: {kind: 'idle'}}, effects: [...effects, {type: 'exit'}]};
		}

		case 'notice': {
			return nothing({...state, notice: {text: action.text, tone: action.tone}});
		}
	}
}
