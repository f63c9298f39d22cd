// The terminal's side of the key table (src/machine/keys.ts): Ink reports a
// press as the text typed and a set of flags; the table names keys.
import type {Key} from 'ink';
import type {KeyName} from '../machine/keys.js';

type KeyFlags = Pick<Key, 'ctrl' | 'return' | 'escape' | 'tab' | 'delete' | 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow'>;

/** The table's name for a key press. Text the table does not name (a paste, F5) comes back as it is, to match nothing. */
export function keyName(input: string, key: KeyFlags): KeyName {
	if (key.ctrl && input === 'c') {
		return 'ctrl-c';
	}

	const named: Array<[boolean, KeyName]> = [
		[key.return, 'enter'],
		[key.escape, 'escape'],
		[key.tab, 'tab'],
		[key.delete, 'delete'],
		[key.upArrow, 'up'],
		[key.downArrow, 'down'],
		[key.leftArrow, 'left'],
		[key.rightArrow, 'right'],
		[input === ' ', 'space'],
	];
	return named.find(([pressed]) => pressed)?.[1] ?? input;
}

/**
 * A chunk of more characters than this that is not one key held down is a
 * paste, not typing: nobody types four different keys within one read of
 * the terminal (a few milliseconds, or the time a frame takes to draw), but
 * a pasted word would erase, record or quit at random.
 */
export const longestTyping = 3;

/** What one read of the terminal was: key presses, in order, or pasted text to ignore. */
export type KeyChunk = {keys: KeyName[]} | {paste: string};

// What Ink would have named each of these had it come alone (Backspace sends
// DEL, which Ink calls delete).
const controlKeys: Record<string, KeyName> = {
	'\r': 'enter',
	'\r\n': 'enter',
	'\t': 'tab',
	'\u007F': 'delete',
	'\u001B': 'escape',
	'\u0003': 'ctrl-c',
	' ': 'space',
};

// By user-perceived character: a surrogate pair (an emoji) or a letter with
// its combining accent is one key, never half of one.
const characters = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/**
 * Splits one read of the terminal into key presses. Ink hands several keys
 * that arrive together (a held key over SSH, typing ahead while a frame is
 * drawn, `tmux send-keys jj`) as one string; each character is one press.
 * Escape sequences (arrows, Delete) never share a chunk: Ink has already
 * parsed them into flags. A longer chunk of mixed keys is a paste, ignored
 * whole, except that Ctrl-C in it still quits.
 */
export function keyPresses(input: string, key: KeyFlags): KeyChunk {
	const pieces = Array.from(characters.segment(input), ({segment}) => segment);
	const flagged = key.ctrl || key.return || key.escape || key.tab || key.delete || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow;
	if (flagged || pieces.length <= 1) {
		return {keys: [keyName(input, key)]};
	}

	const keys = pieces.map(piece => controlKeys[piece] ?? piece);
	if (keys.length > longestTyping && new Set(keys).size > 1) {
		return keys.includes('ctrl-c') ? {keys: ['ctrl-c']} : {paste: input};
	}

	return {keys};
}
