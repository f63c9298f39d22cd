// Any key skips the greeting at the screen (issue 12, item 5): not only r,
// space, p and Enter; s, Esc and q still cancel, and once the recording has
// begun a key bound to nothing does nothing.
import {describe, expect, it} from 'vitest';
import {keyAction} from '../../src/machine/keys.js';
import {initialState, transition, type Mode, type State} from '../../src/machine/machine.js';
import {tapeView} from '../helpers/machine.js';

const now = 50_000;

function recording(startedAt: number, target: 'message' | 'greeting' = 'message'): State {
	const loaded = transition(initialState, {type: 'tape-changed', tape: tapeView([])}).state;
	const mode: Mode = {kind: 'recording', target, startedAt, limitMs: 60_000, stopping: false};
	return {...loaded, mode};
}

/** The effects a key asks for in state, or undefined when the key is not read. */
function press(state: State, key: string) {
	const action = keyAction(state.mode, key, now);
	return action && transition(state, action);
}

describe('a key during the greeting before a message', () => {
	const greeting = recording(Number.NaN);

	it('skips to the beep whatever the key, bar the ones that cancel', () => {
		for (const key of ['x', 'n', 'Z', '3', 'tab', 'up', 'delete', 'e', 'g', '?']) {
			const step = press(greeting, key);
			expect(step?.effects, key).toEqual([{type: 'skip-greeting', only: true}]);
			expect(step?.state, key).toBe(greeting);
		}
	});

	it('still skips with r, space, p and Enter, and cancels with s, Esc and q', () => {
		for (const key of ['r', 'space', 'p', 'enter']) {
			expect(press(greeting, key)?.effects, key).toEqual([{type: 'skip-greeting'}]);
		}

		for (const key of ['s', 'escape']) {
			expect(press(greeting, key)?.effects, key).toEqual([{type: 'stop-recording'}]);
		}

		expect(press(greeting, 'q')?.state.quitting).toBe(true);
	});

	it('does nothing with an unbound key once the recording has begun, nor while recording the greeting itself', () => {
		for (const state of [recording(now - 1000), recording(Number.NaN, 'greeting')]) {
			const step = press(state, 'x');
			expect(step?.effects ?? []).toEqual([]);
			expect(step?.state ?? state).toBe(state);
		}
	});
});
