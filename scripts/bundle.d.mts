// Types for scripts/bundle.mjs, which bench/run.ts imports.
import type {BuildOptions} from 'esbuild';

export function bundleIsFresh(): boolean;
export function bundleOptions(entry: string, outdir: string, options?: {inkSpeedups?: boolean}): BuildOptions;
export function bundle(): Promise<void>;
