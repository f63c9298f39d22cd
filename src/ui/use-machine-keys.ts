import {useInput, useStdin} from 'ink';
import {keyAction} from '../machine/keys.js';
import type {Action, Mode} from '../machine/machine.js';
import {keyPresses} from './keys.js';

export const pasteNotice = 'Pasted text ignored: the machine takes one key at a time.';

/**
 * Maps keys to machine actions through the key table (src/machine/keys.ts).
 * Input is only read where raw mode works. Every key of a chunk counts
 * (keyPresses); currentMode reads the machine itself, not the last render:
 * keys typed together ("r2", "Ey") arrive before React has drawn the first.
 */
export function useMachineKeys(currentMode: () => Mode, dispatch: (action: Action) => void): void {
	const {isRawModeSupported} = useStdin();
	useInput((input, key) => {
		const chunk = keyPresses(input, key);
		if ('paste' in chunk) {
			dispatch({type: 'notice', text: pasteNotice, tone: 'warn'});
			return;
		}

		for (const name of chunk.keys) {
			const action = keyAction(currentMode(), name, Date.now());
			if (action) {
				dispatch(action);
			}
		}
	}, {isActive: isRawModeSupported === true});
}
