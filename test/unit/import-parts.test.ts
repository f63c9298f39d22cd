// How a long import is cut into parts that SoX converts side by side: the
// parts must join into exactly the output one SoX would make.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {planParts} from '../../src/audio/import.js';

const rates = [8000, 11_025, 16_000, 22_050, 32_000, 44_100, 48_000, 96_000];

describe('the parts of a long import', () => {
	it('cover the output once, in order, each cut where input and output meet', () => {
		fc.assert(fc.property(
			fc.constantFrom(...rates),
			fc.integer({min: 2, max: 4}),
			fc.integer({min: 60, max: 7200}),
			fc.integer({min: 0, max: 999}),
			(rate, count, seconds, extraFrames) => {
				const frames = (seconds * rate) + (extraFrames % rate);
				const parts = planParts(frames, rate, count);
				expect(parts).toHaveLength(count);
				// Output sample n of a part is output sample (from * 16000 / rate) + n of the whole.
				let nextSample = 0;
				for (const [index, part] of parts.entries()) {
					const startSample = ((part.fromFrame * 16_000) / rate) + part.skipSamples;
					expect(Number.isInteger(startSample)).toBe(true);
					expect(startSample).toBe(nextSample);
					expect(part.fromFrame).toBeGreaterThanOrEqual(0);
					const last = index === count - 1;
					if (last) {
						expect(part.frames).toBeUndefined();
						expect(part.keepSamples).toBeUndefined();
					} else {
						// The part's input reaches past what it keeps (the margin), within the file.
						const inputEnd = part.fromFrame + part.frames!;
						expect(inputEnd).toBeLessThanOrEqual(frames);
						expect((inputEnd * 16_000) / rate).toBeGreaterThanOrEqual(startSample + part.keepSamples!);
						expect(part.keepSamples).toBeGreaterThan(0);
						nextSample = startSample + part.keepSamples!;
					}

					// A margin before every cut but the first: the resampler has settled.
					if (index > 0) {
						expect(part.skipSamples).toBeGreaterThanOrEqual(1600);
					}
				}
			},
		));
	});

	it('splits 20 minutes at 44.1 kHz in two at 10 minutes', () => {
		const [first, second] = planParts(1200 * 44_100, 44_100, 2);
		expect(first).toEqual({fromFrame: 0, frames: (600 + 0.1) * 44_100, skipSamples: 0, keepSamples: 600 * 16_000});
		expect(second).toEqual({fromFrame: (600 - 0.1) * 44_100, frames: undefined, skipSamples: 1600, keepSamples: undefined});
	});
});
