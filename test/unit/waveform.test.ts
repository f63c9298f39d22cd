import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {computeWaveform, levelOfPeak, PeakTracker, waveformBuckets} from '../../src/pcm/waveform.js';
import {headerSize, wavHeader} from '../../src/pcm/wav.js';

/** Quiet, then loud, then quiet: a second each. */
function quietLoudQuiet(): Buffer {
	const pcm = Buffer.alloc(3 * 32_000);
	for (let index = 0; index < 48_000; index++) {
		const amplitude = index >= 16_000 && index < 32_000 ? 20_000 : 100;
		pcm.writeInt16LE(Math.round(amplitude * Math.sin(index / 7)), index * 2);
	}

	return pcm;
}

describe('the waveform', () => {
	it('maps peaks to eight levels on a decibel scale', () => {
		expect(levelOfPeak(0)).toBe(0);
		expect(levelOfPeak(32_767)).toBe(7);
		expect(levelOfPeak(100)).toBeLessThan(levelOfPeak(20_000));
	});

	it('is the same gathered while writing, in odd-sized chunks, as read back from the file', async () => {
		const pcm = quietLoudQuiet();
		const tracker = new PeakTracker();
		// Chunks of odd sizes split samples between them, as a pipe may.
		for (let offset = 0; offset < pcm.length; offset += 4097) {
			tracker.add(pcm.subarray(offset, offset + 4097));
		}

		const dir = await mkdtemp(path.join(tmpdir(), 'answerphone-waveform-'));
		try {
			const file = path.join(dir, 'x.wav');
			await writeFile(file, Buffer.concat([wavHeader(pcm.length), pcm]));
			const fromFile = await computeWaveform(file, headerSize, pcm.length);
			expect(tracker.waveform()).toEqual(fromFile);
			expect(fromFile).toHaveLength(waveformBuckets);
			// Loud in the middle third only.
			expect(fromFile.slice(4, 8).every(level => level >= 6)).toBe(true);
			expect([...fromFile.slice(0, 4), ...fromFile.slice(8)].every(level => level <= 2)).toBe(true);
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});

	it('covers only the part kept after trimming', () => {
		const tracker = new PeakTracker();
		tracker.add(quietLoudQuiet());
		expect(tracker.waveform(32_000, 64_000).every(level => level >= 6)).toBe(true);
	});
});
