// Carries out the effects the pure machine asks for, through the ports, and
// feeds what happens (tape changes, playback ending, a recording saved) back
// in as actions. A plain class, so it runs and is tested without Ink; the
// screen's hook (use-machine.ts) only wires it to React.
import {Announcer} from '../audio/announcer.js';
import type {Playback} from '../audio/ports.js';
import type {StopReason} from '../audio/take.js';
import {visibleMessages, type Action, type Effect, type Listening, type State} from '../machine/machine.js';
import type {Level} from '../pcm/level.js';
import {describeCommit, describeGreeting, greetingCancelled} from '../session/describe.js';
import {playGreeting, recordGreeting} from '../session/greeting.js';
import {recordMessage} from '../session/message.js';
import {messageStamp, playWithStamp} from '../session/playback.js';
import type {Recording, RecordingOutcome} from '../session/recording.js';
import type {MachinePorts} from './ports.js';
import {TapeSync} from './tape-sync.js';

export type EffectRunnerOptions = {
	/** The machine's state now, not at the last render: a stamp names the message's place in the list shown. */
	machineState: () => State;
	/** Closes the screen. */
	exit: () => void;
};

type Told = {text: string; tone: 'good' | 'warn' | 'error'};

export class EffectRunner {
	private playback: Playback | undefined;
	/** A restart of the player asked for in this turn of the event loop, not yet made. */
	private replay: Extract<Effect, {type: 'replay'}> | undefined;
	private recording: Recording<unknown> | undefined;
	private readonly announcer: Announcer | undefined;
	private readonly tape: TapeSync;
	private stopWatching: (() => void) | undefined;

	constructor(
		private readonly ports: MachinePorts,
		private readonly dispatch: (action: Action) => void,
		private readonly options: EffectRunnerOptions,
	) {
		this.announcer = ports.speech ? new Announcer(ports.speech) : undefined;
		this.tape = new TapeSync(ports, dispatch);
	}

	/** Reads the tape now and follows its changes until dispose(). */
	watchTape(): void {
		this.stopWatching ??= this.tape.watch();
	}

	/** The microphone's level while a recording is being kept, for the meter. */
	readLevel(): Level | undefined {
		return this.recording?.level();
	}

	/** Speaks a stamp ahead of time, so that play starts at once. */
	prepareStamp(text: string): void {
		void this.announcer?.prepare(text);
	}

	/** Nothing keeps sounding or listening after the screen goes away. */
	dispose(): void {
		this.replay = undefined;
		this.stopWatching?.();
		this.playback?.stop();
		this.recording?.stop();
		void this.announcer?.dispose();
	}

	run(effect: Effect): void {
		// Any other word about playing overrides a restart not yet made.
		if (effect.type === 'play' || effect.type === 'stop-playing' || effect.type === 'play-greeting' || effect.type === 'exit') {
			this.replay = undefined;
		}

		switch (effect.type) {
			case 'start-recording': {
				const recording = recordMessage(this.ports, {
					from: this.ports.from,
					for: effect.for,
					quick: this.ports.quickMemo ?? true,
					onListening: this.recordingStarted,
				});
				void this.record(recording, 'Cancelled: nothing recorded.', (result, reason) => {
					const {text, ok} = describeCommit(result, reason);
					return {text, tone: ok ? 'good' : 'warn'};
				}).then(async () => this.tape.rescan());
				break;
			}

			case 'record-greeting': {
				void this.record(recordGreeting(this.ports, this.recordingStarted), greetingCancelled, result => {
					const {text, ok} = describeGreeting(result);
					return {text, tone: ok ? 'good' : 'warn'};
				});
				break;
			}

			case 'stop-recording': {
				this.recording?.stop();
				break;
			}

			case 'skip-greeting': {
				// Past the greeting, r, space and Enter end (or during the beep cancel) as before; any other key does nothing.
				if (this.recording?.skipGreeting?.() !== true && effect.only !== true) {
					this.dispatch({type: 'stop'});
				}

				break;
			}

			case 'play-greeting': {
				this.playback?.stop();
				const current = playGreeting(this.ports.speaker, this.ports.tape);
				this.playback = current;
				void current.done.then(result => {
					this.dispatch({type: 'greeting-played'});
					if (result.status === 'failed') {
						this.dispatch({type: 'notice', text: result.reason, tone: 'error'});
					}
				});
				break;
			}

			case 'reset-greeting': {
				this.tape.change(async () => this.ports.tape.resetGreeting());
				break;
			}

			case 'play': {
				this.play(effect.id, effect.file, effect.listening);
				break;
			}

			case 'replay': {
				// The player cannot change speed, volume or place as it plays: a new one starts where the old one was.
				this.playback?.stop();
				this.playback = undefined;
				// Keys that came in one read ("---" for 30% quieter) restart the player once, with the last of them.
				const scheduled = this.replay !== undefined;
				this.replay = effect;
				if (!scheduled) {
					setImmediate(() => {
						const last = this.replay;
						this.replay = undefined;
						// Stopped, or another message asked for, meanwhile.
						if (last === undefined) {
							return;
						}

						this.playback?.stop();
						const current = this.ports.speaker.play(last.file, {startMs: last.fromMs, speed: last.listening.speed, volume: last.listening.volume});
						// Paused as the machine is now: a space in the same read as the change came after it.
						const {mode} = this.options.machineState();
						if (mode.kind === 'playing' && mode.id === last.id ? mode.pausedAt !== undefined : last.paused) {
							current.pause();
						}

						this.follow(current, last.id);
					});
				}

				break;
			}

			case 'stop-playing': {
				this.playback?.stop();
				this.playback = undefined;
				break;
			}

			case 'pause-playing': {
				this.playback?.pause();
				break;
			}

			case 'resume-playing': {
				this.playback?.resume();
				break;
			}

			case 'keep': {
				this.tape.change(async () => this.ports.tape.keep([effect.id], effect.keep), [effect.id]);
				break;
			}

			case 'mark-heard': {
				this.tape.change(async () => this.ports.tape.mark([effect.id], true), [effect.id]);
				break;
			}

			case 'erase': {
				this.tape.change(async () => this.ports.tape.erase(effect.ids), effect.ids);
				break;
			}

			case 'restore': {
				this.tape.change(async () => this.ports.tape.restore([effect.id]), [effect.id]);
				break;
			}

			case 'exit': {
				this.playback?.stop();
				this.options.exit();
				break;
			}
		}
	}

	private readonly recordingStarted = (limitMs: number): void => {
		this.dispatch({type: 'recording-started', now: Date.now(), limitMs});
	};

	/** A message's stamp, then the message; progress counts from the start of the message itself. */
	private play(id: string, file: string, listening: Listening | undefined): void {
		this.playback?.stop();
		const stamp = this.announcer?.prepare(stampOf(this.options.machineState(), id));
		const current = playWithStamp(this.ports.speaker, file, stamp, () => {
			this.dispatch({type: 'message-started', id, now: Date.now()});
		}, listening);
		this.follow(current, id);
	}

	/** Holds the playback so keys can reach it, and tells the machine how it ended. */
	private follow(current: Playback, id: string): void {
		this.playback = current;
		void current.done.then(result => {
			if (this.playback === current) {
				this.playback = undefined;
			}

			if (result.status === 'finished') {
				this.dispatch({type: 'playback-ended', id, now: Date.now()});
			} else if (result.status === 'failed') {
				this.dispatch({type: 'playback-failed', id, reason: result.reason});
			}
		});
	}

	/** Holds the recording so a key can stop it, and tells the machine how it ended. */
	private async record<T>(recording: Recording<T>, cancelled: string, describe: (result: T, reason: StopReason | undefined) => Told): Promise<void> {
		this.recording = recording;
		const outcome = await recording.done;
		if (this.recording === recording) {
			this.recording = undefined;
		}

		this.dispatch({type: 'recording-ended', ...told(outcome, cancelled, describe)});
	}
}

/** A recording's end in the screen's words. */
function told<T>(outcome: RecordingOutcome<T>, cancelled: string, describe: (result: T, reason: StopReason | undefined) => Told): Told {
	switch (outcome.status) {
		case 'no-microphone': {
			return {text: outcome.reason, tone: 'error'};
		}

		case 'tape-full': {
			return {text: outcome.error.message, tone: 'error'};
		}

		case 'error': {
			return {text: `cannot record: ${outcome.error.message}`, tone: 'error'};
		}

		case 'failed': {
			return {text: outcome.error.message, tone: 'error'};
		}

		case 'cancelled': {
			return {text: cancelled, tone: 'warn'};
		}

		case 'kept': {
			const {text, tone} = describe(outcome.result, outcome.reason);
			return {text: outcome.error ? `${text} (${outcome.error.message})` : text, tone};
		}
	}
}

/** What the machine says before a message: its place in the list shown, and when it was left. */
export function stampOf(state: Pick<State, 'messages' | 'mailbox'>, id: string): string {
	const message = state.messages.find(candidate => candidate.id === id);
	return message ? messageStamp(visibleMessages(state), message) : '';
}
