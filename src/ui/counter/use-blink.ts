import {useEffect, useRef, useState} from 'react';

/** The LED blinks about once a second: on for half, off for half. */
export const blinkIntervalMs = 500;

/**
 * Draws the LED lit (on) or dark straight onto the terminal; false when it
 * cannot, and React must draw it instead.
 */
export type BlinkPainter = (on: boolean) => boolean;

/**
 * Toggles while active; always lit when not. The timer lives only while
 * blinking. Each toggle goes to paint first: while paint draws it, React's
 * state (and so Ink's frame) stays lit and nothing is rendered.
 */
export function useBlink(active: boolean, paint?: BlinkPainter, intervalMs = blinkIntervalMs): boolean {
	const [lit, setLit] = useState(true);
	// The latest painter, without restarting the timer (and its phase) when it changes.
	const painter = useRef(paint);
	useEffect(() => {
		painter.current = paint;
	}, [paint]);
	useEffect(() => {
		if (!active) {
			setLit(true);
			return;
		}

		let on = true;
		const timer = setInterval(() => {
			on = !on;
			if (!painter.current?.(on)) {
				setLit(on);
			}
		}, intervalMs);
		return () => {
			clearInterval(timer);
			// Never leave the digits dark on the terminal when blinking stops.
			if (!on) {
				painter.current?.(true);
			}
		};
	}, [active, intervalMs]);
	return lit;
}
