// The answering machine as a pure state machine: keys and events come in as
// actions, a new state and a list of effects for the ports come out. Nothing
// here touches a file, a process or the clock; times arrive inside actions.
import {everyone, type Message} from '../tape/message.js';
import {compareText} from '../time.js';

export type Mode =
	| {kind: 'idle'}
	| {kind: 'recording'; target: 'message' | 'greeting'; startedAt: number; limitMs: number; stopping: boolean}
	| {kind: 'greeting-menu'}
	| {kind: 'playing-greeting'}
	/** While paused, pausedAt is set; on resume startedAt moves on by the pause, so elapsed = now - startedAt. */
	| {kind: 'playing'; id: string; startedAt: number; durationMs: number; pausedAt: number | undefined}
	| {kind: 'choose-recipient'}
	| {kind: 'confirm-erase-heard'}
	| {kind: 'help'};

export type Tone = 'info' | 'good' | 'warn' | 'error';

export type State = {
	messages: Message[];
	/** The undo bin, most recently erased first. */
	bin: Message[];
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
	/** Housemates' names, besides "everyone". */
	mailboxes: string[];
	/** The mailbox whose messages are shown; undefined shows all. */
	mailbox: string | undefined;
	mode: Mode;
	notice: {text: string; tone: Tone} | undefined;
	quitting: boolean;
};

export type TapeView = Pick<State, 'messages' | 'bin' | 'usedMs' | 'capacityMs' | 'maxMessageMs' | 'problems' | 'mailboxes'>;

/** Within the first 2 seconds of a message, back goes to the previous one; later it repeats this one. */
export const backToPreviousWithinMs = 2000;

export type Action =
	| {type: 'tape-changed'; tape: TapeView}
	| {type: 'play'; now: number}
	| {type: 'pause'; now: number}
	| {type: 'next'; now: number}
	| {type: 'back'; now: number}
	| {type: 'select'; by: -1 | 1}
	| {type: 'keep'}
	| {type: 'next-mailbox'}
	| {type: 'choose-mailbox'; index: number}
	| {type: 'recipient'; index: number}
	| {type: 'erase'}
	| {type: 'erase-heard'}
	| {type: 'confirm'; yes: boolean}
	| {type: 'undo'}
	| {type: 'record'}
	| {type: 'stop'}
	| {type: 'help'}
	| {type: 'greeting'}
	/** A choice in the greeting menu: play it, record a new one, or go back to the built-in one. */
	| {type: 'greeting-choice'; choice: 'play' | 'record' | 'reset'}
	| {type: 'greeting-played'}
	| {type: 'quit'}
	| {type: 'recording-started'; now: number; limitMs: number}
	| {type: 'recording-ended'; text: string; tone: Tone}
	| {type: 'playback-ended'; id: string; now: number}
	/** The message itself has begun, after its day-and-time stamp: progress counts from here. */
	| {type: 'message-started'; id: string; now: number}
	| {type: 'playback-failed'; id: string; reason: string}
	| {type: 'notice'; text: string; tone: Tone};

export type Effect =
	| {type: 'start-recording'; for: string}
	| {type: 'record-greeting'}
	| {type: 'play-greeting'}
	| {type: 'reset-greeting'}
	| {type: 'stop-recording'}
	| {type: 'play'; id: string; file: string}
	| {type: 'stop-playing'}
	| {type: 'pause-playing'}
	| {type: 'resume-playing'}
	| {type: 'mark-heard'; id: string}
	| {type: 'keep'; id: string; keep: boolean}
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
	mailboxes: [],
	mailbox: undefined,
	mode: {kind: 'idle'},
	notice: undefined,
	quitting: false,
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

function oldestUnheard(messages: readonly Message[]): Message | undefined {
	return messages.find(message => !message.heard);
}

function indexIn(messages: readonly Message[], id: string | undefined): number {
	return messages.findIndex(message => message.id === id);
}

/** Keeps the cursor on a shown message after the list or the filter changes. */
function settleCursor(state: State, previousIndex: number): State {
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

function startPlaying(state: State, message: Message, now: number): Step {
	return {
		state: {
			...state,
			selectedId: message.id,
			mode: {kind: 'playing', id: message.id, startedAt: now, durationMs: message.durationMs, pausedAt: undefined},
			notice: undefined,
		},
		effects: [{type: 'play', id: message.id, file: message.file}],
	};
}

/** Stops what is playing (if anything) and plays message instead. */
function switchTo(state: State, message: Message, now: number): Step {
	const stop: Effect[] = state.mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
	const step = startPlaying({...state, cursorMoved: true}, message, now);
	return {state: step.state, effects: [...stop, ...step.effects]};
}

function startRecording(state: State, recipient: string): Step {
	const stop: Effect[] = state.mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
	return {
		// startedAt stays unknown until the microphone is really listening.
		state: {...state, mode: {kind: 'recording', target: 'message', startedAt: Number.NaN, limitMs: state.maxMessageMs, stopping: false}, notice: undefined},
		effects: [...stop, {type: 'start-recording', for: recipient}],
	};
}

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

const nothing = (state: State): Step => ({state, effects: []});
const idle: Mode = {kind: 'idle'};

export function transition(state: State, action: Action): Step {
	const {mode} = state;
	const shown = visibleMessages(state);
	switch (action.type) {
		case 'tape-changed': {
			const previousIndex = indexIn(shown, state.selectedId);
			let next: State = {...state, ...action.tape, loaded: true};
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

		case 'play': {
			if (mode.kind === 'recording') {
				return transition(state, {type: 'stop'});
			}

			if (mode.kind === 'playing') {
				return transition(state, {type: 'pause', now: action.now});
			}

			if (mode.kind !== 'idle') {
				return nothing(state);
			}

			const selected = shown[indexIn(shown, state.selectedId)];
			const message = state.cursorMoved ? selected : oldestUnheard(shown) ?? selected;
			return message ? startPlaying(state, message, action.now) : nothing({...state, notice: {text: 'No messages.', tone: 'info'}});
		}

		case 'pause': {
			if (mode.kind !== 'playing') {
				return nothing(state);
			}

			if (mode.pausedAt === undefined) {
				return {state: {...state, mode: {...mode, pausedAt: action.now}}, effects: [{type: 'pause-playing'}]};
			}

			const resumed: Mode = {...mode, startedAt: mode.startedAt + (action.now - mode.pausedAt), pausedAt: undefined};
			return {state: {...state, mode: resumed}, effects: [{type: 'resume-playing'}]};
		}

		case 'next': {
			if (mode.kind === 'playing') {
				const following = shown[indexIn(shown, mode.id) + 1];
				if (!following) {
					return {state: {...state, mode: idle, notice: {text: 'End of messages.', tone: 'info'}}, effects: [{type: 'stop-playing'}]};
				}

				return switchTo(state, following, action.now);
			}

			return mode.kind === 'idle' ? transition(state, {type: 'select', by: 1}) : nothing(state);
		}

		case 'back': {
			if (mode.kind === 'playing') {
				const elapsedMs = (mode.pausedAt ?? action.now) - mode.startedAt;
				const current = shown.find(message => message.id === mode.id);
				const previous = shown[indexIn(shown, mode.id) - 1];
				const target = elapsedMs < backToPreviousWithinMs && previous ? previous : current;
				return target ? switchTo(state, target, action.now) : nothing(state);
			}

			return mode.kind === 'idle' ? transition(state, {type: 'select', by: -1}) : nothing(state);
		}

		case 'select': {
			if (mode.kind !== 'idle' || shown.length === 0) {
				return nothing(state);
			}

			const index = Math.min(Math.max(indexIn(shown, state.selectedId) + action.by, 0), shown.length - 1);
			return nothing({...state, selectedId: shown[index]!.id, cursorMoved: true});
		}

		case 'keep': {
			const message = shown.find(candidate => candidate.id === (mode.kind === 'playing' ? mode.id : state.selectedId));
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

		case 'next-mailbox':
		case 'choose-mailbox': {
			if (mode.kind !== 'idle') {
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

		case 'erase': {
			const id = mode.kind === 'playing' ? mode.id : state.selectedId;
			if ((mode.kind !== 'idle' && mode.kind !== 'playing') || id === undefined) {
				return nothing(state);
			}

			const effects: Effect[] = mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
			return {
				state: {...moveToBin(state, [id]), mode: idle, notice: {text: 'Erased. Press u to undo.', tone: 'info'}},
				effects: [...effects, {type: 'erase', ids: [id]}],
			};
		}

		case 'erase-heard': {
			if (mode.kind !== 'idle') {
				return nothing(state);
			}

			const heard = shown.filter(message => message.heard && !message.keep);
			return heard.length === 0
				? nothing({...state, notice: {text: 'No heard messages to erase.', tone: 'info'}})
				: nothing({...state, mode: {kind: 'confirm-erase-heard'}});
		}

		case 'confirm': {
			if (mode.kind !== 'confirm-erase-heard') {
				return nothing(state);
			}

			if (!action.yes) {
				return nothing({...state, mode: idle, notice: undefined});
			}

			const ids = shown.filter(message => message.heard && !message.keep).map(message => message.id);
			return {
				state: {...moveToBin(state, ids), mode: idle, notice: {text: `Erased ${ids.length} heard message${ids.length === 1 ? '' : 's'}. Press u to undo one at a time.`, tone: 'info'}},
				effects: [{type: 'erase', ids}],
			};
		}

		case 'undo': {
			const [restored, ...rest] = state.bin;
			if (mode.kind !== 'idle') {
				return nothing(state);
			}

			if (restored === undefined) {
				return nothing({...state, notice: {text: 'Nothing to undo.', tone: 'info'}});
			}

			const messages = [...state.messages, {...restored, erasedAt: null}].sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id));
			return {
				state: {
					...state, messages, bin: rest, usedMs: state.usedMs + restored.durationMs, selectedId: restored.id, cursorMoved: true, notice: {text: 'Restored.', tone: 'good'},
				},
				effects: [{type: 'restore', id: restored.id}],
			};
		}

		case 'record': {
			if (mode.kind === 'recording') {
				return transition(state, {type: 'stop'});
			}

			if (mode.kind === 'choose-recipient') {
				return transition(state, {type: 'recipient', index: 0});
			}

			if (mode.kind !== 'idle' && mode.kind !== 'playing') {
				return nothing(state);
			}

			// With no housemates named there is nobody to choose: it is for everyone.
			if (state.mailboxes.length === 0) {
				return startRecording(state, everyone);
			}

			const stop: Effect[] = mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
			return {state: {...state, mode: {kind: 'choose-recipient'}, notice: undefined}, effects: stop};
		}

		case 'recipient': {
			if (mode.kind !== 'choose-recipient') {
				return nothing(state);
			}

			// Enter takes the default: the mailbox being shown, or everyone.
			const order = mailboxOrder(state);
			const recipient = action.index === 0 ? state.mailbox ?? everyone : order[action.index - 1];
			return recipient === undefined ? nothing(state) : startRecording(state, recipient);
		}

		case 'recording-started': {
			return mode.kind === 'recording'
				? nothing({...state, mode: {...mode, startedAt: action.now, limitMs: action.limitMs}})
				: nothing(state);
		}

		case 'recording-ended': {
			const next: State = {...state, mode: idle, notice: {text: action.text, tone: action.tone}};
			return state.quitting ? {state: next, effects: [{type: 'exit'}]} : nothing(next);
		}

		case 'stop': {
			if (mode.kind === 'recording') {
				return mode.stopping ? nothing(state) : {state: {...state, mode: {...mode, stopping: true}}, effects: [{type: 'stop-recording'}]};
			}

			if (mode.kind === 'playing' || mode.kind === 'playing-greeting') {
				return {state: {...state, mode: idle}, effects: [{type: 'stop-playing'}]};
			}

			if (mode.kind === 'help' || mode.kind === 'confirm-erase-heard' || mode.kind === 'choose-recipient' || mode.kind === 'greeting-menu') {
				return nothing({...state, mode: idle});
			}

			return nothing(state);
		}

		case 'playback-ended': {
			if (mode.kind !== 'playing' || mode.id !== action.id) {
				return {state, effects: [{type: 'mark-heard', id: action.id}]};
			}

			// Like the real machine, go on through the new messages one after another.
			const played = state.messages.map(message => (message.id === action.id ? {...message, heard: true} : message));
			const after: State = {...state, messages: played, mode: idle};
			const shownAfter = visibleMessages(after);
			const following = shownAfter.slice(indexIn(shownAfter, action.id) + 1).find(message => !message.heard);
			const markHeard: Effect = {type: 'mark-heard', id: action.id};
			if (following) {
				const step = startPlaying(after, following, action.now);
				return {state: step.state, effects: [markHeard, ...step.effects]};
			}

			return {state: {...after, notice: {text: unheardCount(after) === 0 ? 'No more new messages.' : 'End of messages.', tone: 'info'}}, effects: [markHeard]};
		}

		case 'message-started': {
			return mode.kind === 'playing' && mode.id === action.id && mode.pausedAt === undefined
				? nothing({...state, mode: {...mode, startedAt: action.now}})
				: nothing(state);
		}

		case 'playback-failed': {
			const next: State = {...state, notice: {text: action.reason, tone: 'error'}};
			return nothing(mode.kind === 'playing' && mode.id === action.id ? {...next, mode: idle} : next);
		}

		case 'help': {
			if (mode.kind === 'help') {
				return nothing({...state, mode: idle});
			}

			return mode.kind === 'idle' ? nothing({...state, mode: {kind: 'help'}}) : nothing(state);
		}

		case 'greeting': {
			if (mode.kind === 'greeting-menu') {
				return nothing({...state, mode: idle});
			}

			return mode.kind === 'idle' ? nothing({...state, mode: {kind: 'greeting-menu'}, notice: undefined}) : nothing(state);
		}

		case 'greeting-choice': {
			if (mode.kind !== 'greeting-menu') {
				return nothing(state);
			}

			switch (action.choice) {
				case 'play': {
					return {state: {...state, mode: {kind: 'playing-greeting'}}, effects: [{type: 'play-greeting'}]};
				}

				case 'record': {
					return {
						state: {...state, mode: {kind: 'recording', target: 'greeting', startedAt: Number.NaN, limitMs: 60_000, stopping: false}},
						effects: [{type: 'record-greeting'}],
					};
				}

				case 'reset': {
					return {state: {...state, mode: idle, notice: {text: 'Back to the built-in greeting.', tone: 'good'}}, effects: [{type: 'reset-greeting'}]};
				}
			}
		}

		case 'greeting-played': {
			return mode.kind === 'playing-greeting' ? nothing({...state, mode: idle}) : nothing(state);
		}

		case 'quit': {
			if (mode.kind === 'recording') {
				// Save what was said before leaving, as a real machine would.
				const stopping: Step = transition(state, {type: 'stop'});
				return {state: {...stopping.state, quitting: true}, effects: stopping.effects};
			}

			const effects: Effect[] = mode.kind === 'playing' || mode.kind === 'playing-greeting' ? [{type: 'stop-playing'}] : [];
			return {state: {...state, quitting: true, mode: idle}, effects: [...effects, {type: 'exit'}]};
		}

		case 'notice': {
			return nothing({...state, notice: {text: action.text, tone: action.tone}});
		}
	}
}
