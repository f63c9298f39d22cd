// What a benchmark is given and what it hands back: rows for the table (one
// per figure that has a target or explains one) and details for results.json.
import {round, type Summary} from './stats.js';

export type SuiteContext = {
	/** The copy of dist/cli.js to run. */
	cli: string;
	/** The minimal Ink app, built (see run.ts). */
	minimalInk: string;
	/** The same app bundled as the CLI is (scripts/bundle.mjs): one file, like dist/cli.js, but without the machine's speed-ups to Ink's dependencies. */
	minimalInkBundled: string;
	/** The same again, with those speed-ups. */
	minimalInkTuned: string;
	log: (line: string) => void;
	quick: boolean;
	root: string;
};

export type Row = {
	bench: string;
	measure: string;
	value: number | string;
	unit: string;
	spread: string;
	target: string;
	/** true or false against the target, null for a figure without one. */
	pass: boolean | null;
};

export type SuiteResult = {rows: Row[]; details: unknown};

export type Suite = (context: SuiteContext) => Promise<SuiteResult>;

/** One table row. pass is true/false, or null for a figure without a target. */
export function row(bench: string, measure: string, value: number | string, {unit = '', spread = '', target = '', pass = null}: Partial<Omit<Row, 'bench' | 'measure' | 'value'>> = {}): Row {
	return {bench, measure, value, unit, spread, target, pass};
}

export const spreadOf = (stats: Summary, digits = 0, unit = ''): string => `${round(stats.min, digits)}–${round(stats.max, digits)}${unit} (n=${stats.runs})`;

export const mb = (kb: number): number => kb / 1024;
