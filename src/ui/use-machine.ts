// The bridge between the pure machine and the ports: dispatches actions,
// carries out the effects the machine asks for, and feeds what happens
// (tape changes, playback ending, a recording saved) back in as actions.
import {useApp} from 'ink';
import {useCallback, useEffect, useReducer, useRef} from 'react';
import type {Level} from '../audio/level.js';
import type {Playback} from '../audio/ports.js';
import {Take, defaultTakeOptions} from '../audio/take.js';
import {
	initialState, transition, type Action, type Effect, type State,
} from '../machine/machine.js';
import {TapeFullError} from '../tape/store.js';
import {describeCommit} from '../tape/describe.js';
import type {MachinePorts} from './ports.js';

type Reduced = {state: State; effects: Effect[]};

function reduce({state}: Reduced, action: Action): Reduced {
	return transition(state, action);
}

export function useMachine(ports: MachinePorts) {
	const {exit} = useApp();
	const [{state, effects}, dispatch] = useReducer(reduce, {state: initialState, effects: []});
	const take = useRef<Take | undefined>(undefined);
	const playback = useRef<Playback | undefined>(undefined);
	const handled = useRef<Effect[] | undefined>(undefined);
	const rescan = useRescan(ports, dispatch);

	useEffect(() => {
		void rescan();
		const stopWatching = ports.tape.watch(() => void rescan(), {pollMs: ports.pollMs});
		return stopWatching;
	}, [ports, rescan]);

	// Each step's effects run exactly once, after React has committed the state.
	useEffect(() => {
		if (handled.current === effects) {
			return;
		}

		handled.current = effects;
		for (const effect of effects) {
			runEffect(effect);
		}
	});

	// Nothing keeps sounding or listening after the screen goes away.
	useEffect(() => () => {
		playback.current?.stop();
		take.current?.stop('key');
	}, []);

	function runEffect(effect: Effect): void {
		const failed = (error: unknown) => {
			dispatch({type: 'notice', text: (error as Error).message, tone: 'error'});
		};

		switch (effect.type) {
			case 'start-recording': {
				void startRecording(ports, take, dispatch, rescan);
				break;
			}

			case 'stop-recording': {
				take.current?.stop('key');
				break;
			}

			case 'play': {
				playback.current?.stop();
				const current = ports.speaker.play(effect.file);
				playback.current = current;
				void current.done.then(result => {
					if (playback.current === current) {
						playback.current = undefined;
					}

					if (result.status === 'finished') {
						dispatch({type: 'playback-ended', id: effect.id, now: Date.now()});
					} else if (result.status === 'failed') {
						dispatch({type: 'playback-failed', id: effect.id, reason: result.reason});
					}
				});
				break;
			}

			case 'stop-playing': {
				playback.current?.stop();
				playback.current = undefined;
				break;
			}

			case 'mark-heard': {
				ports.tape.mark([effect.id], true).then(rescan, failed);
				break;
			}

			case 'erase': {
				ports.tape.erase(effect.ids).then(rescan, failed);
				break;
			}

			case 'restore': {
				ports.tape.restore([effect.id]).then(rescan, failed);
				break;
			}

			case 'exit': {
				playback.current?.stop();
				exit();
				break;
			}
		}
	}

	const readLevel = useCallback((): Level | undefined => take.current?.level, []);
	return {state, dispatch, readLevel};
}

/** Rescans the tape, never two at once, and once more if a change came in meanwhile. */
function useRescan(ports: MachinePorts, dispatch: (action: Action) => void) {
	const running = useRef<Promise<void> | undefined>(undefined);
	const again = useRef(false);
	return useCallback(async (): Promise<void> => {
		if (running.current) {
			again.current = true;
			return running.current;
		}

		const run = (async () => {
			do {
				again.current = false;
				try {
					const snapshot = await ports.tape.snapshot();
					dispatch({
						type: 'tape-changed',
						tape: {
							messages: snapshot.messages,
							bin: snapshot.bin.map(message => message.id),
							usedMs: snapshot.usedMs,
							capacityMs: snapshot.settings.tapeMs,
							maxMessageMs: snapshot.settings.maxMessageMs,
							problems: snapshot.problems.length,
						},
					});
				} catch (error) {
					dispatch({type: 'notice', text: `cannot read the tape: ${(error as Error).message}`, tone: 'error'});
				}
			} while (again.current);
		})();
		running.current = run;
		try {
			await run;
		} finally {
			running.current = undefined;
		}
	}, [ports, dispatch]);
}

async function startRecording(
	ports: MachinePorts,
	take: {current: Take | undefined},
	dispatch: (action: Action) => void,
	rescan: () => Promise<void>,
): Promise<void> {
	const ended = (text: string, tone: 'good' | 'warn' | 'error') => {
		dispatch({type: 'recording-ended', text, tone});
	};

	const available = ports.microphone.check();
	if (!available.ok) {
		ended(available.reason, 'error');
		return;
	}

	let draft;
	try {
		draft = await ports.tape.beginDraft({from: ports.from});
	} catch (error) {
		ended(error instanceof TapeFullError ? 'TAPE FULL: nothing can be overwritten (every message is kept)' : `cannot record: ${(error as Error).message}`, 'error');
		return;
	}

	const current = new Take(draft, ports.microphone, ports.take ?? defaultTakeOptions);
	take.current = current;
	void current.listening.then(() => {
		dispatch({type: 'recording-started', now: Date.now(), limitMs: draft.limitMs});
	});
	const {reason, error} = await current.ended;
	take.current = undefined;
	try {
		if (error && draft.durationMs === 0) {
			await draft.discard();
			ended(error.message, 'error');
			return;
		}

		const result = await draft.commit();
		const {text, ok} = describeCommit(result, reason);
		ended(error ? `${text} (${error.message})` : text, ok ? 'good' : 'warn');
		await rescan();
	} catch (commitError) {
		ended(`the recording could not be saved: ${(commitError as Error).message}`, 'error');
	}
}
