// Undo after E: erasing every heard message was one action, so one u brings
// them all back, before the store has answered and after its rescan (which
// lists a batch oldest first under one erase time).
import {describe, expect, it} from 'vitest';
import {initialState, transition} from '../../src/machine/machine.js';
import type {Message} from '../../src/tape/message.js';
import {fakeMessage} from '../helpers/messages.js';
import {run, tapeView} from '../helpers/machine.js';

const loaded = (messages: Message[], bin: Message[] = []) => transition(initialState, {type: 'tape-changed', tape: tapeView(messages, bin)}).state;

describe('undo after erasing every heard message', () => {
	it('brings back the whole batch with one u, the cursor on its oldest', () => {
		const heard = [fakeMessage({heard: true}), fakeMessage({heard: true}), fakeMessage({heard: true})];
		const unheard = fakeMessage();
		let {state, effects} = run(loaded([...heard, unheard]), {type: 'erase-heard'}, {type: 'confirm', yes: true});
		expect(effects).toEqual([{type: 'erase', ids: heard.map(message => message.id)}]);
		expect(state.messages.map(message => message.id)).toEqual([unheard.id]);
		({state, effects} = run(state, {type: 'undo'}));
		expect(effects).toEqual(heard.map(message => ({type: 'restore', id: message.id})));
		expect(state.messages.map(message => message.id)).toEqual([...heard, unheard].map(message => message.id));
		expect(state.bin).toEqual([]);
		expect(state.selectedId).toBe(heard[0]!.id);
		expect(state.usedMs).toBe(15_000);
		expect(state.notice?.text).toBe('Restored 3 messages.');
	});

	it('after the store\'s rescan, restores the batch it lists under one erase time, then the single erase before it', () => {
		const batch = [fakeMessage({erasedAt: '2026-11-27T10:00:05.000Z'}), fakeMessage({erasedAt: '2026-11-27T10:00:05.000Z'})];
		const earlier = fakeMessage({erasedAt: '2026-11-27T10:00:01.000Z'});
		const kept = fakeMessage();
		let {state, effects} = run(loaded([kept], [...batch, earlier]), {type: 'undo'});
		expect(effects).toEqual(batch.map(message => ({type: 'restore', id: message.id})));
		expect(state.bin.map(message => message.id)).toEqual([earlier.id]);
		({state, effects} = run(state, {type: 'undo'}));
		expect(effects).toEqual([{type: 'restore', id: earlier.id}]);
		expect(state.notice?.text).toBe('Restored.');
	});

	it('undoes two single erases one at a time, the last first, even before the store has answered', () => {
		const messages = [fakeMessage(), fakeMessage(), fakeMessage()];
		let {state} = run(loaded(messages), {type: 'select', by: 1}, {type: 'erase'}, {type: 'erase'});
		const erased = state.bin.map(message => message.id);
		expect(erased).toHaveLength(2);
		let effects;
		({state, effects} = run(state, {type: 'undo'}));
		expect(effects).toEqual([{type: 'restore', id: erased[0]}]);
		({state, effects} = run(state, {type: 'undo'}));
		expect(effects).toEqual([{type: 'restore', id: erased[1]}]);
	});
});
