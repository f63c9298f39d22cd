// The bridge between the pure machine and the ports: dispatches actions,
// carries out the effects the machine asks for, and feeds what happens
// (tape changes, playback ending, a recording saved) back in as actions.
import {useApp} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import type {Level} from '../pcm/level.js';
import type {Playback} from '../audio/ports.js';
import {assetFile} from '../audio/assets.js';
import {Announcer} from '../audio/announcer.js';
import {Call, type CallDraft} from '../audio/call.js';
import {playInSequence} from '../audio/sequence.js';
import {stampText} from '../audio/speech.js';
import {defaultTakeOptions, type StopReason, type TakeOptions} from '../audio/take.js';
import {
	initialState, transition, visibleMessages, type Action, type Effect, type State,
} from '../machine/machine.js';
import {TapeFullError, type ChangedFiles} from '../tape/store.js';
import {formatClock} from '../time.js';
import {describeCommit} from '../session/describe.js';
import type {MachinePorts} from './ports.js';

export function useMachine(ports: MachinePorts) {
	const {exit} = useApp();
	// The machine's state lives in a ref so that every action sees the result
	// of the one before, even when React batches renders; the effects of each
	// step run once, right after it. (With useReducer, two actions batched into
	// one render would lose the first one's effects.)
	const machine = useRef<State>(initialState);
	const [state, setState] = useState<State>(initialState);
	const recording = useRef<CallSlot>({call: undefined, stopRequested: false});
	const playback = useRef<Playback | undefined>(undefined);
	const effectRunner = useRef<(effect: Effect) => void>(() => undefined);
	const tapeChanges = useRef<Promise<unknown>>(Promise.resolve());
	const dispatch = useCallback((action: Action) => {
		const step = transition(machine.current, action);
		machine.current = step.state;
		setState(step.state);
		for (const effect of step.effects) {
			effectRunner.current(effect);
		}
	}, []);
	// Counts the changes this screen has made to the tape; a rescan that began
	// before one of them must not undo what the screen already shows of it.
	const localChanges = useRef({made: 0, written: 0});
	const rescan = useRescan(ports, dispatch, localChanges);
	const announcer = useAnnouncer(ports, state);

	useEffect(() => {
		void rescan();
		const stopWatching = ports.tape.watch(changed => void rescan(changed), {pollMs: ports.pollMs});
		return stopWatching;
	}, [ports, rescan]);

	// Nothing keeps sounding or listening after the screen goes away.
	useEffect(() => () => {
		playback.current?.stop();
		recording.current.call?.stop('key');
	}, []);

	effectRunner.current = runEffect;
	function runEffect(effect: Effect): void {
		// Changes to the tape run one after another in the order the keys came
		// (an erase, then its undo), and the screen is checked against the store
		// after each, whether it worked or not.
		const inOrder = (change: () => Promise<unknown>, ids: readonly string[] = []) => {
			localChanges.current.made++;
			tapeChanges.current = tapeChanges.current
				.then(change)
				.catch((error: unknown) => {
					dispatch({type: 'notice', text: (error as Error).message, tone: 'error'});
				})
				.finally(async () => {
					localChanges.current.written++;
					await rescan(new Set(ids));
				});
		};

		switch (effect.type) {
			case 'start-recording': {
				void startRecording(ports, effect.for, recording.current, dispatch, rescan);
				break;
			}

			case 'record-greeting': {
				void recordGreeting(ports, recording.current, dispatch);
				break;
			}

			case 'play-greeting': {
				playback.current?.stop();
				// Held at once, so s can stop it even while the greeting is looked up.
				const current = playInSequence(ports.speaker, ports.tape.customGreeting().then(custom => [{file: custom ?? assetFile('greeting.wav')}]));
				playback.current = current;
				void current.done.then(result => {
					dispatch({type: 'greeting-played'});
					if (result.status === 'failed') {
						dispatch({type: 'notice', text: result.reason, tone: 'error'});
					}
				});
				break;
			}

			case 'reset-greeting': {
				inOrder(async () => ports.tape.resetGreeting());
				break;
			}

			case 'stop-recording': {
				// The key may come while the draft is still being opened.
				recording.current.stopRequested = true;
				recording.current.call?.stop('key');
				break;
			}

			case 'play': {
				playback.current?.stop();
				const stamp = announcer ? announcer.prepare(stampFor(machine.current, effect.id)) : Promise.resolve(undefined);
				const parts = stamp.then(file => [...(file ? [{file, optional: true}] : []), {file: effect.file}]);
				const current = playInSequence(ports.speaker, parts, index => {
					void parts.then(list => {
						if (index === list.length - 1) {
							dispatch({type: 'message-started', id: effect.id, now: Date.now()});
						}
					});
				});
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

			case 'pause-playing': {
				playback.current?.pause();
				break;
			}

			case 'resume-playing': {
				playback.current?.resume();
				break;
			}

			case 'keep': {
				inOrder(async () => ports.tape.keep([effect.id], effect.keep), [effect.id]);
				break;
			}

			case 'mark-heard': {
				inOrder(async () => ports.tape.mark([effect.id], true), [effect.id]);
				break;
			}

			case 'erase': {
				inOrder(async () => ports.tape.erase(effect.ids), effect.ids);
				break;
			}

			case 'restore': {
				inOrder(async () => ports.tape.restore([effect.id]), [effect.id]);
				break;
			}

			case 'exit': {
				playback.current?.stop();
				exit();
				break;
			}
		}
	}

	const currentMode = useCallback(() => machine.current.mode, []);
	const readLevel = useCallback((): Level | undefined => recording.current.call?.take.level, []);
	return {state, dispatch, readLevel, currentMode};
}

/** What the machine says before a message: its place in the list shown, and when it was left. */
function stampFor(state: State, id: string): string {
	const shown = visibleMessages(state);
	const index = shown.findIndex(message => message.id === id);
	const message = shown[index] ?? state.messages.find(candidate => candidate.id === id);
	return message ? stampText(index + 1 || 1, new Date(message.createdAt), new Date()) : '';
}

/** Speaks the stamp of the message under the cursor ahead of time, so play starts at once. */
function useAnnouncer(ports: MachinePorts, state: State): Announcer | undefined {
	const announcer = useMemo(() => (ports.speech ? new Announcer(ports.speech) : undefined), [ports.speech]);
	useEffect(() => () => {
		void announcer?.dispose();
	}, [announcer]);
	useEffect(() => {
		if (!announcer || !state.selectedId || state.mode.kind === 'recording') {
			return;
		}

		// Only once the cursor rests: holding j must not start a speech program per row.
		const text = stampFor(state, state.selectedId);
		const timer = setTimeout(() => {
			void announcer.prepare(text);
		}, 200);
		return () => {
			clearTimeout(timer);
		};
	}, [announcer, state.selectedId, state.mailbox, state.messages.length]);
	return announcer;
}

/** Rescans the tape, never two at once, and once more if a change came in meanwhile. */
function useRescan(ports: MachinePorts, dispatch: (action: Action) => void, localChanges: {current: {made: number; written: number}}) {
	const running = useRef<Promise<void> | undefined>(undefined);
	// What changed since the last look: names of files in messages/, or 'all' when not known.
	const pending = useRef<Set<string> | 'all'>('all');
	const again = useRef(false);
	return useCallback(async (changed: ChangedFiles = 'all'): Promise<void> => {
		pending.current = merge(pending.current, changed);
		if (running.current) {
			again.current = true;
			return running.current;
		}

		const run = (async () => {
			do {
				again.current = false;
				const look = pending.current;
				pending.current = new Set();
				const madeBefore = localChanges.current.made;
				try {
					const snapshot = await ports.tape.snapshot({remember: true, changed: look});
					const {made, written} = localChanges.current;
					if (made !== madeBefore || written !== made) {
						// The screen has changed the tape (an erase it shows at once) and
						// the store has not caught up while this was read: showing it
						// would undo the change on screen. The rescan that follows the
						// write looks again, at everything this one was asked to.
						pending.current = merge(pending.current as Set<string> | 'all', look);
						continue;
					}

					dispatch({
						type: 'tape-changed',
						tape: {
							messages: snapshot.messages,
							bin: snapshot.bin,
							usedMs: snapshot.usedMs,
							capacityMs: snapshot.settings.tapeMs,
							maxMessageMs: snapshot.settings.maxMessageMs,
							problems: snapshot.problems.length,
							mailboxes: [...new Set([...(ports.housemates ?? []), ...snapshot.mailboxes])],
						},
					});
				} catch (error) {
					// What this look was told of must not be forgotten: the next one
					// looks at everything.
					pending.current = 'all';
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

/** Everything two lists of changed ids name between them. */
function merge(first: ReadonlySet<string> | 'all', second: ChangedFiles): Set<string> | 'all' {
	return first === 'all' || second === 'all' ? 'all' : new Set([...first, ...second]);
}

/** The recording in progress, if any, and whether stop was asked for before it began. */
type CallSlot = {call: Call<unknown> | undefined; stopRequested: boolean};

type Tone = 'good' | 'warn' | 'error';

/**
 * One recording from the screen, a message or the greeting: check the
 * microphone, open the draft, run the call (greeting, beep, speech) and say
 * how it ended. The two differ only in their draft, what comes before the
 * beep, and how the result is told.
 */
async function runCall<T>(
	ports: MachinePorts,
	slot: CallSlot,
	dispatch: (action: Action) => void,
	recording: {
		openDraft: () => Promise<CallDraft<T> & {limitMs: number}>;
		greeting: () => Promise<string | undefined>;
		takeOptions: TakeOptions;
		describe: (result: T, reason: StopReason) => {text: string; tone: Tone};
		cancelled: string;
	},
): Promise<void> {
	const ended = (text: string, tone: Tone) => {
		dispatch({type: 'recording-ended', text, tone});
	};

	slot.stopRequested = false;
	const available = ports.microphone.check();
	if (!available.ok) {
		ended(available.reason, 'error');
		return;
	}

	try {
		const draft = await recording.openDraft();
		const call = new Call(ports.speaker, ports.microphone, draft, {greeting: await recording.greeting(), take: recording.takeOptions});
		slot.call = call;
		// The key may have come while the draft was being opened.
		if (slot.stopRequested) {
			call.stop('key');
		}

		void call.take.listening.then(() => {
			dispatch({type: 'recording-started', now: Date.now(), limitMs: draft.limitMs});
		});
		const outcome = await call.finish();
		slot.call = undefined;
		if (outcome.status === 'kept') {
			const {text, tone} = recording.describe(outcome.result, outcome.reason);
			ended(outcome.error ? `${text} (${outcome.error.message})` : text, tone);
		} else {
			ended(outcome.status === 'failed' ? outcome.error.message : recording.cancelled, outcome.status === 'failed' ? 'error' : 'warn');
		}
	} catch (error) {
		slot.call = undefined;
		ended(error instanceof TapeFullError ? 'TAPE FULL: nothing can be overwritten (every message is kept)' : `cannot record: ${(error as Error).message}`, 'error');
	}
}

async function startRecording(ports: MachinePorts, recipient: string, slot: CallSlot, dispatch: (action: Action) => void, rescan: () => Promise<void>): Promise<void> {
	await runCall(ports, slot, dispatch, {
		openDraft: async () => ports.tape.beginDraft({from: ports.from, for: recipient}),
		greeting: async () => (ports.quickMemo ? undefined : await ports.tape.customGreeting() ?? assetFile('greeting.wav')),
		takeOptions: ports.take ?? defaultTakeOptions,
		describe(result, reason) {
			const {text, ok} = describeCommit(result, reason);
			return {text, tone: ok ? 'good' : 'warn'};
		},
		cancelled: 'Cancelled: nothing recorded.',
	});
	await rescan();
}

/** The household's own greeting: the beep, then speak; a 3-second pause, the minute or a key ends it. */
async function recordGreeting(ports: MachinePorts, slot: CallSlot, dispatch: (action: Action) => void): Promise<void> {
	await runCall(ports, slot, dispatch, {
		openDraft: async () => ports.tape.beginGreetingDraft(),
		greeting: async () => undefined,
		takeOptions: {...(ports.take ?? defaultTakeOptions), silenceStopMs: 3000},
		describe: result => (result.saved
			? {text: `New greeting saved (${formatClock(result.durationMs)}).`, tone: 'good'}
			: {text: 'Nothing was said: the greeting is unchanged.', tone: 'warn'}),
		cancelled: 'Cancelled: the greeting is unchanged.',
	});
}
