// The answering machine as a pure state machine: keys and events come in as
// actions, a new state and a list of effects for the ports come out. Nothing
// here touches a file, a process or the clock; times arrive inside actions.
//
// transition only dispatches; each family of actions has its own module.
import {greeting, greetingChoice, greetingPlayed} from './greeting.js';
import {adjust} from './listening.js';
import {chooseMailbox, help, select} from './navigation.js';
import {back, messageStarted, next, pause, play, playbackEnded, playbackFailed} from './playing.js';
import {record, recipient, recordingEnded, recordingStarted, skipGreeting} from './recording.js';
import {nothing} from './state.js';
import {quit, stop} from './stopping.js';
import {confirm, erase, eraseHeard, keep, tapeChanged, undo} from './tape-changes.js';
import type {Action, State, Step} from './types.js';

export type {Action, ActionOf, Effect, Listening, Mode, ModeKind, State, Step, TapeView, Tone} from './types.js';
export {describeListening, positionMs} from './listening.js';
export {initialState, mailboxOrder, unheardCount, visibleMessages} from './state.js';
export {backToPreviousWithinMs} from './playing.js';

export function transition(state: State, action: Action): Step {
	switch (action.type) {
		case 'tape-changed': return tapeChanged(state, action.tape);
		case 'play': return play(state, action.now);
		case 'pause': return pause(state, action.now);
		case 'next': return next(state, action.now);
		case 'back': return back(state, action.now);
		case 'select': return select(state, action.by);
		case 'keep': return keep(state);
		case 'next-mailbox':
		case 'choose-mailbox': return chooseMailbox(state, action);
		case 'recipient': return recipient(state, action.index);
		case 'erase': return erase(state);
		case 'erase-heard': return eraseHeard(state);
		case 'confirm': return confirm(state, action.yes);
		case 'undo': return undo(state);
		case 'record': return record(state);
		case 'skip-greeting': return skipGreeting(state);
		case 'stop': return stop(state);
		case 'help': return help(state);
		case 'greeting': return greeting(state);
		case 'greeting-choice': return greetingChoice(state, action);
		case 'greeting-played': return greetingPlayed(state);
		case 'quit': return quit(state);
		case 'recording-started': return recordingStarted(state, action);
		case 'recording-ended': return recordingEnded(state, action);
		case 'playback-ended': return playbackEnded(state, action);
		case 'message-started': return messageStarted(state, action);
		case 'playback-failed': return playbackFailed(state, action);
		case 'adjust': return adjust(state, action);
		case 'notice': return nothing({...state, notice: {text: action.text, tone: action.tone}});
	}
}
