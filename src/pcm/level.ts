// Loudness of 16-bit PCM, for the level meter and for voice-operated stop.

export const silenceFloorDb = -96;

export type Level = {peakDb: number; rmsDb: number};

export function measureLevel(pcm: Buffer): Level {
	const samples = Math.floor(pcm.length / 2);
	if (samples === 0) {
		return {peakDb: silenceFloorDb, rmsDb: silenceFloorDb};
	}

	let peak = 0;
	let sumSquares = 0;
	for (let offset = 0; offset < samples * 2; offset += 2) {
		const sample = pcm.readInt16LE(offset);
		const magnitude = Math.abs(sample);
		if (magnitude > peak) {
			peak = magnitude;
		}

		sumSquares += sample * sample;
	}

	return {peakDb: toDb(peak / 32_768), rmsDb: toDb(Math.sqrt(sumSquares / samples) / 32_768)};
}

function toDb(ratio: number): number {
	return ratio > 0 ? Math.max(silenceFloorDb, 20 * Math.log10(ratio)) : silenceFloorDb;
}
