// Playing messages: play and pause, next and back, and what happens when a
// message ends or fails.
import type {Message} from '../tape/message.js';
import {select} from './navigation.js';
import {idle, indexIn, nothing, oldestUnheard, unheardCount, visibleMessages} from './state.js';
import {positionMs} from './listening.js';
import {endOrSkip} from './recording.js';
import type {ActionOf, Effect, Mode, State, Step} from './types.js';

/** Within the first 2 seconds of a message, back goes to the previous one; later it repeats this one. */
export const backToPreviousWithinMs = 2000;

function startPlaying(state: State, message: Message, now: number, all = false): Step {
	return {
		state: {
			...state,
			selectedId: message.id,
			mode: {
				kind: 'playing', id: message.id, startedAt: now, durationMs: message.durationMs, pausedAt: undefined, stamping: true, ...(all ? {all} : {}), ...listeningOf(state),
			},
			notice: undefined,
		},
		effects: [{type: 'play', id: message.id, file: message.file, ...(isPlainListening(state) ? {} : {listening: state.listening})}],
	};
}

function isPlainListening(state: State): boolean {
	return state.listening.speed === 1 && state.listening.volume === 100;
}

/** The speed and volume a message starts with, when not the usual ones. */
function listeningOf(state: State): Pick<Extract<Mode, {kind: 'playing'}>, 'speed' | 'volume'> {
	return isPlainListening(state) ? {} : {speed: state.listening.speed, volume: state.listening.volume};
}

/** Stops what is playing (if anything) and plays message instead. */
function switchTo(state: State, message: Message, now: number): Step {
	const stopPlaying: Effect[] = state.mode.kind === 'playing' ? [{type: 'stop-playing'}] : [];
	// n and b while playing everything go on playing everything from there.
	const all = state.mode.kind === 'playing' && state.mode.all === true;
	const step = startPlaying({...state, cursorMoved: true}, message, now, all);
	return {state: step.state, effects: [...stopPlaying, ...step.effects]};
}

export function pause(state: State, now: number): Step {
	const {mode} = state;
	if (mode.kind !== 'playing') {
		return nothing(state);
	}

	if (mode.pausedAt === undefined) {
		return {state: {...state, mode: {...mode, pausedAt: now}}, effects: [{type: 'pause-playing'}]};
	}

	const resumed: Mode = {...mode, startedAt: mode.startedAt + (now - mode.pausedAt), pausedAt: undefined};
	return {state: {...state, mode: resumed}, effects: [{type: 'resume-playing'}]};
}

export function play(state: State, now: number): Step {
	const {mode} = state;
	if (mode.kind === 'recording') {
		return endOrSkip(state);
	}

	if (mode.kind === 'playing') {
		return pause(state, now);
	}

	if (mode.kind !== 'idle') {
		return nothing(state);
	}

	const shown = visibleMessages(state);
	const selected = shown[indexIn(shown, state.selectedId)];
	if (state.cursorMoved) {
		return selected ? startPlaying(state, selected, now) : nothing({...state, notice: {text: 'No messages.', tone: 'info', untilNews: true}});
	}

	// New messages first, oldest first; with nothing new, every message from the oldest.
	const unheard = oldestUnheard(shown);
	if (unheard) {
		return startPlaying(state, unheard, now);
	}

	return shown[0] ? startPlaying(state, shown[0], now, true) : nothing({...state, notice: {text: 'No messages.', tone: 'info', untilNews: true}});
}

export function next(state: State, now: number): Step {
	const {mode} = state;
	if (mode.kind === 'playing') {
		const shown = visibleMessages(state);
		const following = shown[indexIn(shown, mode.id) + 1];
		if (!following) {
			return {state: {...state, mode: idle, notice: {text: 'End of messages.', tone: 'info', untilNews: true}}, effects: [{type: 'stop-playing'}]};
		}

		return switchTo(state, following, now);
	}

	return mode.kind === 'idle' ? select(state, 1) : nothing(state);
}

export function back(state: State, now: number): Step {
	const {mode} = state;
	if (mode.kind === 'playing') {
		const shown = visibleMessages(state);
		const elapsedMs = mode.stamping ? (mode.pausedAt ?? now) - mode.startedAt : positionMs(mode, now);
		const current = shown.find(message => message.id === mode.id);
		const previous = shown[indexIn(shown, mode.id) - 1];
		const target = elapsedMs < backToPreviousWithinMs && previous ? previous : current;
		return target ? switchTo(state, target, now) : nothing(state);
	}

	return mode.kind === 'idle' ? select(state, -1) : nothing(state);
}

export function playbackEnded(state: State, action: ActionOf<'playback-ended'>): Step {
	const {mode} = state;
	if (mode.kind !== 'playing' || mode.id !== action.id) {
		return {state, effects: [{type: 'mark-heard', id: action.id}]};
	}

	// Like the real machine, go on through the new messages one after another.
	const played = state.messages.map(message => (message.id === action.id ? {...message, heard: true} : message));
	const after: State = {...state, messages: played, mode: idle};
	const shownAfter = visibleMessages(after);
	const following = shownAfter.slice(indexIn(shownAfter, action.id) + 1).find(message => mode.all === true || !message.heard);
	const markHeard: Effect = {type: 'mark-heard', id: action.id};
	if (following) {
		const step = startPlaying(after, following, action.now, mode.all);
		return {state: step.state, effects: [markHeard, ...step.effects]};
	}

	return {state: {...after, notice: {text: unheardCount(after) === 0 && mode.all !== true ? 'No more new messages.' : 'End of messages.', tone: 'info', untilNews: true}}, effects: [markHeard]};
}

export function messageStarted(state: State, action: ActionOf<'message-started'>): Step {
	const {mode} = state;
	if (mode.kind !== 'playing' || mode.id !== action.id) {
		return nothing(state);
	}

	// Paused as the stamp ended: the message waits at 0:00 until resumed.
	return nothing({...state, mode: {...mode, startedAt: mode.pausedAt ?? action.now, offsetMs: 0, stamping: false}});
}

export function playbackFailed(state: State, action: ActionOf<'playback-failed'>): Step {
	const {mode} = state;
	const failed: State = {...state, notice: {text: action.reason, tone: 'error'}};
	return nothing(mode.kind === 'playing' && mode.id === action.id ? {...failed, mode: idle} : failed);
}
