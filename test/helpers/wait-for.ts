// Polling for something that happens a moment later (a file written, a
// process gone, a line on screen), for the tests, their child scripts and the
// benchmarks: one loop with one way of failing, which names what was awaited.

export type WaitOptions = {
	/** Gives up after this long; 20 s unless told. */
	timeoutMs?: number;
	/** The pause between two looks; 25 ms unless told. */
	intervalMs?: number;
	/** What was seen at the last look, for the failure message (the screen, a command's output). */
	lastSeen?: () => string;
	/** How to pause between looks: a test rendering with React wraps the pause in act(). */
	pause?: (ms: number) => Promise<void>;
};

/** The error waitFor throws when time runs out (anything else came from the probe). */
export class TimedOut extends Error {}

const sleep = async (ms: number) => new Promise<void>(resolve => {
	setTimeout(resolve, ms);
});

/**
 * Looks with probe() until it gives something other than undefined or false,
 * and resolves with that (true for a yes/no probe). Throws "timed out waiting
 * for <what>" once timeoutMs has gone by without it.
 */
export async function waitFor<T>(
	what: string,
	probe: () => T | undefined | false | Promise<T | undefined | false>,
	{timeoutMs = 20_000, intervalMs = 25, lastSeen, pause = sleep}: WaitOptions = {},
): Promise<T> {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) {
			return value;
		}

		if (performance.now() > deadline) {
			throw new TimedOut(`timed out waiting for ${what}${lastSeen ? `; ${lastSeen()}` : ''}`);
		}

		await pause(intervalMs);
	}
}
