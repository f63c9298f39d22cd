import {useInput, useStdin} from 'ink';
import {actionFor} from '../machine/keys.js';
import type {Action, Mode} from '../machine/machine.js';
import {keyName} from './keys.js';

/**
 * Maps keys to machine actions through the key table (src/machine/keys.ts).
 * Input is only read where raw mode works. currentMode reads the machine
 * itself, not the last render: keys typed together ("r2", "Ey") arrive before
 * React has drawn the first.
 */
export function useMachineKeys(currentMode: () => Mode, dispatch: (action: Action) => void): void {
	const {isRawModeSupported} = useStdin();
	useInput((input, key) => {
		const action = actionFor(currentMode().kind, keyName(input, key), Date.now());
		if (action) {
			dispatch(action);
		}
	}, {isActive: isRawModeSupported === true});
}
