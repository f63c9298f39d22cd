// The greeting menu: play the greeting callers hear, record a new one, or go
// back to the built-in one.
import {greetingLimitMs} from '../tape/settings.js';
import {idle, nothing} from './state.js';
import type {ActionOf, State, Step} from './types.js';

export function greeting(state: State): Step {
	if (state.mode.kind === 'greeting-menu') {
		return nothing({...state, mode: idle});
	}

	return state.mode.kind === 'idle' ? nothing({...state, mode: {kind: 'greeting-menu'}, notice: undefined}) : nothing(state);
}

export function greetingChoice(state: State, {choice}: ActionOf<'greeting-choice'>): Step {
	if (state.mode.kind !== 'greeting-menu') {
		return nothing(state);
	}

	switch (choice) {
		case 'play': {
			return {state: {...state, mode: {kind: 'playing-greeting'}}, effects: [{type: 'play-greeting'}]};
		}

		case 'record': {
			return {
				state: {...state, mode: {kind: 'recording', target: 'greeting', startedAt: Number.NaN, limitMs: greetingLimitMs, stopping: false}},
				effects: [{type: 'record-greeting'}],
			};
		}

		case 'reset': {
			return {state: {...state, mode: idle, notice: {text: 'Back to the built-in greeting.', tone: 'good'}}, effects: [{type: 'reset-greeting'}]};
		}
	}
}

export function greetingPlayed(state: State): Step {
	return state.mode.kind === 'playing-greeting' ? nothing({...state, mode: idle}) : nothing(state);
}
