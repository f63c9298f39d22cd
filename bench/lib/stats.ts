// Statistics and timing for the benchmarks.
import {setTimeout as sleep} from 'node:timers/promises';

export {sleep};

/** The figures that were measured: a failed reading (NaN, or none at all) is left out. */
function finite(values: ReadonlyArray<number | undefined>): number[] {
	return values.filter((value): value is number => Number.isFinite(value)).sort((a, b) => a - b);
}

export function median(values: ReadonlyArray<number | undefined>): number {
	const sorted = finite(values);
	if (sorted.length === 0) {
		return Number.NaN;
	}

	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export type Summary = {median: number; min: number; max: number; runs: number};

export function summary(values: ReadonlyArray<number | undefined>): Summary {
	const sorted = finite(values);
	return {
		median: median(sorted),
		min: sorted[0] ?? Number.NaN,
		max: sorted.at(-1) ?? Number.NaN,
		runs: sorted.length,
	};
}

/** The p-th percentile (0–100) by the nearest-rank method: p90 of 30 values is the 27th smallest. */
export function percentile(values: ReadonlyArray<number | undefined>, p: number): number {
	const sorted = finite(values);
	if (sorted.length === 0) {
		return Number.NaN;
	}

	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (value: number, digits = 1): number => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Runs step(index) up to `runs` times, but stops after `minRuns` once
 * budgetMs has gone by: on a slow or busy machine the bench still ends in a
 * few minutes, with fewer runs (the table says how many).
 */
export async function repeat<T>(runs: number, budgetMs: number, step: (index: number) => Promise<T>, minRuns = 3): Promise<T[]> {
	const results: T[] = [];
	const started = nowMs();
	for (let index = 0; index < runs; index++) {
		results.push(await step(index));
		if (results.length >= minRuns && nowMs() - started > budgetMs) {
			break;
		}
	}

	return results;
}
