// The terminal's side of the key table (src/machine/keys.ts): Ink reports a
// press as the text typed and a set of flags; the table names keys.
import type {Key} from 'ink';
import type {KeyName} from '../machine/keys.js';

/** The table's name for a key press. Text the table does not name (a paste, F5) comes back as it is, to match nothing. */
export function keyName(input: string, key: Pick<Key, 'ctrl' | 'return' | 'escape' | 'tab' | 'delete' | 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow'>): KeyName {
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
