import type {Microphone, Speaker} from '../audio/ports.js';
import type {Speech} from '../audio/speech.js';
import type {TakeOptions} from '../audio/take.js';
import type {NewMessageHook} from '../session/new-message-hook.js';
import type {Tape} from '../tape/store.js';
import type {BlinkMode} from './counter/blink-mode.js';

/** Everything the screen needs from the outside world; open-machine.tsx builds the real ones, tests build fakes. */
export type MachinePorts = {
	tape: Tape;
	microphone: Microphone;
	speaker: Speaker;
	/** Who new messages are from: the login name unless configured. */
	from: string;
	/** Housemates named in the config file, besides those named in the store. */
	housemates?: string[];
	take?: TakeOptions;
	/** Says each message's day and time before it plays; undefined for no stamps. */
	speech?: Speech;
	/** How the counter blinks: by redrawing its cells (the default), by the terminal, or not at all. */
	blink?: BlinkMode;
	/**
	 * Skip the greeting before the beep. The screen's default (undefined) is a
	 * memo: whoever presses r is at the machine, not a caller on the line, so
	 * the greeting only delays them. false plays it first, as for a caller.
	 */
	quickMemo?: boolean;
	/** The config's onNewMessage command, run once per message saved (its failures go to a log file, never the screen). */
	onNewMessage?: NewMessageHook;
	/** Said once when the screen opens: over SSH the sound plays on the host (see audio/remote.ts). */
	soundNotice?: string;
	/** Rescan interval for stores on network filesystems, where watch events may never come. */
	pollMs?: number;
	/**
	 * Tells the screen when it must quit as q does, saving a recording in
	 * progress: the terminal closed, or a kill. Returns the unsubscribe.
	 */
	quitRequests?: (listener: () => void) => () => void;
};
