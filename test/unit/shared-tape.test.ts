// Several computers, one tape: what sharing leaves that no single computer
// would (state files of a message overwritten elsewhere; two recordings that
// together overfill the tape), and a store written by the previous version,
// which kept heard, keep and erasedAt in the message's own file.
import {cp, readdir, readFile, rm, symlink, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {wavHeader} from '../../src/pcm/wav.js';
import {newMessageId} from '../../src/tape/message.js';
import {planRoom, toRingEntry} from '../../src/tape/ring.js';
import {sweepOrphanStates} from '../../src/tape/recovery.js';
import {arrivalGraceMs} from '../../src/tape/scanner.js';
import {Tape} from '../../src/tape/store.js';
import {pcm} from '../helpers/pcm.js';
import {leaveMessage, tempTapeEachTest} from '../helpers/store.js';

let tape: Tape;
tempTapeEachTest(fresh => {
	({tape} = fresh);
}, () => {
	vi.useRealTimers();
});

const stateFiles = async (store: Tape) => (await readdir(store.messagesDir)).filter(name => name.includes('.state.')).sort();
const later = () => Date.now() + arrivalGraceMs + 1000;
const shared = async (store: Tape) => writeFile(path.join(store.dir, '.stignore'), '/lock\n/lock.*\n/tmp\n/disk-reserve\n/status\n');

describe('state files whose message is gone (orphans)', () => {
	it('are removed once the arrival grace is over; one that may be ahead of its message, or whose message is there, stays', async () => {
		const live = await leaveMessage(tape);
		const gone = newMessageId(new Date(Date.UTC(2026, 0, 1)));
		const arriving = newMessageId(new Date(Date.UTC(2026, 0, 2)));
		const audioOnly = newMessageId(new Date(Date.UTC(2026, 0, 3)));
		for (const id of [live, gone, arriving, audioOnly]) {
			await writeFile(path.join(tape.messagesDir, `${id}.state.elsewhere.json`), JSON.stringify({id, heard: {}}));
		}

		// Its audio is still coming in (Syncthing's temporary name), or only its audio is here yet.
		await writeFile(path.join(tape.messagesDir, `.syncthing.${arriving}.wav.tmp`), 'half');
		await writeFile(path.join(tape.messagesDir, `${audioOnly}.wav`), Buffer.concat([wavHeader(32_000), pcm(1000)]));
		// A link by a state file's name is never followed or removed.
		const link = `${newMessageId(new Date(Date.UTC(2026, 0, 4)))}.state.elsewhere.json`;
		await symlink('/etc/hostname', path.join(tape.messagesDir, link));

		expect(await sweepOrphanStates(tape, Date.now())).toEqual([]);
		expect(await sweepOrphanStates(tape, later())).toEqual([`${gone}.state.elsewhere.json`]);
		expect(await stateFiles(tape)).toEqual([link, ...[live, arriving, audioOnly].map(id => `${id}.state.elsewhere.json`)].sort());
	});

	it('are swept when a synced store is opened, and never shown meanwhile', async () => {
		await shared(tape);
		const gone = newMessageId(new Date(Date.UTC(2026, 0, 1)));
		const orphan = path.join(tape.messagesDir, `${gone}.state.elsewhere.json`);
		await writeFile(orphan, JSON.stringify({id: gone, keep: {value: true, at: '2026-01-01T00:00:00.000Z'}}));
		// Syncthing gives it the sender's time: old, but it landed just now.
		await utimes(orphan, new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 0, 1)));
		await Tape.open(tape.dir);
		const snapshot = await tape.snapshot({verify: true});
		expect([snapshot.messages, snapshot.bin, snapshot.problems]).toEqual([[], [], []]);
		expect(await stateFiles(tape)).toEqual([`${gone}.state.elsewhere.json`]);

		vi.useFakeTimers({toFake: ['Date']});
		vi.setSystemTime(later());
		await Tape.open(tape.dir);
		expect(await stateFiles(tape)).toEqual([]);
	});
});

describe('two computers recording into a nearly full shared tape at once', () => {
	/**
	 * Store A and a copy of it as B; each records one message on its own, and
	 * Syncthing then brings B's changes to A (its new message, its removals).
	 */
	async function recordOnBoth(sync: boolean): Promise<{before: string[]; union: string[]; onA: string[]; expected: string[]}> {
		await tape.updateSettings({tapeMs: 6000, maxMessageMs: 3000});
		const kept = await leaveMessage(tape, {from: 'sam'}, 1000);
		const erased = await leaveMessage(tape, {from: 'jo'}, 1000);
		const heard = [await leaveMessage(tape, {from: 'jo'}, 1000), await leaveMessage(tape, {from: 'sam'}, 1000)];
		const unheard = await leaveMessage(tape, {from: 'jo'}, 1000);
		await tape.keep([kept], true);
		await tape.erase([erased]);
		await tape.mark(heard, true);
		if (sync) {
			await shared(tape);
		}

		const dirB = `${tape.dir}-b`;
		await cp(tape.dir, dirB, {recursive: true});
		try {
			const tapeB = await Tape.open(dirB);
			const before = (await tape.snapshot()).messages.map(message => message.id);
			const namesBefore = await readdir(tape.messagesDir);
			const onlyA = await leaveMessage(tape, {from: 'alex'}, 2000);
			const onlyB = await leaveMessage(tapeB, {from: 'kim'}, 2000);
			// What the two recordings alone freed: the same on both (the bin first).
			const namesB = new Set(await readdir(tapeB.messagesDir));
			for (const name of namesBefore) {
				if (!namesB.has(name)) {
					await rm(path.join(tape.messagesDir, name), {force: true});
				}
			}

			for (const name of [`${onlyB}.json`, `${onlyB}.wav`]) {
				await cp(path.join(tapeB.messagesDir, name), path.join(tape.messagesDir, name));
			}

			const union = await tape.snapshot();
			const all = [...union.messages, ...union.bin];
			const evict = planRoom(all.map(message => toRingEntry(message)), 6000, 0);
			const expected = all.map(message => message.id).filter(id => !(evict.fits && evict.evict.includes(id)));
			await Tape.open(tape.dir);
			const onA = (await tape.snapshot()).messages.map(message => message.id);
			expect(onA).toContain(kept);
			expect(onA).toContain(unheard);
			expect(onA).toEqual(expect.arrayContaining([onlyA, onlyB]));
			return {before, union: union.messages.map(message => message.id), onA, expected};
		} finally {
			await rm(dirB, {recursive: true, force: true});
		}
	}

	it('overwrite, once both are there, what the ring would for the two together, and no more', async () => {
		const {union, onA, expected} = await recordOnBoth(true);
		expect(union).toHaveLength(6);
		expect(onA).toEqual(expected);
		expect(onA).toHaveLength(4);
		expect((await tape.snapshot()).usedMs).toBeLessThanOrEqual(6000);
	});

	it('leave a store that is not shared as it is until the next recording (a tape shrunk on purpose waits for it)', async () => {
		const {union, onA} = await recordOnBoth(false);
		expect(onA).toEqual(union);
	});
});

describe('the ring on a shared tape', () => {
	it('goes by heard as the household sees it, not as the listener who records', async () => {
		await tape.updateSettings({tapeMs: 3000, maxMessageMs: 2000});
		const older = await leaveMessage(tape, {from: 'kim', for: 'everyone'}, 1000);
		const heardByJo = await leaveMessage(tape, {from: 'kim', for: 'everyone'}, 1000);
		const other = await leaveMessage(tape, {from: 'alex', for: 'everyone'}, 1000);
		const jo = await Tape.open(tape.dir, {listener: {kind: 'housemate', name: 'jo'}});
		await jo.mark([heardByJo], true);
		// Sam has heard none of them, and records: the one jo heard goes first, whoever looks.
		const sam = await Tape.open(tape.dir, {listener: {kind: 'housemate', name: 'sam'}});
		expect((await sam.snapshot()).messages.every(message => !message.heard)).toBe(true);
		await leaveMessage(sam, {from: 'sam'}, 1000);
		const left = (await tape.snapshot()).messages.map(message => message.id);
		expect(left).toContain(older);
		expect(left).toContain(other);
		expect(left).not.toContain(heardByJo);
	});
});

describe('emptying the undo bin', () => {
	it('removes for good what was erased, here or on another computer, and nothing else', async () => {
		const [erasedHere, erasedElsewhere, live] = [await leaveMessage(tape), await leaveMessage(tape), await leaveMessage(tape)];
		await tape.erase([erasedHere]);
		process.env['ANSWERPHONE_COMPUTER'] = 'study';
		try {
			await tape.erase([erasedElsewhere]);
		} finally {
			process.env['ANSWERPHONE_COMPUTER'] = 'test-computer';
		}

		expect((await tape.emptyBin()).map(message => message.id).sort()).toEqual([erasedHere, erasedElsewhere].sort());
		expect((await readdir(tape.messagesDir)).filter(name => !name.startsWith('.')).sort()).toEqual([`${live}.json`, `${live}.wav`]);
		expect((await tape.snapshot({verify: true})).bin).toEqual([]);
	});
});

describe('a store written by the previous version', () => {
	it('opens unchanged and reads right; the first change writes a state file and never the message\'s own file', async () => {
		const id = (day: number) => newMessageId(new Date(Date.UTC(2025, 5, day)));
		const old = [
			{id: id(1), for: 'sam', from: 'jo', createdAt: '2025-06-01T10:00:00.000Z', durationMs: 1000, heard: true, keep: false, recovered: false, erasedAt: null, waveform: [1, 2]},
			{id: id(2), for: 'everyone', from: 'kim', createdAt: '2025-06-02T10:00:00.000Z', durationMs: 1000, heard: false, keep: true, recovered: false, erasedAt: null, waveform: [3]},
			{id: id(3), for: 'everyone', from: 'alex', createdAt: '2025-06-03T10:00:00.000Z', durationMs: 1000, heard: true, keep: true, recovered: false, erasedAt: '2025-06-04T10:00:00.000Z', waveform: []},
		];
		const texts = new Map<string, string>();
		for (const meta of old) {
			const text = JSON.stringify(meta, null, '\t') + '\n';
			texts.set(meta.id, text);
			await writeFile(path.join(tape.messagesDir, `${meta.id}.json`), text);
			await writeFile(path.join(tape.messagesDir, `${meta.id}.wav`), Buffer.concat([wavHeader(32_000), pcm(1000, meta.id)]));
		}

		const ownFiles = async () => Promise.all(old.map(async meta => readFile(path.join(tape.messagesDir, `${meta.id}.json`), 'utf8')));
		const unchanged = [...texts.values()];
		const opened = await Tape.open(tape.dir);
		const snapshot = await opened.snapshot({verify: true});
		expect(snapshot.messages.map(message => [message.id, message.heard, message.keep])).toEqual([[old[0]!.id, true, false], [old[1]!.id, false, true]]);
		expect(snapshot.bin.map(message => [message.id, message.erasedAt, message.keep])).toEqual([[old[2]!.id, '2025-06-04T10:00:00.000Z', true]]);
		const sam = await Tape.open(tape.dir, {listener: {kind: 'housemate', name: 'sam'}});
		expect((await sam.snapshot()).messages.map(message => message.heard)).toEqual([true, false]);
		expect(await ownFiles()).toEqual(unchanged);
		expect(await stateFiles(opened)).toEqual([]);

		await opened.mark([old[0]!.id], false);
		await opened.keep([old[1]!.id], false);
		await opened.restore([old[2]!.id]);
		await sam.mark([old[1]!.id], true);
		expect(await ownFiles()).toEqual(unchanged);
		expect(await stateFiles(opened)).toEqual(old.map(meta => `${meta.id}.state.test-computer.json`));
		const after = await opened.snapshot({verify: true});
		expect(after.messages.map(message => [message.id, message.heard, message.keep])).toEqual([
			[old[0]!.id, false, false], [old[1]!.id, true, false], [old[2]!.id, true, true],
		]);
		expect(after.bin).toEqual([]);
	});
});
