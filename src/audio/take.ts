// One message being taken down: microphone PCM streamed into a draft on the
// tape, with the level published for the meter and the stop rules of an
// answering machine (a key, the per-message limit, a stretch of silence).
import type {Draft} from '../tape/store.js';
import {measureLevel, silenceFloorDb, type Level} from './level.js';
import type {Microphone} from './ports.js';
import {bytesPerSecond} from './wav.js';

export type StopReason = 'key' | 'limit' | 'silence' | 'error';

export type TakeOptions = {
	/** Stop after this much continuous silence; 0 never stops on silence. */
	silenceStopMs: number;
	/** Below this RMS level a chunk counts as silence. */
	silenceThresholdDb: number;
};

export const defaultTakeOptions: TakeOptions = {silenceStopMs: 5000, silenceThresholdDb: -45};

export class Take {
	/** Latest level; read by the meter on its own timer, never pushed per chunk. */
	level: Level = {peakDb: silenceFloorDb, rmsDb: silenceFloorDb};
	/** Resolves once the microphone has stopped and every chunk is on disk. */
	readonly ended: Promise<{reason: StopReason; error?: Error}>;
	/** Resolves at the first PCM from the microphone (the null sink's monitor takes a moment). */
	readonly listening: Promise<void>;
	private stopReason: StopReason | undefined;
	private silentBytes = 0;
	private readonly stream;

	constructor(readonly draft: Draft, microphone: Microphone, options: TakeOptions = defaultTakeOptions) {
		let resolveEnded!: (value: {reason: StopReason; error?: Error}) => void;
		let markListening!: () => void;
		this.ended = new Promise(resolve => {
			resolveEnded = resolve;
		});
		this.listening = new Promise(resolve => {
			markListening = resolve;
		});
		this.stream = microphone.open(
			pcm => {
				markListening();
				if (this.stopReason !== undefined && this.stopReason !== 'limit') {
					return;
				}

				this.level = measureLevel(pcm);
				this.silentBytes = this.level.rmsDb < options.silenceThresholdDb ? this.silentBytes + pcm.length : 0;
				// A microphone cannot be asked to wait: the file stream buffers the
				// few kilobytes a second it brings, and commit() flushes them.
				draft.write(pcm);

				if (draft.full) {
					this.stop('limit');
				} else if (options.silenceStopMs > 0 && (this.silentBytes * 1000) / bytesPerSecond >= options.silenceStopMs) {
					this.stop('silence');
				}
			},
			error => {
				resolveEnded(error ? {reason: 'error', error} : {reason: this.stopReason ?? 'key'});
			},
		);
	}

	get elapsedMs(): number {
		return this.draft.durationMs;
	}

	stop(reason: StopReason = 'key'): void {
		this.stopReason ??= reason;
		this.stream.stop();
	}
}
