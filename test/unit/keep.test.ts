// Kept stays kept: a message marked keep comes back from the undo bin still
// kept, and erasing one is asked for twice, on the screen and on the command line.
import {createElement} from 'react';
import {describe, expect, it} from 'vitest';
import {App} from '../../src/app.js';
import {initialState, transition, type State} from '../../src/machine/machine.js';
import {planRoom, toRingEntry} from '../../src/tape/ring.js';
import type {Tape} from '../../src/tape/store.js';
import {fakeMessage} from '../helpers/messages.js';
import {press, render, screenOnTempTapeEachTest, waitForFrame} from '../helpers/render.js';
import {leaveMessage} from '../helpers/store.js';
import {waitFor} from '../helpers/wait-for.js';
import {run} from '../helpers/machine.js';

let tape: Tape;
const ports = screenOnTempTapeEachTest(fresh => {
	({tape} = fresh);
});

async function flags(id: string) {
	const snapshot = await tape.snapshot();
	const message = [...snapshot.messages, ...snapshot.bin].find(each => each.id === id);
	return message && {keep: message.keep, erased: message.erasedAt !== null};
}

describe('the store', () => {
	it('keep, erase, restore brings the message back kept; in the bin it counts as free room', async () => {
		const id = await leaveMessage(tape, {}, 2000);
		await tape.keep([id], true);
		await tape.erase([id]);
		expect(await flags(id)).toEqual({keep: true, erased: true});
		// The bin is overwritten first, kept or not: erasing was asked twice.
		const snapshot = await tape.snapshot();
		const entries = [...snapshot.messages, ...snapshot.bin].map(message => toRingEntry(message));
		expect(planRoom(entries, 2000, 2000)).toEqual({fits: true, evict: [id]});
		await tape.restore([id]);
		expect(await flags(id)).toEqual({keep: true, erased: false});
	});
});

describe('the machine', () => {
	const kept = fakeMessage({keep: true});
	const plain = fakeMessage();
	const loaded = transition(initialState, {type: 'tape-changed', tape: {
		messages: [kept, plain], bin: [], usedMs: 4000, capacityMs: 1_200_000, maxMessageMs: 60_000, problems: 0, mailboxes: [],
	}}).state;
	const onKept = {...loaded, selectedId: kept.id, cursorMoved: true};

	it('asks before e erases a kept message, and erases nothing until yes', () => {
		const asked = run(onKept, {type: 'erase'});
		expect(asked.state.mode).toEqual({kind: 'confirm-erase-kept', id: kept.id});
		expect(asked.effects).toEqual([]);
		expect(asked.state.messages).toHaveLength(2);

		const no = run(asked.state, {type: 'confirm', yes: false});
		expect(no.state.mode.kind).toBe('idle');
		expect(no.effects).toEqual([]);
		expect(no.state.messages).toHaveLength(2);

		const yes = run(asked.state, {type: 'confirm', yes: true});
		expect(yes.effects).toEqual([{type: 'erase', ids: [kept.id]}]);
		expect(yes.state.bin).toMatchObject([{id: kept.id, keep: true}]);
		expect(yes.state.notice?.text).toMatch(/Erased/);

		const undone = run(yes.state, {type: 'undo'});
		expect(undone.effects).toEqual([{type: 'restore', id: kept.id}]);
		expect(undone.state.messages.find(message => message.id === kept.id)?.keep).toBe(true);

		const stopped = run(asked.state, {type: 'stop'});
		expect(stopped.state.mode.kind).toBe('idle');
		expect(stopped.effects).toEqual([]);

		// One that is not kept goes at once, as before.
		const plainErased = run({...loaded, selectedId: plain.id, cursorMoved: true}, {type: 'erase'});
		expect(plainErased.effects).toEqual([{type: 'erase', ids: [plain.id]}]);
		expect(plainErased.state.mode.kind).toBe('idle');
	});

	it('stops playing a kept message before asking', () => {
		const playing: State = {...onKept, mode: {kind: 'playing', id: kept.id, startedAt: 0, durationMs: 2000, pausedAt: undefined}};
		const asked = run(playing, {type: 'erase'});
		expect(asked.effects).toEqual([{type: 'stop-playing'}]);
		expect(asked.state.mode).toEqual({kind: 'confirm-erase-kept', id: kept.id});
	});
});

describe('the screen', () => {
	it('asks "Erase a kept message? y / n", and u brings it back kept in the store', async () => {
		const id = await leaveMessage(tape, {from: 'jo'});
		await tape.keep([id], true);
		const screen = await render(createElement(App, {ports: ports()}));
		await waitForFrame(screen, text => text.includes('1 message'));

		await press(screen, 'e');
		await waitForFrame(screen, text => text.includes('Erase a kept message? y / n'));
		await press(screen, 'n');
		await waitForFrame(screen, text => !text.includes('Erase a kept message?'));
		expect(await flags(id)).toEqual({keep: true, erased: false});

		await press(screen, 'e');
		await waitForFrame(screen, text => text.includes('Erase a kept message? y / n'));
		await press(screen, 'y');
		await waitFor('the erase to reach the store', async () => (await flags(id))?.erased === true);
		// The screen has read the bin back from the store before u.
		await waitForFrame(screen, text => text.includes('No messages'));
		await press(screen, 'u');
		await waitFor('the restore to reach the store', async () => (await flags(id))?.erased === false);
		expect(await flags(id)).toEqual({keep: true, erased: false});
		// And the screen, rescanning, still shows it kept: * again would unkeep.
		await press(screen, '*');
		await waitForFrame(screen, text => text.includes('No longer kept'));
	});
});
