// Stop and quit: the ways out of whatever the machine is doing.
import {idle, nothing} from './state.js';
import type {Effect, State, Step} from './types.js';

export function stop(state: State): Step {
	const {mode} = state;
	if (mode.kind === 'recording') {
		return mode.stopping ? nothing(state) : {state: {...state, mode: {...mode, stopping: true}}, effects: [{type: 'stop-recording'}]};
	}

	if (mode.kind === 'playing' || mode.kind === 'playing-greeting') {
		return {state: {...state, mode: idle}, effects: [{type: 'stop-playing'}]};
	}

	if (mode.kind === 'help' || mode.kind === 'confirm-erase-heard' || mode.kind === 'confirm-erase-kept' || mode.kind === 'choose-recipient' || mode.kind === 'greeting-menu') {
		return nothing({...state, mode: idle});
	}

	return nothing(state);
}

export function quit(state: State): Step {
	const {mode} = state;
	if (mode.kind === 'recording') {
		// Save what was said before leaving, as a real machine would.
		const stopping: Step = stop(state);
		return {state: {...stopping.state, quitting: true}, effects: stopping.effects};
	}

	const effects: Effect[] = mode.kind === 'playing' || mode.kind === 'playing-greeting' ? [{type: 'stop-playing'}] : [];
	return {state: {...state, quitting: true, mode: idle}, effects: [...effects, {type: 'exit'}]};
}
