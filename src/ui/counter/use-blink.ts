import {useEffect, useState} from 'react';

/** The LED blinks about once a second: on for half, off for half. */
export const blinkIntervalMs = 500;

/** Toggles while active; always lit when not. The timer lives only while blinking. */
export function useBlink(active: boolean, intervalMs = blinkIntervalMs): boolean {
	const [lit, setLit] = useState(true);
	useEffect(() => {
		if (!active) {
			setLit(true);
			return;
		}

		const timer = setInterval(() => {
			setLit(previous => !previous);
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [active, intervalMs]);
	return lit;
}
