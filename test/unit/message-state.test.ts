// A message's state as changes that merge: whatever order two computers'
// state files are read in, and however often, every reader gets the same
// state, and each change survives unless a later one of the same field
// replaces it.
import {readdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
	baseState, heardBy, heardByAddressee, heardMarkKey, household, listenersWhoHeard, mergeStates, type MessageState,
} from '../../src/tape/message-state.js';
import {Tape} from '../../src/tape/store.js';
import {leaveMessage, tempTape} from '../helpers/store.js';

const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, second)).toISOString();
const change = <T>(value: fc.Arbitrary<T>) => fc.record({value, at: fc.integer({min: 0, max: 20}).map(second => at(second))});
const state: fc.Arbitrary<MessageState> = fc.record({
	heard: fc.dictionary(fc.constantFrom('sam', 'jo', 'alex', '*'), change(fc.boolean())),
	keep: change(fc.boolean()),
	erased: change(fc.option(fc.constant(at(5)))),
});

describe('merging state files', () => {
	it('gives the same state whatever the order, and merging again changes nothing', () => {
		fc.assert(fc.property(fc.array(state, {maxLength: 5}), fc.nat(), (states, seed) => {
			const shuffled = [...states].sort((a, b) => ((JSON.stringify(a).length * 31) + seed) % 7 - ((JSON.stringify(b).length * 31) + seed) % 7);
			const merged = mergeStates(states);
			expect(mergeStates(shuffled)).toEqual(merged);
			expect(mergeStates([merged, ...states])).toEqual(merged);
			expect(mergeStates([mergeStates(states.slice(0, 2)), ...states.slice(2)])).toEqual(merged);
		}));
	});

	it('keeps each field\'s latest change: a keep on one computer survives a heard mark on another', () => {
		const none = baseState({heard: false, keep: false, erasedAt: null});
		const markedOnA: MessageState = {...none, heard: {sam: {value: true, at: at(10)}}};
		const keptOnB: MessageState = {...none, keep: {value: true, at: at(10)}};
		const merged = mergeStates([markedOnA, keptOnB]);
		expect(merged.keep.value).toBe(true);
		expect(merged.heard['sam']?.value).toBe(true);
	});

	it('orders erase and restore by time, and on the same millisecond keeps more', () => {
		const none = baseState({heard: false, keep: false, erasedAt: null});
		const erased: MessageState = {...none, erased: {value: at(3), at: at(3)}, keep: {value: false, at: at(4)}};
		const restoredLater: MessageState = {...none, erased: {value: null, at: at(4)}, keep: {value: true, at: at(4)}};
		expect(mergeStates([erased, restoredLater]).erased.value).toBeNull();
		expect(mergeStates([restoredLater, erased]).keep.value).toBe(true);
		const restoredSameTime: MessageState = {...none, erased: {value: null, at: at(3)}};
		expect(mergeStates([restoredSameTime, erased]).erased.value).toBe(at(3));
	});
});

describe('heard, per housemate', () => {
	it('a message for sam stays new for sam until sam hears it, whoever else played it', () => {
		const marks = {jo: {value: true, at: at(1)}};
		expect(heardBy({kind: 'housemate', name: 'sam'}, {for: 'sam', from: 'kim', heardMarks: marks})).toBe(false);
		expect(heardBy(household, {for: 'sam', from: 'kim', heardMarks: marks})).toBe(false);
		const samHeard = {...marks, sam: {value: true, at: at(2)}};
		expect(heardBy({kind: 'housemate', name: 'Sam'}, {for: 'sam', from: 'kim', heardMarks: samHeard})).toBe(true);
		expect(heardBy(household, {for: 'sam', from: 'kim', heardMarks: samHeard})).toBe(true);
	});

	it('one for everyone is new for each housemate until they hear it, and for the household until anyone does', () => {
		const marks = {jo: {value: true, at: at(1)}};
		expect(heardBy({kind: 'housemate', name: 'jo'}, {for: 'everyone', from: 'kim', heardMarks: marks})).toBe(true);
		expect(heardBy({kind: 'housemate', name: 'sam'}, {for: 'everyone', from: 'kim', heardMarks: marks})).toBe(false);
		expect(heardBy(household, {for: 'everyone', from: 'kim', heardMarks: marks})).toBe(true);
		expect(heardBy(household, {for: 'everyone', from: 'kim', heardMarks: {}})).toBe(false);
	});

	it('is never new for someone it is not for, nor for the one who left it', () => {
		expect(heardBy({kind: 'housemate', name: 'jo'}, {for: 'sam', from: 'kim', heardMarks: {}})).toBe(true);
		const josOwn = {for: 'everyone', from: 'Jo', heardMarks: {}};
		expect(heardBy({kind: 'housemate', name: 'jo'}, josOwn)).toBe(true);
		expect(heardBy({kind: 'housemate', name: 'sam'}, josOwn)).toBe(false);
		expect(heardBy(household, josOwn)).toBe(false);
	});

	it('an old store\'s heard: true counts as heard by everyone it was for; a later "new" by one of them is theirs alone', () => {
		const old = baseState({heard: true, keep: false, erasedAt: null}).heard;
		expect(heardBy({kind: 'housemate', name: 'sam'}, {for: 'everyone', from: 'kim', heardMarks: old})).toBe(true);
		expect(heardBy({kind: 'housemate', name: 'sam'}, {for: 'sam', from: 'kim', heardMarks: old})).toBe(true);
		const samAgain = {...old, sam: {value: false, at: at(1)}};
		expect(heardBy({kind: 'housemate', name: 'sam'}, {for: 'everyone', from: 'kim', heardMarks: samAgain})).toBe(false);
		expect(heardBy({kind: 'housemate', name: 'jo'}, {for: 'everyone', from: 'kim', heardMarks: samAgain})).toBe(true);
		expect(listenersWhoHeard(samAgain)).toEqual(['everyone']);
	});

	it('played in the household view, it is heard for its addressees', () => {
		expect(heardMarkKey(household, 'Sam')).toBe('sam');
		expect(heardMarkKey(household, 'everyone')).toBe('*');
		expect(heardMarkKey({kind: 'housemate', name: 'Jo'}, 'sam')).toBe('jo');
		const marks = {'*': {value: true, at: at(2)}};
		expect(heardByAddressee('everyone', marks)).toBe(true);
		expect(heardBy({kind: 'housemate', name: 'alex'}, {for: 'everyone', from: 'kim', heardMarks: marks})).toBe(true);
		// Marked new again in the household view: new for everyone.
		const again = {...marks, alex: {value: true, at: at(1)}, '*': {value: false, at: at(3)}};
		expect(heardByAddressee('everyone', again)).toBe(false);
	});
});

describe('state files on disk', () => {
	it('two computers\' changes to one message both survive, and each housemate has their own heard', async () => {
		const {tape, dir, remove} = await tempTape();
		try {
			const id = await leaveMessage(tape, {from: 'alex', for: 'everyone'});
			const samsView = await Tape.open(dir, {listener: {kind: 'housemate', name: 'sam'}});
			const josView = await Tape.open(dir, {listener: {kind: 'housemate', name: 'jo'}});
			process.env['ANSWERPHONE_COMPUTER'] = 'kitchen';
			await samsView.mark([id], true);
			process.env['ANSWERPHONE_COMPUTER'] = 'study';
			await josView.keep([id], true);
			expect((await readdir(tape.messagesDir)).filter(name => name.includes('.state.')).sort())
				.toEqual([`${id}.state.kitchen.json`, `${id}.state.study.json`]);
			const [forSam] = (await samsView.snapshot()).messages;
			const [forJo] = (await josView.snapshot()).messages;
			expect([forSam?.heard, forSam?.keep]).toEqual([true, true]);
			expect([forJo?.heard, forJo?.keep]).toEqual([false, true]);
			// The household: heard once anyone it was for has heard it.
			expect((await tape.snapshot()).messages[0]?.heard).toBe(true);
			// A message's own file never changes once placed.
			expect(JSON.parse(await readFile(path.join(tape.messagesDir, `${id}.json`), 'utf8'))).toMatchObject({heard: false, keep: false, erasedAt: null});
		} finally {
			process.env['ANSWERPHONE_COMPUTER'] = 'test-computer';
			await remove();
		}
	});

	it('empties the undo bin of what its state files say is erased, state files and all', async () => {
		const {tape, remove} = await tempTape();
		try {
			const [kept, erased] = [await leaveMessage(tape), await leaveMessage(tape)];
			await tape.erase([erased]);
			expect((await tape.emptyBin()).map(message => message.id)).toEqual([erased]);
			expect((await readdir(tape.messagesDir)).sort()).toEqual([`${kept}.json`, `${kept}.wav`]);
		} finally {
			await remove();
		}
	});

	it('reads a change kept in the message\'s own file (a full disk\'s last resort) like a state file\'s', async () => {
		const {tape, remove} = await tempTape();
		try {
			const id = await leaveMessage(tape, {for: 'everyone'});
			const file = path.join(tape.messagesDir, `${id}.json`);
			const own = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
			await writeFile(file, JSON.stringify({...own, state: {heard: {sam: {value: true, at: at(1)}}, keep: {value: true, at: at(1)}, erased: {value: null, at: at(0)}}}));
			const [message] = (await (await Tape.open(tape.dir, {listener: {kind: 'housemate', name: 'sam'}})).snapshot()).messages;
			expect([message?.heard, message?.keep]).toEqual([true, true]);
			// A later change of its own state file still wins.
			await tape.keep([id], false);
			expect((await tape.snapshot()).messages[0]?.keep).toBe(false);
		} finally {
			await remove();
		}
	});

	it('finishes an overwrite a kill -9 cut short at the next open, its state files too', async () => {
		const {tape, dir, remove} = await tempTape();
		try {
			const id = await leaveMessage(tape);
			await tape.mark([id], true);
			// Killed after the message's own file left for tmp/ and its audio went:
			// the state file and the marker are what is left.
			await rename(path.join(tape.messagesDir, `${id}.json`), path.join(tape.tmpDir, `${id}.evicted`));
			await rm(path.join(tape.messagesDir, `${id}.wav`));
			await Tape.open(dir);
			expect(await readdir(tape.messagesDir)).toEqual([]);
			expect(await readdir(tape.tmpDir)).toEqual([]);
		} finally {
			await remove();
		}
	});
});
