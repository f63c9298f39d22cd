// The bridge between the pure machine and React: holds the machine's state,
// dispatches actions, and hands the effects of each step to the effect runner
// (effect-runner.ts), which carries them out and feeds what happens back in.
import {useApp} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import type {Level} from '../pcm/level.js';
import {initialState, transition, type Action, type State} from '../machine/machine.js';
import {EffectRunner, stampOf} from './effect-runner.js';
import type {MachinePorts} from './ports.js';

export function useMachine(ports: MachinePorts) {
	const {exit} = useApp();
	// The machine's state lives in a ref so that every action sees the result
	// of the one before, even when React batches renders; the effects of each
	// step run once, right after it. (With useReducer, two actions batched into
	// one render would lose the first one's effects.)
	const machine = useRef<State>(initialState);
	const [state, setState] = useState<State>(initialState);
	const runner = useRef<EffectRunner | undefined>(undefined);
	const dispatch = useCallback((action: Action) => {
		const step = transition(machine.current, action);
		machine.current = step.state;
		setState(step.state);
		for (const effect of step.effects) {
			runner.current?.run(effect);
		}
	}, []);

	// Ink's exit as of the last render, so that a new one never restarts the runner.
	const latestExit = useRef(exit);
	useEffect(() => {
		latestExit.current = exit;
	}, [exit]);

	// One runner per set of ports: it reads the tape and follows it, and when
	// the screen goes away nothing keeps sounding or listening.
	useEffect(() => {
		const created = new EffectRunner(ports, dispatch, {
			machineState: () => machine.current,
			exit() {
				latestExit.current();
			},
		});
		runner.current = created;
		created.watchTape();
		return () => {
			created.dispose();
		};
	}, [ports, dispatch]);

	// Said once, when the screen opens: where the sound will be heard.
	useEffect(() => {
		if (ports.soundNotice) {
			dispatch({type: 'notice', text: ports.soundNotice, tone: 'warn'});
		}
	}, [ports, dispatch]);

	// A closed terminal or a kill ends the screen as q does.
	useEffect(() => ports.quitRequests?.(() => {
		dispatch({type: 'quit'});
	}), [ports, dispatch]);

	useStampAhead(runner, state, ports.speech !== undefined);

	const currentMode = useCallback(() => machine.current.mode, []);
	const readLevel = useCallback((): Level | undefined => runner.current?.readLevel(), []);
	return {state, dispatch, readLevel, currentMode};
}

/** Speaks the stamp of the message under the cursor ahead of time, so play starts at once. */
function useStampAhead(runner: {current: EffectRunner | undefined}, state: State, speaks: boolean): void {
	const {selectedId, messages, mailbox} = state;
	const recording = state.mode.kind === 'recording';
	const stamp = useMemo(
		() => (speaks && selectedId && !recording ? stampOf({messages, mailbox}, selectedId) : undefined),
		[speaks, selectedId, messages, mailbox, recording],
	);
	useEffect(() => {
		if (stamp === undefined) {
			return;
		}

		// Only once the cursor rests: holding j must not start a speech program per row.
		const timer = setTimeout(() => {
			runner.current?.prepareStamp(stamp);
		}, 200);
		return () => {
			clearTimeout(timer);
		};
	}, [runner, stamp]);
}
