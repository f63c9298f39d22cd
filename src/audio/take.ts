// One message being taken down: microphone PCM streamed into a draft on the
// tape, with the level published for the meter and the stop rules of an
// answering machine (a key, the limit, a stretch of silence).
import {measureLevel, silenceFloorDb, type Level} from '../pcm/level.js';
import type {Microphone} from './ports.js';
import {bytesPerSecond, msToPcmBytes} from '../pcm/wav.js';

export type StopReason = 'key' | 'limit' | 'silence' | 'error';

export type TakeOptions = {
	/** Stop after this much continuous silence; 0 never stops on silence. */
	silenceStopMs: number;
	/** Below this RMS level a chunk counts as silence. */
	silenceThresholdDb: number;
};

export const defaultTakeOptions: TakeOptions = {silenceStopMs: 5000, silenceThresholdDb: -45};

/** Silence kept before the first and after the last word when trimming. */
export const trimMarginMs = 300;

/** The warning tone sounds this long before the limit. */
export const limitWarningMs = 5000;

/** Where the PCM goes: a Draft of a message or of the greeting. */
export type PcmSink = {
	write(pcm: Buffer): boolean;
	readonly full: boolean;
	readonly durationMs: number;
	readonly limitMs: number;
};

export class Take {
	/** Latest level; read by the meter on its own timer, never pushed per chunk. */
	level: Level = {peakDb: silenceFloorDb, rmsDb: silenceFloorDb};
	/** Resolves once the microphone has stopped. */
	readonly ended: Promise<{reason: StopReason; error?: Error}>;
	/** Resolves at the first PCM kept from the microphone (the null sink's monitor takes a moment). */
	readonly listening: Promise<void>;
	/** Called once, limitWarningMs before the limit, so the caller can be warned. */
	onLimitWarning: (() => void) | undefined;
	private stopReason: StopReason | undefined;
	private silentBytes = 0;
	private written = 0;
	private firstVoiceByte: number | undefined;
	private lastVoiceByte = 0;
	private paused: boolean;
	private warned = false;
	private readonly stream;

	constructor(readonly sink: PcmSink, microphone: Microphone, options: TakeOptions = defaultTakeOptions, {paused = false} = {}) {
		this.paused = paused;
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
				// Paused, or still in the greeting and the beep: the microphone runs
				// (so no words are lost to its start-up time) but nothing is kept.
				if (this.paused || (this.stopReason !== undefined && this.stopReason !== 'limit')) {
					return;
				}

				markListening();
				this.level = measureLevel(pcm);
				const voiced = this.level.rmsDb >= options.silenceThresholdDb;
				this.silentBytes = voiced ? 0 : this.silentBytes + pcm.length;
				// A microphone cannot be asked to wait: the file stream buffers the
				// few kilobytes a second it brings, and commit() flushes them.
				sink.write(pcm);
				if (voiced) {
					this.firstVoiceByte ??= this.written;
					this.lastVoiceByte = this.written + pcm.length;
				}

				this.written += pcm.length;
				if (!this.warned && sink.limitMs > limitWarningMs * 2 && sink.durationMs >= sink.limitMs - limitWarningMs) {
					this.warned = true;
					this.onLimitWarning?.();
				}

				if (sink.full) {
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

	/** Drops the microphone's PCM in Node until resume(); sox keeps running. */
	pause(): void {
		this.paused = true;
	}

	resume(): void {
		this.paused = false;
	}

	/**
	 * The part worth keeping: from trimMarginMs before the first word to
	 * trimMarginMs after the last. Empty when nothing was said at all.
	 */
	voicedRange(): {startByte: number; endByte: number} {
		if (this.firstVoiceByte === undefined) {
			return {startByte: 0, endByte: 0};
		}

		const margin = msToPcmBytes(trimMarginMs);
		return {
			startByte: Math.max(0, this.firstVoiceByte - margin),
			endByte: Math.min(this.written, this.lastVoiceByte + margin),
		};
	}

	stop(reason: StopReason = 'key'): void {
		this.stopReason ??= reason;
		this.stream.stop();
	}
}
