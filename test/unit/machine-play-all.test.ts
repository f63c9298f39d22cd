import {describe, expect, it} from 'vitest';
import {initialState, transition, type TapeView} from '../../src/machine/machine.js';
import {fakeMessage} from '../helpers/messages.js';
import {run, tapeView} from '../helpers/machine.js';

function tape(messages = [fakeMessage({heard: true}), fakeMessage({heard: true}), fakeMessage({heard: true})]): TapeView {
	return tapeView(messages);
}

const loaded = (view: TapeView) => transition(initialState, {type: 'tape-changed', tape: view}).state;

describe('space with nothing new', () => {
	it('plays every message from the oldest, one after another', () => {
		const view = tape();
		const [first, second, third] = view.messages;
		let {state, effects} = run(loaded(view), {type: 'play', now: 0});
		expect(effects).toEqual([{type: 'play', id: first!.id, file: first!.file}]);
		({state, effects} = run(state, {type: 'playback-ended', id: first!.id, now: 5000}));
		expect(effects).toEqual([{type: 'mark-heard', id: first!.id}, {type: 'play', id: second!.id, file: second!.file}]);
		({state, effects} = run(state, {type: 'playback-ended', id: second!.id, now: 10_000}));
		expect(effects.at(-1)).toEqual({type: 'play', id: third!.id, file: third!.file});
		({state} = run(state, {type: 'playback-ended', id: third!.id, now: 15_000}));
		expect(state.mode.kind).toBe('idle');
	});

	it('still plays only the message under the cursor once the user has moved it', () => {
		const view = tape();
		const second = view.messages[1];
		let {state, effects} = run(loaded(view), {type: 'select', by: -1}, {type: 'play', now: 0});
		expect(effects).toEqual([{type: 'play', id: second!.id, file: second!.file}]);
		({state, effects} = run(state, {type: 'playback-ended', id: second!.id, now: 5000}));
		expect(effects).toEqual([{type: 'mark-heard', id: second!.id}]);
		expect(state.mode.kind).toBe('idle');
	});

	it('with new messages, plays only the new ones as before', () => {
		const view = tape([fakeMessage({heard: true}), fakeMessage(), fakeMessage({heard: true}), fakeMessage()]);
		const [, second, , fourth] = view.messages;
		let {state, effects} = run(loaded(view), {type: 'play', now: 0});
		expect(effects).toEqual([{type: 'play', id: second!.id, file: second!.file}]);
		({state, effects} = run(state, {type: 'playback-ended', id: second!.id, now: 5000}));
		expect(effects.at(-1)).toEqual({type: 'play', id: fourth!.id, file: fourth!.file});
		expect(state.mode.kind).toBe('playing');
	});
});
