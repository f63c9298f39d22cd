import {useEffect, useState} from 'react';

/**
 * The current time, refreshed every intervalMs while active. Elapsed times are
 * computed from stored timestamps and this clock, never by counting ticks.
 * With aligned, each refresh lands just after a multiple of intervalMs on the
 * wall clock (a minute clock turns over with the minute, not up to a tick
 * later): the next wait is worked out from the time each tick ran, so a late
 * timer does not push the ones after it.
 */
export function useNow(active: boolean, intervalMs: number, {aligned = false} = {}): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		if (!active) {
			return;
		}

		setNow(Date.now());
		if (!aligned) {
			const timer = setInterval(() => {
				setNow(Date.now());
			}, intervalMs);
			return () => {
				clearInterval(timer);
			};
		}

		let timer: ReturnType<typeof setTimeout>;
		const schedule = () => {
			// A few ms past the boundary, so the time read then is surely in the new minute.
			timer = setTimeout(() => {
				setNow(Date.now());
				schedule();
			}, intervalMs - (Date.now() % intervalMs) + 5);
		};

		schedule();
		return () => {
			clearTimeout(timer);
		};
	}, [active, intervalMs, aligned]);
	return now;
}
