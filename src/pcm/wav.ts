// The store's audio format and the WAV header that goes with it. We write the
// header ourselves because a WAV piped out of sox carries placeholder sizes,
// and because a recording cut short by a crash must be repairable in place.
import {constants} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';

export const sampleRate = 16_000;
export const channels = 1;
export const bytesPerSample = 2;
export const blockAlign = channels * bytesPerSample;
export const bytesPerSecond = sampleRate * blockAlign;
export const headerSize = 44;

export function pcmBytesToMs(bytes: number): number {
	return Math.floor((Math.floor(bytes / blockAlign) * 1000) / sampleRate);
}

export function msToPcmBytes(ms: number): number {
	return Math.floor((ms * sampleRate) / 1000) * blockAlign;
}

/** A canonical 44-byte header for 16 kHz mono 16-bit PCM holding dataBytes. */
export function wavHeader(dataBytes: number): Buffer {
	const header = Buffer.alloc(headerSize);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + dataBytes, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(channels, 22);
	header.writeUInt32LE(sampleRate, 24);
	header.writeUInt32LE(bytesPerSecond, 28);
	header.writeUInt16LE(blockAlign, 32);
	header.writeUInt16LE(bytesPerSample * 8, 34);
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(dataBytes, 40);
	return header;
}

export type WavInfo = {
	/** 1 integer PCM, 3 float, …; for WAVE_FORMAT_EXTENSIBLE, the format inside it. */
	format: number;
	channels: number;
	sampleRate: number;
	bitsPerSample: number;
	dataOffset: number;
	/** Bytes of sample data actually present in the file. */
	dataBytes: number;
	/** False when the header's data size was a streaming placeholder (0 or 0xFFFFFFFF). */
	sizeDeclared: boolean;
	durationMs: number;
};

const extensibleFormat = 0xFF_FE;

export class WavError extends Error {}

/**
 * Reads a WAV header and checks it against the file's real size. Throws
 * WavError with a one-line reason for anything that is not a usable WAV.
 */
export function parseWavHeader(head: Buffer, fileSize: number): WavInfo {
	if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
		throw new WavError('not a WAV file (no RIFF/WAVE header)');
	}

	let offset = 12;
	let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'sizeDeclared' | 'durationMs'> | undefined;
	while (offset + 8 <= head.length) {
		const id = head.toString('ascii', offset, offset + 4);
		const size = head.readUInt32LE(offset + 4);
		const body = offset + 8;
		if (id === 'fmt ') {
			if (body + 16 > head.length) {
				throw new WavError('truncated WAV header');
			}

			const format = head.readUInt16LE(body);
			fmt = {
				// The real format of an extensible WAV is the start of its sub-format GUID.
				format: format === extensibleFormat && size >= 40 && body + 26 <= head.length ? head.readUInt16LE(body + 24) : format,
				channels: head.readUInt16LE(body + 2),
				sampleRate: head.readUInt32LE(body + 4),
				bitsPerSample: head.readUInt16LE(body + 14),
			};
		} else if (id === 'data') {
			if (!fmt) {
				throw new WavError('WAV data chunk before its format chunk');
			}

			const frame = Math.max(1, (fmt.channels * fmt.bitsPerSample) / 8);
			const present = Math.max(0, fileSize - body);
			// Sizes of 0 or 0xFFFFFFFF are streaming placeholders: trust the file.
			const sizeDeclared = size !== 0 && size !== 0xff_ff_ff_ff;
			const declared = sizeDeclared ? Math.min(size, present) : present;
			const dataBytes = declared - (declared % frame);
			const bytesPerSec = fmt.sampleRate * frame;
			return {
				...fmt,
				dataOffset: body,
				dataBytes,
				sizeDeclared,
				durationMs: bytesPerSec > 0 ? Math.floor((dataBytes * 1000) / bytesPerSec) : 0,
			};
		}

		offset = body + size + (size % 2);
	}

	throw new WavError(fmt ? 'WAV file has no data chunk' : 'truncated WAV header');
}

export async function readWavInfo(file: string): Promise<WavInfo> {
	// Never through a link and never blocked by a FIFO: a file someone put in
	// the store is checked here before any player is handed it.
	const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch((error: unknown) => {
		throw (error as NodeJS.ErrnoException).code === 'ELOOP' ? new WavError('not a regular file (a link)') : error;
	});
	try {
		const stats = await handle.stat();
		if (!stats.isFile()) {
			throw new WavError('not a regular file');
		}

		const {size} = stats;
		const head = Buffer.alloc(Math.min(size, 4096));
		await handle.read(head, 0, head.length, 0);
		return parseWavHeader(head, size);
	} finally {
		await handle.close();
	}
}

export function isStoreFormat(info: WavInfo): boolean {
	return info.format === 1 && info.channels === channels && info.sampleRate === sampleRate && info.bitsPerSample === 16;
}

/**
 * Makes the header of a file we wrote (44-byte header, then PCM) agree with
 * the bytes really on disk, dropping a trailing partial sample and anything
 * past maxDataBytes. Used when a recording ends and when one cut short by a
 * crash is recovered.
 */
export async function repairWavHeader(handle: FileHandle, maxDataBytes = Number.POSITIVE_INFINITY): Promise<number> {
	const {size} = await handle.stat();
	const present = Math.max(0, size - headerSize);
	const kept = Math.min(present, maxDataBytes);
	const dataBytes = kept - (kept % blockAlign);
	if (dataBytes !== present) {
		await handle.truncate(headerSize + dataBytes);
	}

	await handle.write(wavHeader(dataBytes), 0, headerSize, 0);
	return dataBytes;
}
