// PCM for tape tests, and a strict reading of the headers the store writes.
// The sound is derived from a seed (the message id) so that a test can tell,
// byte for byte, whether a message survived, without keeping a copy of it.
import {writeFile} from 'node:fs/promises';
import {msToPcmBytes, wavHeader} from '../../src/pcm/wav.js';

function seedOf(text: string): number {
	let hash = 2_166_136_261;
	for (const char of text) {
		hash = Math.imul(hash ^ char.codePointAt(0)!, 16_777_619);
	}

	return hash >>> 0;
}

/** ms of 16 kHz mono 16-bit noise, the same every time for the same seed. */
export function pcm(ms: number, seed = 'tone'): Buffer {
	const buffer = Buffer.alloc(msToPcmBytes(ms));
	let state = seedOf(seed) || 1;
	for (let offset = 0; offset < buffer.length; offset += 2) {
		// Xorshift: cheap, and unlike a pure tone no two messages look alike.
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		buffer.writeInt16LE((state % 20_000) | 0, offset);
	}

	return buffer;
}

export type RawHeader = {
	riff: string;
	riffSize: number;
	wave: string;
	fmtSize: number;
	format: number;
	channels: number;
	sampleRate: number;
	byteRate: number;
	blockAlign: number;
	bitsPerSample: number;
	data: string;
	dataSize: number;
};

/** The canonical 44-byte header, field by field, without the lenience of the store's own reader. */
export function rawHeader(file: Buffer): RawHeader {
	return {
		riff: file.toString('ascii', 0, 4),
		riffSize: file.readUInt32LE(4),
		wave: file.toString('ascii', 8, 12),
		fmtSize: file.readUInt32LE(16),
		format: file.readUInt16LE(20),
		channels: file.readUInt16LE(22),
		sampleRate: file.readUInt32LE(24),
		byteRate: file.readUInt32LE(28),
		blockAlign: file.readUInt16LE(32),
		bitsPerSample: file.readUInt16LE(34),
		data: file.toString('ascii', 36, 40),
		dataSize: file.readUInt32LE(40),
	};
}

/** What a correct header for this file must say: sizes that match the bytes really there. */
export function expectedHeader(fileSize: number): RawHeader {
	return {
		riff: 'RIFF',
		riffSize: fileSize - 8,
		wave: 'WAVE',
		fmtSize: 16,
		format: 1,
		channels: 1,
		sampleRate: 16_000,
		byteRate: 32_000,
		blockAlign: 2,
		bitsPerSample: 16,
		data: 'data',
		dataSize: fileSize - 44,
	};
}

/** Writes a WAV of ms milliseconds of a steady tone in the store's own format, to import as a message. */
export async function writeToneWav(file: string, ms: number): Promise<void> {
	const samples = Math.round((ms * 16_000) / 1000);
	const audio = Buffer.alloc(samples * 2);
	for (let index = 0; index < samples; index++) {
		audio.writeInt16LE(Math.round(5000 * Math.sin(index / 6)), index * 2);
	}

	await writeFile(file, Buffer.concat([wavHeader(audio.length), audio]));
}
