// Syncthing's conflict copies, made by hand: settled by what they are a copy
// of, never listed, never a problem, never followed through a link.
import {copyFile, mkdir, readdir, readFile, stat, symlink, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseConflictName} from '../../src/tape/sync-names.js';
import {Tape} from '../../src/tape/store.js';
import {leaveMessage, tempTapeEachTest} from '../helpers/store.js';
import {waitFor} from '../helpers/wait-for.js';

let tape: Tape;
tempTapeEachTest(async fresh => {
	({tape} = fresh);
	// Syncthing's marker: only a synced store is looked at for conflict copies in messages/.
	await mkdir(path.join(fresh.dir, '.stfolder'));
});

const stamp = 'sync-conflict-20261130-120000-ABCDEFG';
const copyName = (name: string) => name.replace(/(\.[^.]+)$/, `.${stamp}$1`);

describe('conflict copy names', () => {
	it('are read strictly, and say which of the store\'s files they copy', () => {
		expect(parseConflictName(`settings.${stamp}.json`, 'root')).toEqual({original: 'settings.json', at: '2026-11-30T12:00:00Z', device: 'ABCDEFG', target: {kind: 'settings'}});
		expect(parseConflictName(`mailboxes.${stamp}.json`, 'root')?.target).toEqual({kind: 'mailboxes'});
		expect(parseConflictName(`greeting.${stamp}.wav`, 'root')?.target).toEqual({kind: 'greeting'});
		expect(parseConflictName(`20261127-072700-123-k7f3a2.${stamp}.json`, 'messages')?.target).toEqual({kind: 'message-json', id: '20261127-072700-123-k7f3a2'});
		expect(parseConflictName(`20261127-072700-123-k7f3a2.${stamp}.wav`, 'messages')?.target).toEqual({kind: 'message-wav', id: '20261127-072700-123-k7f3a2'});
		expect(parseConflictName(`20261127-072700-123-k7f3a2.state.kitchen-pi.${stamp}.json`, 'messages')?.target)
			.toEqual({kind: 'state', id: '20261127-072700-123-k7f3a2', writer: 'kitchen-pi'});
		// Anything else is a copy of something that is none of the store's own files, or no copy at all.
		expect(parseConflictName(`settings.${stamp}.json`, 'messages')?.target).toEqual({kind: 'unknown'});
		expect(parseConflictName(`..${stamp}.json`, 'messages')?.target).toEqual({kind: 'unknown'});
		expect(parseConflictName(`20261127-072700-123-k7f3a2.state.Kitchen.${stamp}.json`, 'messages')?.target).toEqual({kind: 'unknown'});
		for (const name of ['settings.json', 'settings.sync-conflict-20261130-120000-abcdefg.json', 'settings.sync-conflict-2026113-120000-ABCDEFG.json', 'settings.sync-conflict-20261130-120000-ABCDEF.json', 'settings.sync-conflict-20261130-120000-ABCDEFG1.json']) {
			expect(parseConflictName(name, 'root'), name).toBeUndefined();
		}
	});
});

describe('settling conflict copies', () => {
	it('keeps the names of both mailboxes files, and the live settings', async () => {
		await tape.changeMailboxes(() => ['sam', 'jo']);
		await writeFile(path.join(tape.dir, `mailboxes.${stamp}.json`), JSON.stringify(['sam', 'alex', '../../etc', 42]));
		await tape.updateSettings({tapeMs: 30 * 60_000});
		const settings = await readFile(tape.settingsFile, 'utf8');
		await writeFile(path.join(tape.dir, `settings.${stamp}.json`), JSON.stringify({tapeMs: 60_000, maxMessageMs: 30_000, minMessageMs: 5000}));

		const actions = await tape.resolveConflicts();
		expect(actions.map(action => [path.basename(action.file), action.action]).sort()).toEqual([[`mailboxes.${stamp}.json`, 'merged'], [`settings.${stamp}.json`, 'removed']]);
		expect(await tape.readMailboxes()).toEqual(['sam', 'jo', 'alex']);
		expect(await readFile(tape.settingsFile, 'utf8')).toBe(settings);
		expect((await readdir(tape.dir)).filter(name => name.includes('sync-conflict'))).toEqual([]);
	});

	it('keeps the newer greeting', async () => {
		await writeFile(tape.greetingFile, 'live greeting');
		const older = path.join(tape.dir, `greeting.${stamp}.wav`);
		await writeFile(older, 'older greeting');
		await utimes(older, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
		await tape.resolveConflicts();
		expect(await readFile(tape.greetingFile, 'utf8')).toBe('live greeting');

		const newer = path.join(tape.dir, `greeting.sync-conflict-20261130-130000-BCDEFGH.wav`);
		await writeFile(newer, 'newer greeting');
		await utimes(tape.greetingFile, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
		await tape.resolveConflicts();
		expect(await readFile(tape.greetingFile, 'utf8')).toBe('newer greeting');
		expect((await readdir(tape.dir)).filter(name => name.includes('sync-conflict'))).toEqual([]);
	});

	it('removes a copy of a message\'s file that is the same, keeps one that differs out of the listing, and never reports either as a problem', async () => {
		const same = await leaveMessage(tape, {from: 'sam'});
		const differs = await leaveMessage(tape, {from: 'jo'});
		await copyFile(path.join(tape.messagesDir, `${same}.wav`), path.join(tape.messagesDir, copyName(`${same}.wav`)));
		await copyFile(path.join(tape.messagesDir, `${same}.json`), path.join(tape.messagesDir, copyName(`${same}.json`)));
		const different = path.join(tape.messagesDir, copyName(`${differs}.json`));
		const meta = JSON.parse(await readFile(path.join(tape.messagesDir, `${differs}.json`), 'utf8')) as Record<string, unknown>;
		await writeFile(different, JSON.stringify({...meta, from: 'someone else'}));
		// A state file's copy that is no state file at all is left where it is (and never a problem).
		const state = path.join(tape.messagesDir, `${same}.state.kitchen.${stamp}.json`);
		await writeFile(state, '{}');

		const before = await tape.snapshot({verify: true});
		expect(before.problems).toEqual([]);
		expect(before.messages.map(message => message.from)).toEqual(['sam', 'jo']);

		const reopened = await Tape.open(tape.dir);
		expect((await readdir(tape.messagesDir)).sort()).toEqual([`${same}.json`, `${same}.wav`, `${differs}.json`, `${differs}.wav`, path.basename(different), path.basename(state)].sort());
		const after = await reopened.snapshot({verify: true});
		expect(after.problems).toEqual([]);
		expect(after.messages.map(message => message.from)).toEqual(['sam', 'jo']);
		// The one that differs is named every time it is asked, for doctor to show.
		const actions = await reopened.resolveConflicts();
		expect(actions.filter(action => action.action === 'kept').map(action => path.basename(action.file))).toEqual([path.basename(different)]);
	});

	it('never follows or removes a link named like a conflict copy', async () => {
		const outside = path.join(tape.dir, 'outside.json');
		await writeFile(outside, '["mallory"]');
		const link = path.join(tape.dir, `mailboxes.${stamp}.json`);
		await symlink(outside, link);
		const id = await leaveMessage(tape);
		const linkedWav = path.join(tape.messagesDir, copyName(`${id}.wav`));
		await symlink(path.join(tape.messagesDir, `${id}.wav`), linkedWav);

		const actions = await tape.resolveConflicts();
		expect(actions.map(action => action.action)).toEqual(['left', 'left']);
		expect(await tape.readMailboxes()).toEqual([]);
		expect(await readdir(tape.dir)).toContain(path.basename(link));
		expect(await readdir(tape.messagesDir)).toContain(path.basename(linkedWav));
		expect((await tape.snapshot({verify: true})).problems).toEqual([]);
	});

	it('settles a copy that arrives while a screen watches', async () => {
		const id = await leaveMessage(tape);
		const changes: unknown[] = [];
		const stop = tape.watch(changed => changes.push(changed), {pollMs: 100});
		try {
			const copy = path.join(tape.messagesDir, copyName(`${id}.json`));
			await copyFile(path.join(tape.messagesDir, `${id}.json`), copy);
			await waitFor('the identical copy to be removed', async () => !(await readdir(tape.messagesDir)).includes(path.basename(copy)), {timeoutMs: 5000});
		} finally {
			stop();
		}
	});

	it('merges a state file\'s conflict copy into the live file: neither computer\'s change is lost, and the copy goes', async () => {
		const id = await leaveMessage(tape, {from: 'jo'});
		const live = path.join(tape.messagesDir, `${id}.state.kitchen.json`);
		const copy = path.join(tape.messagesDir, `${id}.state.kitchen.${stamp}.json`);
		const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, second)).toISOString();
		await writeFile(live, JSON.stringify({id, writer: 'kitchen', heard: {sam: {value: true, at: at(1)}}, keep: {value: false, at: at(0)}, erased: {value: null, at: at(0)}}));
		await writeFile(copy, JSON.stringify({id, writer: 'kitchen', heard: {jo: {value: true, at: at(2)}}, keep: {value: true, at: at(3)}, erased: {value: null, at: at(0)}}));
		await Tape.open(tape.dir);
		expect((await readdir(tape.messagesDir)).filter(name => name.includes('sync-conflict'))).toEqual([]);
		const merged = JSON.parse(await readFile(live, 'utf8')) as {heard: Record<string, {value: boolean}>; keep: {value: boolean}};
		expect([merged.heard['sam']?.value, merged.heard['jo']?.value, merged.keep.value]).toEqual([true, true, true]);
		const [message] = (await tape.snapshot()).messages;
		expect([message?.keep, message?.heardMarks['jo']?.value]).toEqual([true, true]);
	});

	it('removes a state file\'s copy whose changes the live file already holds, without writing the live file again', async () => {
		// Both computers merged the copy, and the other's merged file arrived
		// first: a rewrite here would hand Syncthing one more version to settle.
		const id = await leaveMessage(tape, {from: 'jo'});
		const live = path.join(tape.messagesDir, `${id}.state.kitchen.json`);
		const copy = path.join(tape.messagesDir, `${id}.state.kitchen.${stamp}.json`);
		const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, second)).toISOString();
		await writeFile(live, JSON.stringify({id, writer: 'kitchen', heard: {sam: {value: true, at: at(1)}, jo: {value: true, at: at(2)}}, keep: {value: true, at: at(3)}, erased: {value: null, at: at(0)}}));
		await writeFile(copy, JSON.stringify({id, writer: 'kitchen', heard: {jo: {value: true, at: at(2)}}, keep: {value: true, at: at(3)}, erased: {value: null, at: at(0)}}));
		const before = await stat(live);
		await Tape.open(tape.dir);
		expect((await readdir(tape.messagesDir)).filter(name => name.includes('sync-conflict'))).toEqual([]);
		const after = await stat(live);
		expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
	});
});
