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

/** Peak level (0–7) of each of waveformBuckets equal slices of the PCM in file. */
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
