import {useEffect, useState} from 'react';

/**
 * The current time, refreshed every intervalMs while active. Elapsed times are
 * computed from stored timestamps and this clock, never by counting ticks.
 */
export function useNow(active: boolean, intervalMs: number): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		if (!active) {
			return;
		}

		setNow(Date.now());
		const timer = setInterval(() => {
			setNow(Date.now());
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [active, intervalMs]);
	return now;
}
