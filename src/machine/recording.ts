// Recording a message: choosing who it is for, and the recorder's news of
// when it really began and how it ended.
import {everyone} from '../tape/message.js';
import {idle, mailboxOrder, nothing} from './state.js';
import {stop} from './stopping.js';
import type {ActionOf, Effect, State, Step} from './types.js';

function startRecording(state: State, recipient: string): Step {
	const stopPlaying: Effect[] = state.mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
	return {
		// startedAt stays unknown until the microphone is really listening.
		state: {...state, mode: {kind: 'recording', target: 'message', startedAt: Number.NaN, limitMs: state.maxMessageMs, stopping: false}, notice: undefined},
		effects: [...stopPlaying, {type: 'start-recording', for: recipient}],
	};
}

export function recipient(state: State, index: number): Step {
	if (state.mode.kind !== 'choose-recipient') {
		return nothing(state);
	}

	// Enter takes the default: the mailbox being shown, or everyone.
	const order = mailboxOrder(state);
	const chosen = index === 0 ? state.mailbox ?? everyone : order[index - 1];
	return chosen === undefined ? nothing(state) : startRecording(state, chosen);
}

/**
 * r, space or Enter while recording. During the greeting they skip to the
 * beep: whoever is at the machine wants to talk, not to hear it out (s, Esc
 * and q still cancel). After it they end the message. Only the recorder knows
 * whether the greeting still plays (the machine hears of the beep's end once
 * the microphone's sound is kept), so it decides: skip-greeting stops the
 * recording, as the key always did, when there is no greeting to skip.
 */
export function endOrSkip(state: State): Step {
	return beforeTheBeep(state) ? {state, effects: [{type: 'skip-greeting'}]} : stop(state);
}

/** A message's recording that has not begun: its greeting (or beep) may still play. */
function beforeTheBeep({mode}: State): boolean {
	return mode.kind === 'recording' && Number.isNaN(mode.startedAt) && mode.target === 'message' && !mode.stopping;
}

/**
 * Any other key (one the recording mode binds to nothing) during the greeting
 * skips it too: whoever is at the machine pressed something, so they are there
 * to talk. Unlike r, space and Enter it never stops: past the greeting, the
 * recorder leaves it unread.
 */
export function skipGreeting(state: State): Step {
	return beforeTheBeep(state) ? {state, effects: [{type: 'skip-greeting', only: true}]} : nothing(state);
}

export function record(state: State): Step {
	const {mode} = state;
	if (mode.kind === 'recording') {
		return endOrSkip(state);
	}

	if (mode.kind === 'choose-recipient') {
		return recipient(state, 0);
	}

	if (mode.kind !== 'idle' && mode.kind !== 'playing') {
		return nothing(state);
	}

	// With no housemates named there is nobody to choose: it is for everyone.
	if (state.mailboxes.length === 0) {
		return startRecording(state, everyone);
	}

	const stopPlaying: Effect[] = mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
	return {state: {...state, mode: {kind: 'choose-recipient'}, notice: undefined}, effects: stopPlaying};
}

export function recordingStarted(state: State, action: ActionOf<'recording-started'>): Step {
	const {mode} = state;
	return mode.kind === 'recording'
		? nothing({...state, mode: {...mode, startedAt: action.now, limitMs: action.limitMs}})
		: nothing(state);
}

export function recordingEnded(state: State, action: ActionOf<'recording-ended'>): Step {
	const next: State = {...state, mode: idle, notice: {text: action.text, tone: action.tone}};
	return state.quitting ? {state: next, effects: [{type: 'exit'}]} : nothing(next);
}
