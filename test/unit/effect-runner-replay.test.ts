// Issue 12, item 6: the effect runner restarts the player for a change of
// speed, volume or place, once per read of the keyboard, paused if the
// machine is paused by then.
import {describe, expect, it} from 'vitest';
import type {PlayAdjust, Playback, Speaker} from '../../src/audio/ports.js';
import {initialState, transition, type Action, type State} from '../../src/machine/machine.js';
import type {Tape} from '../../src/tape/store.js';
import {EffectRunner} from '../../src/ui/effect-runner.js';
import {fakeMicrophone} from '../helpers/fake-audio.js';
import {tapeView} from '../helpers/machine.js';
import {fakeMessage} from '../helpers/messages.js';

type Played = {file: string; adjust: PlayAdjust | undefined; paused: boolean; stopped: boolean};

function recordingSpeaker(played: Played[]): Speaker {
	return {
		check: () => ({ok: true, program: 'fake'}),
		play(file, adjust): Playback {
			const entry: Played = {file, adjust, paused: false, stopped: false};
			played.push(entry);
			return {
				done: new Promise(() => undefined),
				stop() {
					entry.stopped = true;
				},
				pause() {
					entry.paused = true;
				},
				resume() {
					entry.paused = false;
				},
			};
		},
	};
}

const nextTurn = async () => new Promise(resolve => {
	setImmediate(resolve);
});

/** A machine playing its one message, its first player started: what it plays next is what the test did. */
async function playing() {
	const played: Played[] = [];
	const message = fakeMessage({durationMs: 30_000});
	let state: State = transition(initialState, {type: 'tape-changed', tape: tapeView([message])}).state;
	const dispatch = (action: Action) => {
		const step = transition(state, action);
		state = step.state;
		for (const effect of step.effects) {
			runner.run(effect);
		}
	};

	const runner: EffectRunner = new EffectRunner({tape: {} as Tape, microphone: fakeMicrophone(), speaker: recordingSpeaker(played), from: 'sam'}, dispatch, {machineState: () => state, exit() {}});
	dispatch({type: 'play', now: 0});
	dispatch({type: 'message-started', id: message.id, now: 0});
	// The first player starts once its stamp (none here) is known.
	await nextTurn();
	return {played, dispatch};
}

describe('restarting the player', () => {
	it('restarts once for keys that came together, with the last of them', async () => {
		const {played, dispatch} = await playing();
		// The runner says when the message began, by the clock: times are counted from then.
		const t0 = Date.now();
		for (let press = 0; press < 3; press++) {
			dispatch({type: 'adjust', what: 'volume', by: -1, now: t0 + 2000});
		}

		await nextTurn();
		expect(played).toHaveLength(2);
		expect(played[0]!.adjust).toBeUndefined();
		expect(played[1]!.adjust).toMatchObject({speed: 1, volume: 70});
		expect(played[1]!.adjust!.startMs).toBeGreaterThanOrEqual(2000);
		expect(played[1]!.adjust!.startMs).toBeLessThan(2100);
		expect(played[0]!.stopped).toBe(true);
	});

	it('starts paused when a pause came in the same read, after the change', async () => {
		const {played, dispatch} = await playing();
		const t0 = Date.now();
		dispatch({type: 'adjust', what: 'seek', by: 1, now: t0 + 1000});
		dispatch({type: 'pause', now: t0 + 1000});
		await nextTurn();
		expect(played).toHaveLength(2);
		expect(played[1]!.adjust!.startMs).toBeGreaterThanOrEqual(6000);
		expect(played[1]!.paused).toBe(true);
	});

	it('restarts nothing when playing stopped in the same read', async () => {
		const {played, dispatch} = await playing();
		dispatch({type: 'adjust', what: 'speed', by: 1, now: Date.now() + 1000});
		dispatch({type: 'stop'});
		await nextTurn();
		expect(played).toHaveLength(1);
	});
});
