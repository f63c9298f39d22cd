// A store shared through Syncthing: files still arriving, Syncthing's own
// files, and half a message whose other half is on its way are no problems;
// half a message that never gets its other half is, once its time is up.
import {mkdir, readdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {arrivalGraceMs} from '../../src/tape/scanner.js';
import {Tape} from '../../src/tape/store.js';
import {leaveMessage, tempTapeEachTest} from '../helpers/store.js';

let tape: Tape;
tempTapeEachTest(fresh => {
	({tape} = fresh);
});

const later = () => Date.now() + arrivalGraceMs + 1000;
const names = (problems: ReadonlyArray<{file: string}>) => problems.map(problem => path.basename(problem.file)).sort();

describe('a store shared through Syncthing', () => {
	it('passes over files still arriving and Syncthing\'s own files, in messages/, tmp/ and at the root, and never touches them', async () => {
		const id = await leaveMessage(tape);
		const litter: Array<[string, string]> = [
			[tape.messagesDir, '.syncthing.20261127-072700-123-k7f3a2.wav.tmp'],
			[tape.messagesDir, '~syncthing~20261127-072700-123-k7f3a2.json.tmp'],
			[tape.messagesDir, '.stignore'],
			[tape.tmpDir, '~syncthing~settings.json.123-abcd.part.tmp'],
			[tape.tmpDir, 'settings.json.123-abcd.sync-conflict-20261130-120000-ABCDEFG.part'],
			[tape.tmpDir, '20261127-072700-123-k7f3a2.sync-conflict-20261130-120000-ABCDEFG.json'],
			[tape.dir, '.stignore'],
			[tape.dir, '.syncthing.settings.json.tmp'],
		];
		for (const [dir, name] of litter) {
			await writeFile(path.join(dir, name), 'still arriving');
		}

		await mkdir(path.join(tape.messagesDir, '.stversions'));
		await mkdir(path.join(tape.tmpDir, '.stversions'));
		await mkdir(path.join(tape.dir, '.stfolder'));

		for (const now of [Date.now(), later()]) {
			const snapshot = await tape.snapshot({verify: true, now});
			expect(snapshot.problems).toEqual([]);
			expect(snapshot.messages.map(message => message.id)).toEqual([id]);
		}

		// Opening again (recovery sweeps tmp/) leaves every one of them where it was.
		await Tape.open(tape.dir);
		for (const [dir, name] of litter) {
			expect(await readFile(path.join(dir, name), 'utf8')).toBe('still arriving');
		}
	});

	it('waits for a message\'s other half, metadata or audio, and reports it once the grace period is over', async () => {
		const first = await leaveMessage(tape, {from: 'sam'});
		const second = await leaveMessage(tape, {from: 'jo'});
		// As Syncthing brings them: one message's audio is not here yet, the other's metadata.
		const aside = path.join(tape.dir, 'aside');
		await mkdir(aside);
		await rename(path.join(tape.messagesDir, `${first}.wav`), path.join(aside, 'first.wav'));
		await rename(path.join(tape.messagesDir, `${second}.json`), path.join(aside, 'second.json'));

		const now = await tape.snapshot({verify: true});
		expect(now.problems).toEqual([]);
		expect(now.messages).toEqual([]);
		// A screen looking again and again says nothing either.
		expect((await tape.snapshot({remember: true})).problems).toEqual([]);

		const afterGrace = await tape.snapshot({verify: true, now: later()});
		expect(names(afterGrace.problems)).toEqual([`${first}.json`, `${second}.wav`].sort());
		expect(afterGrace.problems.map(problem => problem.reason).sort()).toEqual(['audio without metadata', 'metadata without audio']);

		// The other halves arrive: both are listed.
		await rename(path.join(aside, 'first.wav'), path.join(tape.messagesDir, `${first}.wav`));
		await rename(path.join(aside, 'second.json'), path.join(tape.messagesDir, `${second}.json`));
		const whole = await tape.snapshot({verify: true, now: later()});
		expect(whole.problems).toEqual([]);
		expect(whole.messages.map(message => message.from).sort()).toEqual(['jo', 'sam']);
		expect((await readdir(tape.messagesDir)).length).toBe(4);
	});
});
