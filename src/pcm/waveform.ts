// A message's shape in a dozen levels, drawn beside it in the list
// (▁▃▅▇▅▃▁). Computed once when the message is placed and kept in its
// metadata, so listing 10,000 messages never opens a WAV.
import {createReadStream} from 'node:fs';
import {blockAlign} from './wav.js';

export const waveformBuckets = 12;
export const waveformLevels = 8;
const floorDb = -48;

export function levelOfPeak(peak: number): number {
	if (peak <= 0) {
		return 0;
	}

	const db = 20 * Math.log10(peak / 32_768);
	return Math.max(0, Math.min(waveformLevels - 1, Math.round(((db - floorDb) / -floorDb) * (waveformLevels - 1))));
}

/**
 * The peaks of a recording gathered while it is written, a tenth of a second
 * at a time, so the waveform needs no second pass over the file (which cost
 * more than half of an import's own time on a 20-minute message).
 */
export class PeakTracker {
	static readonly blockBytes = 3200;
	private readonly peaks: number[] = [];
	private position = 0;

	/** A byte of a sample split between two chunks (a pipe may cut anywhere). */
	private carry: Buffer | undefined;

	add(pcm: Buffer): void {
		let data = pcm;
		if (this.carry) {
			data = Buffer.concat([this.carry, pcm]);
			this.carry = undefined;
		}

		const whole = data.length - (data.length % 2);
		if (whole < data.length) {
			this.carry = Buffer.from(data.subarray(whole));
		}

		// A typed view reads the samples without a call per sample; both the
		// store's format and every platform Node runs on are little-endian.
		const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data.subarray(0, whole));
		const samples = new Int16Array(aligned.buffer, aligned.byteOffset, whole / 2);
		const blockSamples = PeakTracker.blockBytes / 2;
		let block = Math.floor(this.position / PeakTracker.blockBytes);
		let inBlock = (this.position % PeakTracker.blockBytes) / 2;
		let peak = this.peaks[block] ?? 0;
		// Every fourth sample: a level in eighths of 48 dB does not need the
		// rest, and reading them all was most of an import's own time.
		for (let index = 0; index < samples.length; index++) {
			if ((inBlock & 3) === 0) {
				const sample = samples[index]!;
				const magnitude = sample < 0 ? -sample : sample;
				if (magnitude > peak) {
					peak = magnitude;
				}
			}

			if (++inBlock === blockSamples) {
				this.peaks[block] = peak;
				block++;
				inBlock = 0;
				peak = 0;
			}
		}

		if (inBlock > 0) {
			this.peaks[block] = peak;
		}

		this.position += whole;
	}

	/** The waveform of PCM bytes [startByte, endByte): what is kept after trimming. */
	waveform(startByte = 0, endByte = this.position): number[] {
		const first = Math.floor(startByte / PeakTracker.blockBytes);
		const last = Math.max(first, Math.ceil(endByte / PeakTracker.blockBytes));
		const blocks = this.peaks.slice(first, last);
		const levels: number[] = Array.from({length: waveformBuckets}, () => 0);
		if (blocks.length === 0) {
			return levels;
		}

		// Each bucket takes the loudest of its blocks; a message shorter than a
		// dozen blocks lends one block to several buckets rather than leave gaps.
		return levels.map((_, bucket) => {
			const from = Math.floor((bucket * blocks.length) / waveformBuckets);
			const to = Math.max(from + 1, Math.floor(((bucket + 1) * blocks.length) / waveformBuckets));
			return levelOfPeak(Math.max(...blocks.slice(from, to).map(peak => peak ?? 0)));
		});
	}
}

/** Peak level (0–7) of each of waveformBuckets equal slices of the PCM in file (for recordings rescued after a crash). */
export async function computeWaveform(file: string, dataOffset: number, dataBytes: number): Promise<number[]> {
	const samples = Math.floor(dataBytes / blockAlign);
	const peaks: number[] = Array.from({length: waveformBuckets}, () => 0);
	if (samples === 0) {
		return peaks;
	}

	let index = 0;
	let carry: Buffer | undefined;
	const stream = createReadStream(file, {start: dataOffset, end: dataOffset + (samples * blockAlign) - 1, highWaterMark: 256 * 1024});
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		const data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
		const whole = data.length - (data.length % 2);
		for (let offset = 0; offset < whole; offset += 2) {
			const magnitude = Math.abs(data.readInt16LE(offset));
			const bucket = Math.min(waveformBuckets - 1, Math.floor((index * waveformBuckets) / samples));
			if (magnitude > peaks[bucket]!) {
				peaks[bucket] = magnitude;
			}

			index++;
		}

		carry = whole < data.length ? data.subarray(whole) : undefined;
	}

	return peaks.map(peak => levelOfPeak(peak));
}
