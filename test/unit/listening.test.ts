// Issue 12, item 6: speed, volume and seeking in the pure machine, the flags
// that ask for them on the command line, and the SoX command that plays them.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {adjustedPlayArgs} from '../../src/audio/speaker.js';
import {UsageError} from '../../src/commands/context.js';
import {checkVerbFlags, parseCommandLine, resolveOptions} from '../../src/options.js';
import {initialState, positionMs, type Mode, type State} from '../../src/machine/machine.js';
import {run, tapeView} from '../helpers/machine.js';
import {fakeMessage} from '../helpers/messages.js';

function playing(): {state: State; file: string; id: string} {
	const message = fakeMessage({durationMs: 20_000});
	const loaded = run(initialState, {type: 'tape-changed', tape: tapeView([message])}).state;
	const state = run(loaded, {type: 'play', now: 0}, {type: 'message-started', id: message.id, now: 1000}).state;
	return {state, file: message.file, id: message.id};
}

function playingMode(state: State): Extract<Mode, {kind: 'playing'}> {
	expect(state.mode.kind).toBe('playing');
	return state.mode as Extract<Mode, {kind: 'playing'}>;
}

describe('listening at the screen', () => {
	it('restarts the player where the message had got to, faster, and counts the position at the new speed', () => {
		const {state, file, id} = playing();
		const faster = run(state, {type: 'adjust', what: 'speed', by: 1, now: 5000});
		expect(faster.effects).toEqual([{type: 'replay', id, file, fromMs: 4000, listening: {speed: 1.25, volume: 100}, paused: false}]);
		// 2 s later at 1.25× the message is 2.5 s further on.
		expect(positionMs(playingMode(faster.state), 7000)).toBe(6500);
	});

	it('turns the volume down and up in steps of 10, from 0 to 100', () => {
		const {state} = playing();
		let current = state;
		for (let press = 0; press < 12; press++) {
			current = run(current, {type: 'adjust', what: 'volume', by: -1, now: 2000}).state;
		}

		expect(current.listening.volume).toBe(0);
		const up = run(current, {type: 'adjust', what: 'volume', by: 1, now: 2000});
		expect(up.state.listening.volume).toBe(10);
		expect(up.effects).toMatchObject([{type: 'replay', listening: {volume: 10}}]);
	});

	it('seeks 5 s back and on within the message, never before its start or past its end', () => {
		const {state} = playing();
		expect(run(state, {type: 'adjust', what: 'seek', by: 1, now: 3000}).effects).toMatchObject([{type: 'replay', fromMs: 7000}]);
		expect(run(state, {type: 'adjust', what: 'seek', by: -1, now: 3000}).effects).toMatchObject([{type: 'replay', fromMs: 0}]);
		expect(run(state, {type: 'adjust', what: 'seek', by: 1, now: 19_000}).effects).toMatchObject([{type: 'replay', fromMs: 20_000}]);
	});

	it('keeps a paused message paused where it is after a change', () => {
		const {state} = playing();
		const paused = run(state, {type: 'pause', now: 4000}).state;
		const seeked = run(paused, {type: 'adjust', what: 'seek', by: 1, now: 9000});
		expect(seeked.effects).toMatchObject([{type: 'replay', fromMs: 8000, paused: true}]);
		expect(positionMs(playingMode(seeked.state), 30_000)).toBe(8000);
		const resumed = run(seeked.state, {type: 'pause', now: 30_000}).state;
		expect(positionMs(playingMode(resumed), 31_000)).toBe(9000);
	});

	it('sets speed and volume before playing, for the messages to come', () => {
		const message = fakeMessage();
		const loaded = run(initialState, {type: 'tape-changed', tape: tapeView([message])}).state;
		const set = run(loaded, {type: 'adjust', what: 'speed', by: -1, now: 0}, {type: 'adjust', what: 'volume', by: -1, now: 0});
		expect(set.state.notice?.text).toBe('Speed 0.75× · volume 90%');
		expect(run(set.state, {type: 'play', now: 0}).effects).toEqual([{type: 'play', id: message.id, file: message.file, listening: {speed: 0.75, volume: 90}}]);
		// As recorded, the plain player plays it.
		expect(run(loaded, {type: 'play', now: 0}).effects).toEqual([{type: 'play', id: message.id, file: message.file}]);
	});

	it('goes no slower than 0.5× and no faster than 2×', () => {
		const {state} = playing();
		let current = state;
		for (let press = 0; press < 8; press++) {
			current = run(current, {type: 'adjust', what: 'speed', by: 1, now: 2000}).state;
		}

		expect(current.listening.speed).toBe(2);
		for (let press = 0; press < 8; press++) {
			current = run(current, {type: 'adjust', what: 'speed', by: -1, now: 2000}).state;
		}

		expect(current.listening.speed).toBe(0.5);
	});
});

describe('SoX\'s play for an adjusted message', () => {
	it('trims to the position, keeps the pitch with tempo -s, and sets the volume', () => {
		expect(adjustedPlayArgs('/m.wav', {startMs: 6500, speed: 1.25, volume: 80})).toEqual(['-q', '/m.wav', 'trim', '6.500', 'tempo', '-s', '1.25', 'vol', '0.80']);
		expect(adjustedPlayArgs('/m.wav', {startMs: 0, speed: 1, volume: 100})).toEqual(['-q', '/m.wav']);
	});
});

describe('play --speed and --volume', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'answerphone-listening-'));
	});

	afterEach(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	function resolve(argv: string[]) {
		const {flags, positionals} = parseCommandLine(argv);
		checkVerbFlags(positionals[0], flags);
		return resolveOptions(flags, {}, path.join(dir, 'config.json'));
	}

	function refusal(argv: string[]): string {
		let caught: unknown;
		try {
			resolve(argv);
		} catch (error) {
			caught = error;
		}

		expect(caught).toBeInstanceOf(UsageError);
		expect((caught as UsageError).exitCode).toBe(2);
		expect((caught as Error).message).not.toContain('\n');
		return (caught as Error).message;
	}

	it('reads a speed and a volume, with or without %', () => {
		expect(resolve(['play', 'x', '--speed', '1.25', '--volume', '80'])).toMatchObject({speed: 1.25, volume: 80});
		expect(resolve(['play', 'x', '--volume', '80%'])).toMatchObject({volume: 80});
		expect(resolve(['play', 'x'])).toMatchObject({speed: undefined, volume: undefined});
	});

	it('refuses a speed or a volume out of range, or not a number, in one line', () => {
		expect(refusal(['play', 'x', '--speed', '3'])).toBe('--speed must be a speed from 0.5 to 2, like 1.25, not "3"');
		expect(refusal(['play', 'x', '--speed', 'fast'])).toContain('--speed must be a speed from 0.5 to 2');
		expect(refusal(['play', 'x', '--speed', ''])).toContain('--speed must be');
		expect(refusal(['play', 'x', '--volume', '120'])).toBe('--volume must be a volume from 0 to 100 (per cent), like 80 or 80%, not "120"');
		expect(refusal(['play', 'x', '--volume=-5'])).toContain('--volume must be');
		expect(refusal(['list', '--speed', '1.25'])).toContain('--speed does not apply to list');
	});
});
