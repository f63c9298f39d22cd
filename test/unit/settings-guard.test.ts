// Damaged or absurd settings never decide what is overwritten: settings.json
// is input anyone with write access to the folder can spoil, and a guess in
// its place once shrank a 30-minute tape to 20 and overwrote six messages.
import {execFileSync} from 'node:child_process';
import {readdir, rm, symlink, writeFile} from 'node:fs/promises';
import {hostname} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {UsageError} from '../../src/commands/context.js';
import {parseCommandLine, resolveOptions} from '../../src/options.js';
import {wavHeader} from '../../src/pcm/wav.js';
import {newMessageId} from '../../src/tape/message.js';
import {defaultSettings, parseSettings} from '../../src/tape/settings.js';
import {SettingsDamagedError, Tape} from '../../src/tape/store.js';
import {formatDuration, parseDuration} from '../../src/time.js';
import {pcm} from '../helpers/pcm.js';
import {tempFolders} from '../helpers/temp.js';

const newFolder = tempFolders('answerphone-guard-');

async function newTape(): Promise<Tape> {
	const folder = await newFolder();
	const tape = await Tape.open(path.join(folder, 'store'));
	await tape.updateSettings({tapeMs: 10_000, maxMessageMs: 3000, minMessageMs: 1000});
	return tape;
}

async function leave(tape: Tape, ms: number): Promise<string> {
	const draft = await tape.beginDraft({from: 'jo'});
	draft.write(pcm(ms, draft.id));
	const result = await draft.commit();
	if (result.status !== 'saved') {
		throw new Error(`not saved: ${result.status}`);
	}

	return result.message.id;
}

const nines = '9'.repeat(400);

describe('durations', () => {
	it('are at most a day wherever they are read', () => {
		expect(parseDuration('24h')).toBe(86_400_000);
		expect(() => parseDuration('24h1s')).toThrow(/at most 24h/);
		expect(() => parseDuration(nines)).toThrow(/at most 24h/);
		expect(() => parseDuration(`${nines}m`)).toThrow(/at most 24h/);
		expect(formatDuration(86_400_000)).toBe('24h');
		expect(formatDuration(5_400_000)).toBe('1h30m');
	});

	it('out of range on the command line are one usage line naming the range', () => {
		const refusal = (argv: string[]) => {
			try {
				resolveOptions(parseCommandLine(argv).flags, {}, '/nonexistent/config.json');
			} catch (error) {
				expect(error).toBeInstanceOf(UsageError);
				return (error as Error).message;
			}

			return 'accepted';
		};

		expect(refusal(['settings', '--tape', nines])).toBe(`--tape must be a duration from 1s to 24h, not "${nines.slice(0, 58)}…`);
		expect(refusal(['settings', '--tape', '0s'])).toBe('--tape must be a duration from 1s to 24h, not "0s"');
		expect(refusal(['settings', '--max-message', '30h'])).toBe('--max-message must be a duration from 0s to 24h, not "30h"');
		expect(refusal(['settings', '--min-message', '25h'])).toBe('--min-message must be a duration from 0s to 24h, not "25h"');
		expect(refusal(['record', '--silence', '48h'])).toBe('--silence must be a duration from 0s to 24h, not "48h"');
		expect(refusal(['settings', '--tape', 'long'])).toBe('--tape: "long" is not a duration (write it like 20m, 90s or 1m30s)');
		expect(refusal(['settings', '--tape', '24h', '--min-message', '0s'])).toBe('accepted');
	});
});

describe('settings values', () => {
	it('out of range are refused on write, and nothing is written', async () => {
		const tape = await newTape();
		for (const change of [
			{maxMessageMs: -5}, {minMessageMs: 1e308}, {minMessageMs: -1}, {tapeMs: Infinity}, {tapeMs: Number.NaN},
			{tapeMs: 25 * 3_600_000}, {tapeMs: 500, maxMessageMs: 500}, {minMessageMs: 3000}, {tapeMs: 2000}, {maxMessageMs: 1500.5},
		]) {
			await expect(tape.updateSettings(change), JSON.stringify(change)).rejects.toThrow();
		}

		expect(await tape.readSettings()).toEqual({tapeMs: 10_000, maxMessageMs: 3000, minMessageMs: 1000});
	});

	it('out of range or of the wrong type make the file damaged on read, and missing ones are the defaults', () => {
		for (const json of [
			{maxMessageMs: -5}, {minMessageMs: 1e308}, {tapeMs: null}, {tapeMs: '30m'}, {tapeMs: 25 * 3_600_000},
			{tapeMs: 30_000}, {maxMessageMs: 60_000, minMessageMs: 60_000}, [], 'tape', null, 7,
		]) {
			expect(parseSettings(json).ok, JSON.stringify(json)).toBe(false);
		}

		expect(parseSettings({})).toEqual({ok: true, settings: defaultSettings});
		expect(parseSettings({tapeMs: 1_800_000, other: 'x'})).toEqual({ok: true, settings: {...defaultSettings, tapeMs: 1_800_000}});
	});
});

describe('a damaged settings.json', () => {
	const damages: Array<[string, (file: string) => Promise<void>]> = [
		['truncated', async file => writeFile(file, '{\n\t"tapeMs": 1800000,\n\t"maxMess')],
		['a negative limit', async file => writeFile(file, '{"tapeMs": 1800000, "maxMessageMs": -5, "minMessageMs": 1000}')],
		['an absurd minimum', async file => writeFile(file, '{"minMessageMs": 1e308}')],
		['of the wrong type', async file => writeFile(file, '{"tapeMs": "30m"}')],
		['a link', async file => {
			const target = `${file}.elsewhere`;
			await writeFile(target, '{"tapeMs": 1800000}');
			await rm(file);
			await symlink(target, file);
		}],
		['a FIFO', async file => {
			await rm(file);
			execFileSync('mkfifo', [file]);
		}],
	];

	it.for(damages)('(%s) stops recording and setting changes with one clear line', async ([, damage]) => {
		const tape = await newTape();
		const kept = [await leave(tape, 3000), await leave(tape, 3000), await leave(tape, 3000)];
		await damage(tape.settingsFile);

		const refused = await tape.beginDraft({from: 'sam'}).then(() => undefined, (error: unknown) => error);
		expect(refused).toBeInstanceOf(SettingsDamagedError);
		expect((refused as Error).message).not.toContain('\n');
		expect((refused as Error).message).toMatch(/settings\.json is (damaged \(.+\)|not a regular file \(a link.+\)): .*answerphone settings --repair --tape DUR.*deleted/);
		await expect(tape.updateSettings({maxMessageMs: 2000})).rejects.toBeInstanceOf(SettingsDamagedError);
		await expect(tape.readSettings()).rejects.toBeInstanceOf(SettingsDamagedError);

		// Reading goes on, and says why nothing can be recorded.
		const snapshot = await (await Tape.open(tape.dir)).snapshot();
		expect(snapshot.messages.map(message => message.id)).toEqual(kept);
		expect(snapshot.settingsDamage).toMatch(/./);
	});

	it('stops a recording begun before it from being placed, and leaves it in tmp/ until repaired', async () => {
		const tape = await newTape();
		const before = [await leave(tape, 3000), await leave(tape, 3000), await leave(tape, 3000)];
		const draft = await tape.beginDraft({from: 'sam'});
		draft.write(pcm(3000, draft.id));
		await writeFile(tape.settingsFile, '{"tapeMs": 1800000, "max');
		await expect(draft.commit()).rejects.toBeInstanceOf(SettingsDamagedError);
		expect((await tape.snapshot()).messages.map(message => message.id)).toEqual(before);
		expect((await readdir(tape.tmpDir)).sort()).toEqual([`${draft.id}.json`, `${draft.id}.wav`]);
	});

	it('leaves an abandoned recording in tmp/ rather than overwrite for it, until repaired', async () => {
		const tape = await newTape();
		const before = [await leave(tape, 3000), await leave(tape, 3000), await leave(tape, 3000)];
		// What a recording whose owner died leaves: its note (a pid that cannot be alive) and its audio.
		const id = newMessageId(new Date());
		const audio = pcm(3000, id);
		await writeFile(path.join(tape.tmpDir, `${id}.wav`), Buffer.concat([wavHeader(audio.length), audio]));
		await writeFile(path.join(tape.tmpDir, `${id}.json`), JSON.stringify({id, for: 'everyone', from: 'sam', createdAt: new Date().toISOString(), pid: 2 ** 22 + 1, host: hostname()}));
		await writeFile(tape.settingsFile, '[');

		const reopened = await Tape.open(tape.dir);
		expect((await reopened.snapshot()).messages.map(message => message.id)).toEqual(before);
		expect(await readdir(tape.tmpDir)).toContain(`${id}.wav`);

		await reopened.updateSettings({tapeMs: 10_000, maxMessageMs: 3000}, {repair: true});
		const repaired = await Tape.open(tape.dir);
		const after = (await repaired.snapshot()).messages;
		expect(after.map(message => message.id)).toContain(id);
		expect(after).toHaveLength(3);
	});

	it('still lets messages be marked, kept and erased: none of those overwrites anything', async () => {
		const tape = await newTape();
		const id = await leave(tape, 2000);
		await writeFile(tape.settingsFile, '{');
		await tape.mark([id], true);
		await tape.keep([id], true);
		await tape.erase([id]);
		await tape.restore([id]);
		expect((await tape.snapshot()).messages).toMatchObject([{id, heard: true, keep: true}]);
	});

	it('is repaired with the values given and the defaults for the rest', async () => {
		const tape = await newTape();
		await writeFile(tape.settingsFile, '{"tapeMs": 18');
		await expect(tape.updateSettings({tapeMs: 1_800_000})).rejects.toBeInstanceOf(SettingsDamagedError);
		expect(await tape.updateSettings({tapeMs: 1_800_000}, {repair: true})).toEqual({...defaultSettings, tapeMs: 1_800_000});
		expect(await tape.readSettings()).toEqual({...defaultSettings, tapeMs: 1_800_000});
		expect((await tape.snapshot()).settingsDamage).toBeUndefined();
	});
});
