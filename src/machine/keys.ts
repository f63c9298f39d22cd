// Every key the machine answers to, in one place: the keyboard hook reads the
// action from this table, and the footer, the help screen and the README's
// table show it, so none of them can drift.
import type {Action, Mode, ModeKind} from './types.js';

/**
 * A key by name: the character typed ('p', 'E', '?', '3'), or one of the named
 * keys below. The screen turns its terminal's key presses into these names.
 */
export type KeyName = string;

export const namedKeys = ['space', 'enter', 'escape', 'tab', 'delete', 'up', 'down', 'left', 'right', 'ctrl-c'] as const;
export type NamedKey = typeof namedKeys[number];

/** Stands for every key a mode binds no other way: "Erase all heard messages? y / n" takes anything but y as no. */
export const anyOtherKey = 'any other key';

export type KeyBinding = {
	/** The keys as the help screen and the README write them. */
	keys: string;
	/** The same keys by name. */
	presses: readonly KeyName[];
	/** The modes in which these keys do something; elsewhere they are not read. */
	modes: readonly ModeKind[];
	/** The action a press of key makes; now is when it was pressed. */
	action: (key: KeyName, now: number) => Action;
	/** The help screen's line. Keys without one are explained where their mode shows, by its prompt. */
	does?: string;
	/** The footer's short label, for the keys used most. */
	footer?: string;
};

export type HelpedKeyBinding = KeyBinding & {does: string};

const digits = (from: number, to: number): KeyName[] => Array.from({length: to - from + 1}, (_, index) => String(from + index));

// A record, so that a new mode fails to compile until it is listed here.
const everyModeKind: Record<ModeKind, true> = {
	idle: true, recording: true, 'greeting-menu': true, 'playing-greeting': true, playing: true, 'choose-recipient': true, 'confirm-erase-heard': true, 'confirm-erase-kept': true, help: true,
};

/** Every mode, for the keys that work whatever the machine is doing. */
export const everyMode = Object.keys(everyModeKind) as readonly ModeKind[];

export const keyTable: readonly KeyBinding[] = [
	// The help screen lists these, in this order.
	{
		keys: 'space / p', presses: ['space', 'p'], modes: ['idle', 'playing', 'recording'], action: (_key, now) => ({type: 'play', now}),
		does: 'play new messages oldest first (else all); pause and resume', footer: 'space play',
	},
	{
		keys: 'n / →', presses: ['n', 'right'], modes: ['idle', 'playing'], action: (_key, now) => ({type: 'next', now}),
		does: 'next message (skips while playing)', footer: 'n next',
	},
	{
		keys: 'b / ←', presses: ['b', 'left'], modes: ['idle', 'playing'], action: (_key, now) => ({type: 'back', now}),
		does: 'back: the previous one in the first 2 s, else this one again', footer: 'b back',
	},
	{
		keys: '[ / ]', presses: ['[', ']'], modes: ['idle', 'playing'], action: (key, now) => ({type: 'adjust', what: 'speed', by: key === '[' ? -1 : 1, now}),
		does: 'slower, faster: 0.5× to 2×, the voice at its own pitch',
	},
	{
		keys: '- / + =', presses: ['-', '+', '='], modes: ['idle', 'playing'], action: (key, now) => ({type: 'adjust', what: 'volume', by: key === '-' ? -1 : 1, now}),
		does: 'quieter, louder',
	},
	{
		keys: ', / .', presses: [',', '.'], modes: ['playing'], action: (key, now) => ({type: 'adjust', what: 'seek', by: key === ',' ? -1 : 1, now}),
		does: '5 seconds back, 5 seconds on, within the message',
	},
	{
		keys: '↑ ↓ / k j', presses: ['up', 'down', 'k', 'j'], modes: ['idle'], action: key => ({type: 'select', by: key === 'up' || key === 'k' ? -1 : 1}),
		does: 'move the cursor',
	},
	{
		keys: 'e / Delete', presses: ['e', 'delete'], modes: ['idle', 'playing'], action: () => ({type: 'erase'}),
		does: 'erase the message (it goes to the undo bin)', footer: 'e erase',
	},
	{
		keys: 'u', presses: ['u'], modes: ['idle'], action: () => ({type: 'undo'}),
		does: 'undo the last erase', footer: 'u undo',
	},
	{
		keys: 'E', presses: ['E'], modes: ['idle'], action: () => ({type: 'erase-heard'}),
		does: 'erase all heard messages shown (asks first; kept ones stay)',
	},
	{
		keys: '*', presses: ['*'], modes: ['idle', 'playing'], action: () => ({type: 'keep'}),
		does: 'keep: never overwrite this message (again to unkeep)',
	},
	{
		keys: 'r', presses: ['r'], modes: ['idle', 'playing', 'recording'], action: () => ({type: 'record'}),
		does: 'record (asks who it is for); r, space or Enter stops and saves', footer: 'r record',
	},
	{
		keys: 's / Esc', presses: ['s', 'escape'], modes: ['recording', 'playing', 'playing-greeting', 'help'], action: () => ({type: 'stop'}),
		does: 'stop recording or playing',
	},
	{
		keys: 'g', presses: ['g'], modes: ['idle'], action: () => ({type: 'greeting'}),
		does: 'the greeting: p play it, r record your own, d the built-in one',
	},
	{
		keys: 'Tab / 0–9', presses: ['tab', ...digits(0, 9)], modes: ['idle'],
		action: key => (key === 'tab' ? {type: 'next-mailbox'} : {type: 'choose-mailbox', index: Number(key)}),
		does: 'one mailbox: Tab goes round, 1 everyone, 2… housemates, 0 all',
	},
	{
		keys: '?', presses: ['?'], modes: ['idle', 'help'], action: () => ({type: 'help'}),
		does: 'this help', footer: '? help',
	},
	{
		keys: 'q', presses: ['q'], modes: ['idle', 'recording', 'playing-greeting', 'playing', 'help'], action: () => ({type: 'quit'}),
		does: 'quit (a recording in progress is saved first)', footer: 'q quit',
	},

	// Keys the help screen leaves out: the status line prompts for them in their mode.
	// Enter ends a message as r and space do, and like them, during the greeting skips to the beep.
	{keys: 'Enter', presses: ['enter'], modes: ['recording'], action: () => ({type: 'record'})},
	{keys: 'Ctrl-C', presses: ['ctrl-c'], modes: everyMode, action: () => ({type: 'quit'})},
	{keys: 'y / Y', presses: ['y', 'Y'], modes: ['confirm-erase-heard', 'confirm-erase-kept'], action: () => ({type: 'confirm', yes: true})},
	{keys: anyOtherKey, presses: [anyOtherKey], modes: ['confirm-erase-heard', 'confirm-erase-kept'], action: () => ({type: 'confirm', yes: false})},
	{keys: 'Enter', presses: ['enter'], modes: ['choose-recipient'], action: () => ({type: 'recipient', index: 0})},
	{keys: '1–9', presses: digits(1, 9), modes: ['choose-recipient'], action: key => ({type: 'recipient', index: Number(key)})},
	{keys: 'Esc / s / q', presses: ['escape', 's', 'q'], modes: ['choose-recipient'], action: () => ({type: 'stop'})},
	{keys: 'p / space', presses: ['p', 'space'], modes: ['greeting-menu'], action: () => ({type: 'greeting-choice', choice: 'play'})},
	{keys: 'r', presses: ['r'], modes: ['greeting-menu'], action: () => ({type: 'greeting-choice', choice: 'record'})},
	{keys: 'd', presses: ['d'], modes: ['greeting-menu'], action: () => ({type: 'greeting-choice', choice: 'reset'})},
	{keys: 'Esc / g / s / q', presses: ['escape', 'g', 's', 'q'], modes: ['greeting-menu'], action: () => ({type: 'greeting'})},
];

/** The help screen's lines, in the table's order. */
export const helpTable: readonly HelpedKeyBinding[] = keyTable.filter((binding): binding is HelpedKeyBinding => binding.does !== undefined);

/** The footer's labels, most used first: the footer drops from the end when narrow. */
export const footerLabels: readonly string[] = keyTable.flatMap(binding => (binding.footer ? [binding.footer] : []));

/** The binding a key has in a mode: its own, else the mode's catch-all, else none. */
export function bindingFor(mode: ModeKind, key: KeyName): KeyBinding | undefined {
	const inMode = keyTable.filter(binding => binding.modes.includes(mode));
	return inMode.find(binding => binding.presses.includes(key)) ?? inMode.find(binding => binding.presses.includes(anyOtherKey));
}

/** What pressing key does in mode, or undefined when the mode does not read that key. */
export function actionFor(mode: ModeKind, key: KeyName, now: number): Action | undefined {
	return bindingFor(mode, key)?.action(key, now);
}

/**
 * The key dispatch: the table's action, else, while recording, skip-greeting,
 * so that any key the table leaves unbound there skips a greeting to the beep
 * (the machine decides whether one still plays). Not a table binding: it does
 * nothing once the recording has begun.
 */
export function keyAction(mode: Mode, key: KeyName, now: number): Action | undefined {
	return actionFor(mode.kind, key, now) ?? (mode.kind === 'recording' ? {type: 'skip-greeting'} : undefined);
}
