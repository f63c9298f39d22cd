import {useInput, useStdin} from 'ink';
import type {Action, Mode} from '../machine/machine.js';

/**
 * Maps keys to machine actions, as listed in keys.ts. Input is only read where
 * raw mode works. currentMode reads the machine itself, not the last render:
 * keys typed together ("r2", "Ey") arrive before React has drawn the first.
 */
export function useMachineKeys(currentMode: () => Mode, dispatch: (action: Action) => void): void {
	const {isRawModeSupported} = useStdin();
	useInput((input, key) => {
		const now = Date.now();
		const mode = currentMode();
		if (key.ctrl && input === 'c') {
			dispatch({type: 'quit'});
			return;
		}

		if (mode.kind === 'confirm-erase-heard') {
			dispatch({type: 'confirm', yes: input === 'y' || input === 'Y'});
			return;
		}

		if (mode.kind === 'choose-recipient') {
			if (key.return) {
				dispatch({type: 'recipient', index: 0});
			} else if (/^[1-9]$/.test(input)) {
				dispatch({type: 'recipient', index: Number(input)});
			} else if (key.escape || input === 's' || input === 'q') {
				dispatch({type: 'stop'});
			}

			return;
		}

		if (mode.kind === 'greeting-menu') {
			if (input === 'p' || input === ' ') {
				dispatch({type: 'greeting-choice', choice: 'play'});
			} else if (input === 'r') {
				dispatch({type: 'greeting-choice', choice: 'record'});
			} else if (input === 'd') {
				dispatch({type: 'greeting-choice', choice: 'reset'});
			} else if (key.escape || input === 'g' || input === 's' || input === 'q') {
				dispatch({type: 'greeting'});
			}

			return;
		}

		if (mode.kind === 'recording' && (input === ' ' || key.return)) {
			dispatch({type: 'stop'});
			return;
		}

		if (key.escape || input === 's') {
			dispatch({type: 'stop'});
		} else if (input === ' ' || input === 'p') {
			dispatch({type: 'play', now});
		} else if (input === 'n' || key.rightArrow) {
			dispatch({type: 'next', now});
		} else if (input === 'b' || key.leftArrow) {
			dispatch({type: 'back', now});
		} else if (key.upArrow || input === 'k') {
			dispatch({type: 'select', by: -1});
		} else if (key.downArrow || input === 'j') {
			dispatch({type: 'select', by: 1});
		} else if (input === 'e' || key.delete) {
			dispatch({type: 'erase'});
		} else if (input === 'E') {
			dispatch({type: 'erase-heard'});
		} else if (input === 'u') {
			dispatch({type: 'undo'});
		} else if (input === '*') {
			dispatch({type: 'keep'});
		} else if (key.tab) {
			dispatch({type: 'next-mailbox'});
		} else if (/^\d$/.test(input)) {
			dispatch({type: 'choose-mailbox', index: Number(input)});
		} else if (input === 'r') {
			dispatch({type: 'record'});
		} else if (input === 'g') {
			dispatch({type: 'greeting'});
		} else if (input === '?') {
			dispatch({type: 'help'});
		} else if (input === 'q') {
			dispatch({type: 'quit'});
		}
	}, {isActive: isRawModeSupported === true});
}
