// Listening comforts: slower or faster (same pitch), quieter or louder, and a
// few seconds back or on within a message. A player cannot change these as it
// plays, so a change while playing restarts it where the message had got to.
import {nothing} from './state.js';
import type {ActionOf, Listening, Mode, State, Step} from './types.js';

export const speedSteps = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;
export const volumeStep = 10;
export const seekStepMs = 5000;

type Playing = Extract<Mode, {kind: 'playing'}>;

/** Where in the message playing is at now, in the message's own time. */
export function positionMs(mode: Playing, now: number): number {
	if (mode.stamping) {
		return 0;
	}

	const elapsed = Math.max(0, (mode.pausedAt ?? now) - mode.startedAt);
	return Math.min(mode.durationMs, (mode.offsetMs ?? 0) + (elapsed * (mode.speed ?? 1)));
}

function nextSpeed(speed: number, by: -1 | 1): number {
	const index = speedSteps.findIndex(step => step >= speed);
	const from = index < 0 ? speedSteps.length - 1 : index;
	return speedSteps[Math.min(speedSteps.length - 1, Math.max(0, from + by))]!;
}

export function describeListening(listening: Listening): string {
	return `Speed ${listening.speed}× · volume ${listening.volume}%`;
}

export function adjust(state: State, action: ActionOf<'adjust'>): Step {
	const {mode} = state;
	if (mode.kind !== 'playing' && mode.kind !== 'idle') {
		return nothing(state);
	}

	const listening: Listening = {
		speed: action.what === 'speed' ? nextSpeed(state.listening.speed, action.by) : state.listening.speed,
		volume: action.what === 'volume' ? Math.min(100, Math.max(0, state.listening.volume + (action.by * volumeStep))) : state.listening.volume,
	};
	if (mode.kind === 'idle') {
		// Set before playing; seeking needs a message playing.
		return action.what === 'seek'
			? nothing(state)
			: nothing({...state, listening, notice: {text: describeListening(listening), tone: 'info'}});
	}

	const now = action.now;
	const here = positionMs(mode, now);
	const fromMs = action.what === 'seek' ? Math.min(mode.durationMs, Math.max(0, here + (action.by * seekStepMs))) : here;
	const paused = mode.pausedAt !== undefined;
	const message = state.messages.find(candidate => candidate.id === mode.id);
	if (!message) {
		return nothing(state);
	}

	return {
		state: {
			...state,
			listening,
			mode: {
				...mode, startedAt: now, pausedAt: paused ? now : undefined, offsetMs: fromMs, stamping: false, speed: listening.speed, volume: listening.volume,
			},
		},
		effects: [{type: 'replay', id: mode.id, file: message.file, fromMs, listening, paused}],
	};
}
