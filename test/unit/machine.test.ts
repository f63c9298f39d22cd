import {describe, expect, it} from 'vitest';
import {
	initialState, mailboxOrder, transition, unheardCount, visibleMessages, type TapeView,
} from '../../src/machine/machine.js';
import type {Message} from '../../src/tape/message.js';
import {fakeMessage} from '../helpers/messages.js';
import {run, tapeView} from '../helpers/machine.js';

function tape(messages = [fakeMessage({heard: true}), fakeMessage(), fakeMessage()], bin: Message[] = [], mailboxes: string[] = []): TapeView {
	return tapeView(messages, bin, mailboxes);
}

const loaded = (view = tape()) => transition(initialState, {type: 'tape-changed', tape: view}).state;

describe('the machine', () => {
	it('puts the cursor on the oldest unheard message until the user moves it', () => {
		const view = tape();
		const state = loaded(view);
		expect(state.selectedId).toBe(view.messages[1]!.id);
		expect(unheardCount(state)).toBe(2);
	});

	it('plays the oldest new message first and marks it heard when it ends', () => {
		const view = tape();
		const [, first, second] = view.messages;
		let {state, effects} = run(loaded(view), {type: 'play', now: 1000});
		expect(state.mode).toMatchObject({kind: 'playing', id: first!.id, startedAt: 1000});
		expect(effects).toEqual([{type: 'play', id: first!.id, file: first!.file}]);

		({state, effects} = run(state, {type: 'playback-ended', id: first!.id, now: 6000}));
		// Like a real machine it goes straight on to the next new message.
		expect(effects).toEqual([{type: 'mark-heard', id: first!.id}, {type: 'play', id: second!.id, file: second!.file}]);
		expect(state.mode).toMatchObject({kind: 'playing', id: second!.id});

		({state, effects} = run(state, {type: 'playback-ended', id: second!.id, now: 11_000}));
		expect(effects).toEqual([{type: 'mark-heard', id: second!.id}]);
		expect(state.mode.kind).toBe('idle');
		expect(unheardCount(state)).toBe(0);
	});

	it('plays the message under the cursor once the user has moved it', () => {
		const view = tape();
		const {state, effects} = run(loaded(view), {type: 'select', by: -1}, {type: 'play', now: 0});
		expect(state.mode).toMatchObject({kind: 'playing', id: view.messages[0]!.id});
		expect(effects.at(-1)).toMatchObject({type: 'play', id: view.messages[0]!.id});
	});

	it('pauses on a second press and resumes on a third, keeping the position', () => {
		let {state, effects} = run(loaded(), {type: 'play', now: 0}, {type: 'play', now: 1500});
		expect(state.mode).toMatchObject({kind: 'playing', startedAt: 0, pausedAt: 1500});
		expect(effects.map(effect => effect.type)).toEqual(['play', 'pause-playing']);
		({state, effects} = run(state, {type: 'play', now: 9500}));
		// Elapsed is still 1.5 s: the pause does not count.
		expect(state.mode).toMatchObject({kind: 'playing', startedAt: 8000, pausedAt: undefined});
		expect(effects).toEqual([{type: 'resume-playing'}]);
	});

	it('s stops playing and does not mark the message heard', () => {
		const {state, effects} = run(loaded(), {type: 'play', now: 0}, {type: 'stop'});
		expect(state.mode.kind).toBe('idle');
		expect(effects.map(effect => effect.type)).toEqual(['play', 'stop-playing']);
	});

	it('goes back to the previous message in the first 2 seconds, and repeats this one later', () => {
		const view = tape();
		const playing = run(loaded(view), {type: 'play', now: 0}).state;
		const early = run(playing, {type: 'back', now: 1999});
		expect(early.state.mode).toMatchObject({kind: 'playing', id: view.messages[0]!.id, startedAt: 1999});
		expect(early.effects.map(effect => effect.type)).toEqual(['stop-playing', 'play']);
		const late = run(playing, {type: 'back', now: 2000});
		expect(late.state.mode).toMatchObject({kind: 'playing', id: view.messages[1]!.id, startedAt: 2000});
	});

	it('keeps and unkeeps the selected message', () => {
		const view = tape([fakeMessage(), fakeMessage({keep: true})]);
		const first = run(loaded(view), {type: 'keep'});
		expect(first.effects).toEqual([{type: 'keep', id: view.messages[0]!.id, keep: true}]);
		const second = run(loaded(view), {type: 'select', by: 1}, {type: 'keep'});
		expect(second.effects).toEqual([{type: 'keep', id: view.messages[1]!.id, keep: false}]);
	});

	it('skips to the next message while playing', () => {
		const view = tape();
		const {state, effects} = run(loaded(view), {type: 'play', now: 0}, {type: 'next', now: 100});
		expect(state.mode).toMatchObject({kind: 'playing', id: view.messages[2]!.id});
		expect(effects.map(effect => effect.type)).toEqual(['play', 'stop-playing', 'play']);
	});

	it('says why a message failed to play and leaves it unheard', () => {
		const view = tape();
		const playing = run(loaded(view), {type: 'play', now: 0}).state;
		const {state, effects} = run(playing, {type: 'playback-failed', id: view.messages[1]!.id, reason: 'cannot play: no audio player found'});
		expect(state.mode.kind).toBe('idle');
		expect(state.notice).toEqual({text: 'cannot play: no audio player found', tone: 'error'});
		expect(effects).toEqual([]);
	});

	it('erases the selected message at once and undoes the most recent erase', () => {
		const view = tape();
		const erasedId = view.messages[1]!.id;
		let {state, effects} = run(loaded(view), {type: 'erase'});
		expect(effects).toEqual([{type: 'erase', ids: [erasedId]}]);
		// The list and the gauge change before the store has answered.
		expect(state.messages.map(message => message.id)).not.toContain(erasedId);
		expect(state.bin.map(message => message.id)).toEqual([erasedId]);
		expect(state.usedMs).toBe(10_000);
		({state, effects} = run(state, {type: 'undo'}));
		expect(effects).toEqual([{type: 'restore', id: erasedId}]);
		expect(state.messages.map(message => message.id)).toEqual(view.messages.map(message => message.id));
		expect(state.selectedId).toBe(erasedId);
		expect(state.bin).toEqual([]);
	});

	it('erases the message being played', () => {
		const view = tape();
		const {effects} = run(loaded(view), {type: 'play', now: 0}, {type: 'erase'});
		expect(effects.slice(1)).toEqual([{type: 'stop-playing'}, {type: 'erase', ids: [view.messages[1]!.id]}]);
	});

	it('asks before erasing all heard messages, and keeps kept ones', () => {
		const kept = fakeMessage({heard: true, keep: true});
		const heard = fakeMessage({heard: true});
		const view = tape([kept, heard, fakeMessage()]);
		let {state, effects} = run(loaded(view), {type: 'erase-heard'});
		expect(state.mode.kind).toBe('confirm-erase-heard');
		expect(effects).toEqual([]);
		expect(run(state, {type: 'confirm', yes: false}).effects).toEqual([]);
		({state, effects} = run(state, {type: 'confirm', yes: true}));
		expect(effects).toEqual([{type: 'erase', ids: [heard.id]}]);
		expect(state.mode.kind).toBe('idle');
	});

	it('records, and stops on the same key, saving once', () => {
		let {state, effects} = run(loaded(), {type: 'record'});
		expect(effects).toEqual([{type: 'start-recording', for: 'everyone'}]);
		expect(state.mode.kind).toBe('recording');
		({state, effects} = run(state, {type: 'recording-started', now: 5000, limitMs: 60_000}));
		expect(state.mode).toMatchObject({kind: 'recording', startedAt: 5000});
		({state, effects} = run(state, {type: 'record'}, {type: 'stop'}, {type: 'play', now: 0}));
		expect(effects).toEqual([{type: 'stop-recording'}]);
		({state, effects} = run(state, {type: 'recording-ended', text: 'Saved message 0:05.', tone: 'good'}));
		expect(state.mode.kind).toBe('idle');
		expect(state.notice?.text).toBe('Saved message 0:05.');
	});

	it('saves a recording in progress before quitting', () => {
		let {state, effects} = run(loaded(), {type: 'record'}, {type: 'quit'});
		expect(effects).toEqual([{type: 'start-recording', for: 'everyone'}, {type: 'stop-recording'}]);
		expect(state.quitting).toBe(true);
		({state, effects} = run(state, {type: 'recording-ended', text: 'Saved.', tone: 'good'}));
		expect(effects).toEqual([{type: 'exit'}]);
	});

	it('stops the player before quitting', () => {
		const {effects} = run(loaded(), {type: 'play', now: 0}, {type: 'quit'});
		expect(effects.slice(1)).toEqual([{type: 'stop-playing'}, {type: 'exit'}]);
	});

	it('stops playing a message that another terminal erased', () => {
		const view = tape();
		const playing = run(loaded(view), {type: 'play', now: 0}).state;
		const {state, effects} = run(playing, {type: 'tape-changed', tape: tape([view.messages[0]!, view.messages[2]!])});
		expect(effects).toEqual([{type: 'stop-playing'}]);
		expect(state.mode.kind).toBe('idle');
	});

	it('keeps the cursor on a neighbour when the selected message disappears', () => {
		const view = tape([fakeMessage({heard: true}), fakeMessage({heard: true}), fakeMessage({heard: true})]);
		const moved = run(loaded(view), {type: 'select', by: -1}).state;
		expect(moved.selectedId).toBe(view.messages[1]!.id);
		const {state} = run(moved, {type: 'tape-changed', tape: tape([view.messages[0]!, view.messages[2]!])});
		expect(state.selectedId).toBe(view.messages[2]!.id);
	});

	it('opens and closes help only when idle', () => {
		const help = run(loaded(), {type: 'help'}).state;
		expect(help.mode.kind).toBe('help');
		expect(run(help, {type: 'help'}).state.mode.kind).toBe('idle');
		expect(run(help, {type: 'stop'}).state.mode.kind).toBe('idle');
		const recording = run(loaded(), {type: 'record'}).state;
		expect(run(recording, {type: 'help'}).state.mode.kind).toBe('recording');
	});

	it('shows one mailbox at a time: Tab goes round, numbers jump, 0 shows all', () => {
		const forSam = fakeMessage({for: 'sam'});
		const forAll = fakeMessage();
		const forJo = fakeMessage({for: 'jo'});
		const state = loaded(tape([forSam, forAll, forJo], [], ['sam', 'jo']));
		expect(mailboxOrder(state)).toEqual(['everyone', 'sam', 'jo']);
		const tabbed = run(state, {type: 'next-mailbox'}).state;
		expect(tabbed.mailbox).toBe('everyone');
		expect(visibleMessages(tabbed)).toEqual([forAll]);
		expect(tabbed.selectedId).toBe(forAll.id);
		expect(run(tabbed, {type: 'next-mailbox'}, {type: 'next-mailbox'}).state.mailbox).toBe('jo');
		expect(run(tabbed, {type: 'next-mailbox'}, {type: 'next-mailbox'}, {type: 'next-mailbox'}).state.mailbox).toBeUndefined();
		const sam = run(state, {type: 'choose-mailbox', index: 2}).state;
		expect(visibleMessages(sam)).toEqual([forSam]);
		// Playing within a mailbox plays only its messages.
		expect(run(sam, {type: 'play', now: 0}).effects).toEqual([{type: 'play', id: forSam.id, file: forSam.file}]);
		expect(run(sam, {type: 'choose-mailbox', index: 0}).state.mailbox).toBeUndefined();
		expect(run(sam, {type: 'choose-mailbox', index: 7}).state.mailbox).toBe('sam');
	});

	it('asks who a message is for when housemates are named', () => {
		const state = loaded(tape([], [], ['sam', 'jo']));
		let step = run(state, {type: 'record'});
		expect(step.state.mode.kind).toBe('choose-recipient');
		expect(step.effects).toEqual([]);
		expect(run(step.state, {type: 'recipient', index: 3}).effects).toEqual([{type: 'start-recording', for: 'jo'}]);
		expect(run(step.state, {type: 'recipient', index: 0}).effects).toEqual([{type: 'start-recording', for: 'everyone'}]);
		expect(run(step.state, {type: 'stop'}).state.mode.kind).toBe('idle');
		// Enter takes the mailbox being shown.
		step = run(state, {type: 'choose-mailbox', index: 2}, {type: 'record'}, {type: 'recipient', index: 0});
		expect(step.effects).toEqual([{type: 'start-recording', for: 'sam'}]);
	});

	it('records for everyone straight away when nobody is named', () => {
		expect(run(loaded(), {type: 'record'}).effects).toEqual([{type: 'start-recording', for: 'everyone'}]);
	});

	it('opens the greeting menu with g: play, record or reset the greeting', () => {
		const menu = run(loaded(), {type: 'greeting'}).state;
		expect(menu.mode.kind).toBe('greeting-menu');
		expect(run(menu, {type: 'greeting-choice', choice: 'play'}).effects).toEqual([{type: 'play-greeting'}]);
		const recording = run(menu, {type: 'greeting-choice', choice: 'record'});
		expect(recording.state.mode).toMatchObject({kind: 'recording', target: 'greeting'});
		expect(recording.effects).toEqual([{type: 'record-greeting'}]);
		expect(run(recording.state, {type: 'stop'}).effects).toEqual([{type: 'stop-recording'}]);
		expect(run(menu, {type: 'greeting-choice', choice: 'reset'}).effects).toEqual([{type: 'reset-greeting'}]);
		expect(run(menu, {type: 'stop'}).state.mode.kind).toBe('idle');
	});

	it('counts progress from the start of the message, after its spoken stamp', () => {
		const view = tape();
		const playing = run(loaded(view), {type: 'play', now: 1000}).state;
		const started = run(playing, {type: 'message-started', id: view.messages[1]!.id, now: 3200}).state;
		expect(started.mode).toMatchObject({kind: 'playing', startedAt: 3200});
		// A stray event for another message changes nothing.
		expect(run(started, {type: 'message-started', id: view.messages[2]!.id, now: 9000}).state.mode).toMatchObject({startedAt: 3200});
	});

	it('says so when there is nothing to play or undo', () => {
		const empty = loaded(tape([]));
		expect(run(empty, {type: 'play', now: 0}).state.notice?.text).toBe('No messages.');
		expect(run(empty, {type: 'undo'}).state.notice?.text).toBe('Nothing to undo.');
	});
});
