// A message's shape in a dozen levels, drawn beside it in the list
// (▁▃▅▇▅▃▁). Computed once when the message is placed and kept in its
// metadata, so listing 10,000 messages never opens a WAV.
//
// Each level is the loudness (RMS in dB) of its slice, not its peak: speech
// peaks near full scale in almost every tenth of a second, so peaks drew two
// different messages as the same solid bar. The stored shape is unchanged
// (0–7 per column), so waveforms written by older versions still read.
import {createReadStream} from 'node:fs';
import {blockAlign} from './wav.js';

export const waveformBuckets = 12;
export const waveformLevels = 8;
const floorDb = -48;

/** Loudness from -60 dB (level 0) to full scale (level 7). */
const rmsFloorDb = -60;

export function levelOfRms(rms: number): number {
	if (rms <= 0) {
		return 0;
	}

	const db = 20 * Math.log10(rms / 32_768);
	return Math.max(0, Math.min(waveformLevels - 1, Math.round(((db - rmsFloorDb) / -rmsFloorDb) * (waveformLevels - 1))));
}

/** The older mapping of a peak to a level, kept for what still reads peaks. */
export function levelOfPeak(peak: number): number {
	if (peak <= 0) {
		return 0;
	}

	const db = 20 * Math.log10(peak / 32_768);
	return Math.max(0, Math.min(waveformLevels - 1, Math.round(((db - floorDb) / -floorDb) * (waveformLevels - 1))));
}

/**
 * The loudness of a recording gathered while it is written, a tenth of a
 * second at a time, so the waveform needs no second pass over the file
 * (which cost more than half of an import's own time on a 20-minute message).
 */
export class LoudnessTracker {
	static readonly blockBytes = 3200;
	/** Per block: the sum of the squares of the samples read, and how many. */
	private readonly energy: number[] = [];
	private readonly counts: number[] = [];
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
		const blockSamples = LoudnessTracker.blockBytes / 2;
		let block = Math.floor(this.position / LoudnessTracker.blockBytes);
		let inBlock = (this.position % LoudnessTracker.blockBytes) / 2;
		let sum = this.energy[block] ?? 0;
		let count = this.counts[block] ?? 0;
		// Every fourth sample: a level in eighths of 60 dB does not need the
		// rest, and reading them all was most of an import's own time.
		for (let index = 0; index < samples.length; index++) {
			if ((inBlock & 3) === 0) {
				const sample = samples[index]!;
				sum += sample * sample;
				count++;
			}

			if (++inBlock === blockSamples) {
				this.energy[block] = sum;
				this.counts[block] = count;
				block++;
				inBlock = 0;
				sum = 0;
				count = 0;
			}
		}

		if (inBlock > 0) {
			this.energy[block] = sum;
			this.counts[block] = count;
		}

		this.position += whole;
	}

	/** The waveform of PCM bytes [startByte, endByte): what is kept after trimming. */
	waveform(startByte = 0, endByte = this.position): number[] {
		const first = Math.floor(startByte / LoudnessTracker.blockBytes);
		const last = Math.max(first, Math.ceil(endByte / LoudnessTracker.blockBytes));
		const blocks = Math.max(0, Math.min(last, this.energy.length) - first);
		const levels: number[] = Array.from({length: waveformBuckets}, () => 0);
		if (blocks === 0) {
			return levels;
		}

		// Each bucket is the loudness of all its blocks together; a message
		// shorter than a dozen blocks lends one block to several buckets rather
		// than leave gaps.
		return levels.map((_, bucket) => {
			const from = first + Math.floor((bucket * blocks) / waveformBuckets);
			const to = Math.max(from + 1, first + Math.floor(((bucket + 1) * blocks) / waveformBuckets));
			let sum = 0;
			let count = 0;
			for (let block = from; block < to; block++) {
				sum += this.energy[block] ?? 0;
				count += this.counts[block] ?? 0;
			}

			return count === 0 ? 0 : levelOfRms(Math.sqrt(sum / count));
		});
	}
}

/** The name the draft knows it by. */
export {LoudnessTracker as PeakTracker};

/** The loudness level (0–7) of each of waveformBuckets equal slices of the PCM in file (for recordings rescued after a crash). */
export async function computeWaveform(file: string, dataOffset: number, dataBytes: number): Promise<number[]> {
	const samples = Math.floor(dataBytes / blockAlign);
	const tracker = new LoudnessTracker();
	if (samples === 0) {
		return tracker.waveform();
	}

	// The same pass as while recording, so a rescued message looks as it would have.
	const stream = createReadStream(file, {start: dataOffset, end: dataOffset + (samples * blockAlign) - 1, highWaterMark: 256 * 1024});
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		tracker.add(chunk);
	}

	return tracker.waveform();
}
