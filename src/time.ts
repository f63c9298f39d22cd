// Durations as people write them on the command line ("20m", "90s", "1m30s")
// and as the machine shows them ("12:08").

const unitMs = {h: 3_600_000, m: 60_000, s: 1000, ms: 1} as const;

/**
 * The longest duration anything takes: a day. More is a typo (a tape of 400
 * nines was once Infinity, shown as "Infinityms" and stored as null).
 */
export const longestDurationMs = 24 * 3_600_000;

/** A duration written correctly but longer than longestDurationMs. */
export class DurationTooLongError extends Error {
	constructor() {
		super(`a duration must be at most ${formatDuration(longestDurationMs)}`);
	}
}

/** Parses "20m", "90s", "1m30s", "1h", "500ms" or a bare number of seconds, up to a day. */
export function parseDuration(text: string): number {
	const trimmed = text.trim();
	let total = 0;
	if (/^\d+(\.\d+)?$/.test(trimmed)) {
		total = Number(trimmed) * 1000;
	} else {
		const part = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
		let consumed = 0;
		// Each unit once, larger first: "1m1m" or "30s1m" is a typo, not 2m or 1m30s.
		let lastUnitMs = Infinity;
		let inOrder = true;
		for (const match of trimmed.matchAll(part)) {
			const size = unitMs[match[2] as keyof typeof unitMs];
			inOrder &&= size < lastUnitMs;
			lastUnitMs = size;
			total += Number(match[1]) * size;
			consumed += match[0].length;
		}

		if (consumed === 0 || consumed !== trimmed.length || !inOrder) {
			throw new Error(`"${text}" is not a duration (write it like 20m, 90s or 1m30s)`);
		}
	}

	// Not finite: more digits than a double holds.
	if (!Number.isFinite(total) || Math.round(total) > longestDurationMs) {
		throw new DurationTooLongError();
	}

	return Math.round(total);
}

/** 0:08, 12:08, 1:02:03: minutes and seconds like a tape counter. */
export function formatClock(ms: number): string {
	const totalSeconds = Math.max(0, Math.floor(ms / 1000));
	const hours = Math.floor(totalSeconds / 3600);
	const minutes = Math.floor((totalSeconds % 3600) / 60);
	const seconds = totalSeconds % 60;
	const ss = String(seconds).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/** Short form for settings output: "20m", "1m30s", "60s", "1h30m", "500ms". */
export function formatDuration(ms: number): string {
	if (ms < 0) {
		return `-${formatDuration(-ms)}`;
	}

	if (!Number.isFinite(ms) || ms % 1000 !== 0 || ms === 0) {
		return ms === 0 ? '0s' : `${ms}ms`;
	}

	const hours = Math.floor(ms / 3_600_000);
	const minutes = Math.floor((ms % 3_600_000) / 60_000);
	const seconds = (ms % 60_000) / 1000;
	return [[hours, 'h'], [minutes, 'm'], [seconds, 's']].filter(([amount]) => amount !== 0).map(([amount, unit]) => `${amount}${unit}`).join('');
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
// Spelled out rather than asked of toLocaleString, which consults ICU on every
// call and showed up when drawing rows on every key press.
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function hoursAndMinutes(date: Date): string {
	return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** "Fri 27 Nov, 18:42": the machine's clock. */
export function formatClockFace(now: Date): string {
	return `${weekdays[now.getDay()]} ${now.getDate()} ${months[now.getMonth()]}, ${hoursAndMinutes(now)}`;
}

/** "Tue 16:05" for this week, "27 Nov 16:05" for older messages. */
export function formatStamp(createdAt: Date, now: Date): string {
	const hhmm = hoursAndMinutes(createdAt);
	const ageMs = now.getTime() - createdAt.getTime();
	if (ageMs < 6 * 86_400_000) {
		return `${weekdays[createdAt.getDay()]} ${hhmm}`;
	}

	return `${String(createdAt.getDate()).padStart(2, ' ')} ${months[createdAt.getMonth()]} ${hhmm}`;
}

/**
 * Plain code-unit order for ISO timestamps and ids, which sort correctly that
 * way. localeCompare would consult the locale on every comparison, and costs
 * a tenth of a second when sorting 10,000 messages.
 */
export function compareText(a: string, b: string): number {
	if (a === b) {
		return 0;
	}

	return a < b ? -1 : 1;
}
