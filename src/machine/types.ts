// The answering machine's vocabulary: its modes and state, the actions that
// come in (keys and events) and the effects that go out to the ports.
import type {Message} from '../tape/message.js';

export type Mode =
	| {kind: 'idle'}
	| {kind: 'recording'; target: 'message' | 'greeting'; startedAt: number; limitMs: number; stopping: boolean}
	| {kind: 'greeting-menu'}
	| {kind: 'playing-greeting'}
	/** While paused, pausedAt is set; on resume startedAt moves on by the pause, so elapsed = now - startedAt. */
	// all: playing every message in turn (space with nothing new), not only the new ones.
	// stamping: the spoken day-and-time stamp is playing; the message's own progress starts at message-started.
	// offsetMs: where in the message startedAt was (after a seek or a change of speed); speed: the
	// speed since then, so the position is offsetMs + (now - startedAt) * speed.
	| {kind: 'playing'; id: string; startedAt: number; durationMs: number; pausedAt: number | undefined; all?: boolean; stamping?: boolean; offsetMs?: number; speed?: number; volume?: number}
	| {kind: 'choose-recipient'}
	| {kind: 'confirm-erase-heard'}
	/** "Erase a kept message? y / n": e on a message marked keep asks first. */
	| {kind: 'confirm-erase-kept'; id: string}
	| {kind: 'help'};

export type ModeKind = Mode['kind'];

export type Tone = 'info' | 'good' | 'warn' | 'error';

export type State = {
	messages: Message[];
	/** The undo bin, most recently erased first. */
	bin: Message[];
	usedMs: number;
	capacityMs: number;
	maxMessageMs: number;
	/** Store files that were skipped because they could not be read. */
	problems: number;
	loaded: boolean;
	/** The message under the cursor. */
	selectedId: string | undefined;
	/** Until the user moves the cursor, it follows the oldest unheard message. */
	cursorMoved: boolean;
	/** Housemates' names, besides "everyone". */
	mailboxes: string[];
	/** The mailbox whose messages are shown; undefined shows all. */
	mailbox: string | undefined;
	mode: Mode;
	// untilNews: a notice about what is left to hear ("No more new messages."),
	// no longer true once a new message arrives, so it goes then.
	notice: {text: string; tone: Tone; untilNews?: boolean} | undefined;
	quitting: boolean;
	/** How messages play at the screen: speed (0.5–2) and volume (0–100), kept from one message to the next. */
	listening: Listening;
};

export type Listening = {speed: number; volume: number};

export type TapeView = Pick<State, 'messages' | 'bin' | 'usedMs' | 'capacityMs' | 'maxMessageMs' | 'problems' | 'mailboxes'>;

export type Action =
	| {type: 'tape-changed'; tape: TapeView}
	| {type: 'play'; now: number}
	| {type: 'pause'; now: number}
	| {type: 'next'; now: number}
	| {type: 'back'; now: number}
	| {type: 'select'; by: -1 | 1}
	| {type: 'keep'}
	| {type: 'next-mailbox'}
	| {type: 'choose-mailbox'; index: number}
	| {type: 'recipient'; index: number}
	| {type: 'erase'}
	| {type: 'erase-heard'}
	| {type: 'confirm'; yes: boolean}
	| {type: 'undo'}
	| {type: 'record'}
	/** A key bound to nothing while recording: during a message's greeting, on to the beep. */
	| {type: 'skip-greeting'}
	| {type: 'stop'}
	| {type: 'help'}
	| {type: 'greeting'}
	/** A choice in the greeting menu: play it, record a new one, or go back to the built-in one. */
	| {type: 'greeting-choice'; choice: 'play' | 'record' | 'reset'}
	| {type: 'greeting-played'}
	| {type: 'quit'}
	| {type: 'recording-started'; now: number; limitMs: number}
	| {type: 'recording-ended'; text: string; tone: Tone}
	| {type: 'playback-ended'; id: string; now: number}
	/** The message itself has begun, after its day-and-time stamp: progress counts from here. */
	| {type: 'message-started'; id: string; now: number}
	| {type: 'playback-failed'; id: string; reason: string}
	| {type: 'notice'; text: string; tone: Tone}
	/** Slower or faster, quieter or louder, or a few seconds back or on. */
	| {type: 'adjust'; what: 'speed' | 'volume' | 'seek'; by: -1 | 1; now: number};

/** The one action of that type, for a handler that takes only it. */
export type ActionOf<Type extends Action['type']> = Extract<Action, {type: Type}>;

export type Effect =
	| {type: 'start-recording'; for: string}
	| {type: 'record-greeting'}
	| {type: 'play-greeting'}
	| {type: 'reset-greeting'}
	| {type: 'stop-recording'}
	/** On to the beep if the greeting plays; otherwise (the beep, or past it) the key stops the recording as it always did. */
	// only: skip the greeting if it still plays, else nothing (a key bound to nothing never stops a recording).
	| {type: 'skip-greeting'; only?: true}
	| {type: 'play'; id: string; file: string; listening?: Listening}
	/** The message again from fromMs with the speed and volume now asked for (a player cannot change them as it plays). */
	| {type: 'replay'; id: string; file: string; fromMs: number; listening: Listening; paused: boolean}
	| {type: 'stop-playing'}
	| {type: 'pause-playing'}
	| {type: 'resume-playing'}
	| {type: 'mark-heard'; id: string}
	| {type: 'keep'; id: string; keep: boolean}
	| {type: 'erase'; ids: string[]}
	| {type: 'restore'; id: string}
	| {type: 'exit'};

export type Step = {state: State; effects: Effect[]};
