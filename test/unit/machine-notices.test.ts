import {describe, expect, it} from 'vitest';
import {initialState, type Action, type State} from '../../src/machine/machine.js';
import type {Message} from '../../src/tape/message.js';
import {run as runMachine, tapeView} from '../helpers/machine.js';
import {fakeMessage} from '../helpers/messages.js';

const tape = (messages: Message[]) => tapeView(messages);
const run = (state: State, ...actions: Action[]): State => runMachine(state, ...actions).state;

describe('stale notices', () => {
	it('"No more new messages." goes when new messages arrive, and stays until then', () => {
		const only = fakeMessage();
		let state = run(initialState, {type: 'tape-changed', tape: tape([only])}, {type: 'play', now: 0}, {type: 'playback-ended', id: only.id, now: 5000});
		expect(state.notice?.text).toBe('No more new messages.');
		// The store confirms the message heard: nothing new, the notice is still true.
		const heard = {...only, heard: true};
		state = run(state, {type: 'tape-changed', tape: tape([heard])});
		expect(state.notice?.text).toBe('No more new messages.');
		const arrivals = Array.from({length: 7}, () => fakeMessage());
		state = run(state, {type: 'tape-changed', tape: tape([heard, ...arrivals])});
		expect(state.notice).toBeUndefined();
	});

	it('keeps a notice that new messages do not make untrue', () => {
		let state = run(initialState, {type: 'tape-changed', tape: tape([fakeMessage()])}, {type: 'erase'});
		expect(state.notice?.text).toBe('Erased. Press u to undo.');
		state = run(state, {type: 'tape-changed', tape: tape([fakeMessage()])});
		expect(state.notice?.text).toBe('Erased. Press u to undo.');
	});
});
