// The effect runner without Ink: effects go in, and what comes out is real
// (files on a temp tape, sounds asked of the fake speaker, actions dispatched).
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {beepSettleMs} from '../../src/audio/call.js';
import type {Speech} from '../../src/audio/speech.js';
import {initialState, transition, type Action, type State} from '../../src/machine/machine.js';
import type {Tape} from '../../src/tape/store.js';
import {EffectRunner} from '../../src/ui/effect-runner.js';
import type {MachinePorts} from '../../src/ui/ports.js';
import {fakeMicrophone, fakeSpeaker, missingMicrophone, type FakeMicrophone, type FakeSpeaker} from '../helpers/fake-audio.js';
import {leaveMessage, tempTapeEachTest} from '../helpers/store.js';

let tape: Tape;
let speaker: FakeSpeaker;
let microphone: FakeMicrophone;
let actions: Action[];
let state: State;
let runner: EffectRunner | undefined;

/** A runner whose actions are recorded and fed to the real machine, as the screen does (its effects are not run). */
function start(overrides: Partial<MachinePorts> = {}): EffectRunner {
	const ports: MachinePorts = {tape, microphone, speaker, from: 'sam', pollMs: 100, ...overrides};
	runner = new EffectRunner(ports, action => {
		actions.push(action);
		state = transition(state, action).state;
	}, {machineState: () => state, exit() {}});
	return runner;
}

function dispatched<T extends Action['type']>(type: T): Array<Extract<Action, {type: T}>> {
	return actions.filter((action): action is Extract<Action, {type: T}> => action.type === type);
}

async function loaded(started: EffectRunner): Promise<void> {
	started.watchTape();
	await vi.waitFor(() => {
		expect(dispatched('tape-changed')).not.toHaveLength(0);
	});
}

/** Waits until the greeting and the beep are over and the microphone's sound is being kept. */
async function afterTheBeep(): Promise<void> {
	await vi.waitFor(() => {
		expect(microphone.isOpen()).toBe(true);
	});
	await new Promise(resolve => {
		setTimeout(resolve, beepSettleMs + 50);
	});
}

function fakeSpeech(): Speech & {said: string[]} {
	const said: string[] = [];
	return {
		said,
		async render(text) {
			said.push(text);
			return path.join('/stamps', `stamp-${said.length}.wav`);
		},
		async dispose() {},
	};
}

tempTapeEachTest(fresh => {
	({tape} = fresh);
	speaker = fakeSpeaker();
	microphone = fakeMicrophone();
	actions = [];
	state = initialState;
}, () => {
	runner?.dispose();
	runner = undefined;
});

describe('the effect runner', () => {
	it('plays the stamp, then the message, and says when the message itself starts and ends', async () => {
		const id = await leaveMessage(tape, {from: 'jo'});
		const speech = fakeSpeech();
		const started = start({speech});
		await loaded(started);
		const message = state.messages.find(candidate => candidate.id === id)!;
		started.run({type: 'play', id, file: message.file});
		await vi.waitFor(() => {
			expect(speaker.played).toEqual(['/stamps/stamp-1.wav']);
		});
		expect(speech.said[0]).toMatch(/^Message 1\. \w+, \d+:\d\d [AP]M\.$/);
		expect(dispatched('message-started')).toHaveLength(0);
		speaker.finish();
		await vi.waitFor(() => {
			expect(speaker.played).toEqual(['/stamps/stamp-1.wav', message.file]);
		});
		await vi.waitFor(() => {
			expect(dispatched('message-started')).toMatchObject([{id}]);
		});
		speaker.finish();
		await vi.waitFor(() => {
			expect(dispatched('playback-ended')).toMatchObject([{id}]);
		});
	});

	it('plays the message alone without a speech program', async () => {
		const id = await leaveMessage(tape);
		const started = start();
		await loaded(started);
		started.run({type: 'play', id, file: state.messages[0]!.file});
		await vi.waitFor(() => {
			expect(dispatched('message-started')).toHaveLength(1);
		});
		expect(speaker.played).toEqual([state.messages[0]!.file]);
		started.dispose();
		expect(speaker.stopped).toBe(1);
	});

	it('records a message after the greeting and the beep, saves it and tells the machine', async () => {
		const started = start({quickMemo: false});
		started.run({type: 'start-recording', for: 'jo'});
		await afterTheBeep();
		expect(speaker.sounds).toEqual(['greeting.wav', 'beep.wav']);
		microphone.speak(2000);
		await vi.waitFor(() => {
			expect(dispatched('recording-started')).toHaveLength(1);
		});
		expect(started.readLevel()?.rmsDb).toBeGreaterThan(-45);
		started.run({type: 'stop-recording'});
		await vi.waitFor(() => {
			expect(dispatched('recording-ended')).toEqual([{type: 'recording-ended', text: 'Saved message 0:02.', tone: 'good'}]);
		});
		const {messages} = await tape.snapshot();
		expect(messages).toMatchObject([{from: 'sam', for: 'jo', durationMs: 2000}]);
		// The screen is shown the new message without waiting for the watcher.
		await vi.waitFor(() => {
			expect(dispatched('tape-changed').at(-1)?.tape.messages.map(message => message.id)).toEqual([messages[0]!.id]);
		});
		expect(started.readLevel()).toBeUndefined();
	});

	it('cancels a recording stopped before its draft is even open', async () => {
		const started = start();
		started.run({type: 'start-recording', for: 'everyone'});
		started.run({type: 'stop-recording'});
		await vi.waitFor(() => {
			expect(dispatched('recording-ended')).toEqual([{type: 'recording-ended', text: 'Cancelled: nothing recorded.', tone: 'warn'}]);
		});
		expect((await tape.snapshot()).messages).toEqual([]);
		expect(dispatched('recording-started')).toEqual([]);
	});

	it('says how to install the recorder when there is none', async () => {
		const started = start({microphone: missingMicrophone()});
		started.run({type: 'start-recording', for: 'everyone'});
		await vi.waitFor(() => {
			expect(dispatched('recording-ended')).toMatchObject([{text: expect.stringContaining('sox is not installed') as string, tone: 'error'}]);
		});
	});

	it('records the greeting without one before the beep, then plays it instead of the built-in one', async () => {
		const started = start();
		started.run({type: 'play-greeting'});
		await vi.waitFor(() => {
			expect(dispatched('greeting-played')).toHaveLength(1);
		});
		expect(speaker.sounds).toEqual(['greeting.wav']);

		started.run({type: 'record-greeting'});
		await afterTheBeep();
		expect(speaker.sounds).toEqual(['greeting.wav', 'beep.wav']);
		microphone.speak(1500);
		started.run({type: 'stop-recording'});
		await vi.waitFor(() => {
			expect(dispatched('recording-ended')).toEqual([{type: 'recording-ended', text: 'New greeting saved (0:01).', tone: 'good'}]);
		});
		const custom = await tape.customGreeting();
		expect(custom).toBeDefined();

		started.run({type: 'play-greeting'});
		await vi.waitFor(() => {
			expect(speaker.played).toEqual([custom]);
		});
		speaker.finish();
		await vi.waitFor(() => {
			expect(dispatched('greeting-played')).toHaveLength(2);
		});
	});

	it('erases and then undoes in the order asked, even when asked at once', async () => {
		const id = await leaveMessage(tape, {from: 'jo'});
		// An erase that takes its time: an undo run beside it, not after it,
		// would find nothing to restore and the message would stay erased.
		const writes: string[] = [];
		const slowToErase = new Proxy(tape, {
			get(target, key) {
				if (key === 'erase' || key === 'restore') {
					return async (ids: string[]) => {
						writes.push(`${key} begins`);
						if (key === 'erase') {
							await new Promise(resolve => {
								setTimeout(resolve, 100);
							});
						}

						await target[key](ids);
						writes.push(`${key} ends`);
					};
				}

				const value: unknown = Reflect.get(target, key);
				return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
			},
		});
		const started = start({tape: slowToErase});
		await loaded(started);
		started.run({type: 'erase', ids: [id]});
		started.run({type: 'restore', id});
		await vi.waitFor(() => {
			expect(writes).toHaveLength(4);
		});
		expect(writes).toEqual(['erase begins', 'erase ends', 'restore begins', 'restore ends']);
		const snapshot = await tape.snapshot();
		expect(snapshot.messages.map(message => message.id)).toEqual([id]);
		expect(snapshot.bin).toEqual([]);
		// The last the screen is told agrees with the store.
		await vi.waitFor(() => {
			const last = dispatched('tape-changed').at(-1)!.tape;
			expect(last.messages.map(message => message.id)).toEqual([id]);
			expect(last.bin).toEqual([]);
		});
		expect(dispatched('notice')).toEqual([]);
	});

	it('tells the machine when a change to the tape fails', async () => {
		const started = start();
		await loaded(started);
		started.run({type: 'restore', id: '20260101-000000-000-aaaaaa'});
		await vi.waitFor(() => {
			expect(dispatched('notice')).toMatchObject([{tone: 'error'}]);
		});
	});
});
