// Capacity settings live inside the store, so every process and every
// computer sharing the folder agrees on the size of the tape.
export type TapeSettings = {
	tapeMs: number;
	maxMessageMs: number;
	minMessageMs: number;
};

export const defaultSettings: TapeSettings = {
	tapeMs: 20 * 60_000,
	maxMessageMs: 60_000,
	minMessageMs: 1000,
};

export const lowTapeMs = 3 * 60_000;

/** A greeting, like a message, has a limit: a minute is plenty. */
export const greetingLimitMs = 60_000;

export function checkSettings(settings: TapeSettings): TapeSettings {
	const {tapeMs, maxMessageMs, minMessageMs} = settings;
	if (!(minMessageMs >= 0)) {
		throw new Error('the minimum message length must not be negative');
	}

	if (!(maxMessageMs >= 1000)) {
		throw new Error('the per-message limit must be at least 1s');
	}

	if (minMessageMs > maxMessageMs) {
		throw new Error('the minimum message length must not exceed the per-message limit');
	}

	if (!(tapeMs >= maxMessageMs)) {
		throw new Error('the tape must be at least as long as the per-message limit');
	}

	return settings;
}

export function parseSettings(json: unknown): TapeSettings {
	const stored = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
	const pick = (key: keyof TapeSettings) => {
		const value = stored[key];
		return typeof value === 'number' && Number.isFinite(value) ? value : defaultSettings[key];
	};

	return {tapeMs: pick('tapeMs'), maxMessageMs: pick('maxMessageMs'), minMessageMs: pick('minMessageMs')};
}
