// Issue 12: the list's waveform shows loudness over time (RMS in dB per
// column), so two spoken messages with the same peaks still look different.
import {describe, expect, it} from 'vitest';
import {levelOfRms, PeakTracker} from '../../src/pcm/waveform.js';

/** ms of a tone whose amplitude follows envelope(t) for t from 0 to 1, with a full-scale click every 100 ms. */
function signal(ms: number, envelope: (t: number) => number): Buffer {
	const samples = (ms * 16_000) / 1000;
	const pcm = Buffer.alloc(samples * 2);
	for (let index = 0; index < samples; index++) {
		const click = index % 1600 === 0 ? 30_000 : 0;
		const value = click || Math.round(envelope(index / samples) * Math.sin(index / 5));
		pcm.writeInt16LE(value, index * 2);
	}

	return pcm;
}

function waveformOf(pcm: Buffer): number[] {
	const tracker = new PeakTracker();
	tracker.add(pcm);
	return tracker.waveform();
}

describe('the waveform as loudness', () => {
	it('maps -60..0 dB RMS onto the eight levels', () => {
		expect(levelOfRms(0)).toBe(0);
		expect(levelOfRms(32_768)).toBe(7);
		expect(levelOfRms(32_768 / 1000)).toBe(0);
		expect(levelOfRms(32_768 / 10)).toBeGreaterThan(3);
		expect(levelOfRms(32_768 / 10)).toBeLessThan(6);
	});

	it('draws two messages with the same peaks differently', () => {
		// Both have a full-scale click in every tenth of a second, as speech has
		// its plosives; one is loud throughout, the other fades out.
		const steady = waveformOf(signal(3000, () => 12_000));
		const fading = waveformOf(signal(3000, t => 12_000 * (1 - t) ** 3));
		expect(steady).not.toEqual(fading);
		expect(fading[0]).toBeGreaterThan(fading.at(-1)!);
		expect(new Set(fading).size).toBeGreaterThanOrEqual(3);
		// Every level stays in the stored shape.
		expect([...steady, ...fading].every(level => Number.isInteger(level) && level >= 0 && level <= 7)).toBe(true);
	});
});
