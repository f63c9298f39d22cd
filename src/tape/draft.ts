// A recording growing in tmp/, written to disk as it arrives; what becomes of
// it once finished (a message, the greeting) is up to whoever began it.
import {closeSync, constants, createWriteStream, openSync, type WriteStream} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {headerSize, msToPcmBytes, pcmBytesToMs, repairWavHeader, wavHeader} from '../pcm/wav.js';
import {PeakTracker} from '../pcm/waveform.js';
import {setFileModeSync, type StoreModes} from './layout.js';
import {fsyncPath, isDiskFull} from './meta-files.js';
import {noFollow, rewriteFlags} from './safe-files.js';
import type {CommitResult} from './types.js';

/**
 * Keeps only PCM bytes [startByte, endByte) of a file we wrote, moving them
 * forward in place a chunk at a time, so a long recording is never read into
 * memory whole.
 */
async function keepPcmRange(handle: FileHandle, startByte: number, endByte: number): Promise<void> {
	const {size} = await handle.stat();
	const present = Math.max(0, size - headerSize);
	const start = Math.min(Math.max(0, startByte - (startByte % 2)), present);
	const end = Math.min(Math.max(start, endByte - (endByte % 2)), present);
	if (start > 0) {
		const chunk = Buffer.alloc(64 * 1024);
		for (let moved = 0; moved < end - start; moved += chunk.length) {
			const length = Math.min(chunk.length, end - start - moved);
			const {bytesRead} = await handle.read(chunk, 0, length, headerSize + start + moved);
			await handle.write(chunk, 0, bytesRead, headerSize + moved);
		}
	}

	await handle.truncate(headerSize + end - start);
}

/** What to do with a finished draft: place it (as a message, or as the greeting), or throw it away. */
export type DraftFinisher<T> = {
	place(draft: Draft<T>): Promise<T>;
	drop(): Promise<void>;
	/**
	 * Place what reached the disk when it filled during the recording (a
	 * caller's message exists nowhere else), rather than leave it in tmp/.
	 * The result then says so (see Draft.cutByFullDisk).
	 */
	keepWhenDiskFull?: boolean;
	/** Records the programs that write the draft's audio besides this process (see Draft.appendDescriptor). */
	noteHelpers?(pids: number[]): void;
};

/**
 * A recording growing in tmp/. PCM is written straight to disk as it arrives,
 * never gathered in memory; anything past the limit is dropped.
 */
export class Draft<T = CommitResult> {
	private pcmBytes = 0;
	private cut = false;
	private finished = false;
	private readonly limitBytes: number;
	private readonly peaks = new PeakTracker();
	private kept: {startByte: number; endByte: number} | undefined;

	constructor(
		readonly id: string,
		readonly file: string,
		private readonly stream: WriteStream,
		/** The per-message limit, or the room on the tape if that is less. */
		readonly limitMs: number,
		private readonly finisher: DraftFinisher<T>,
	) {
		this.limitBytes = msToPcmBytes(limitMs);
		// A full disk or a vanished folder: remembered, so the recording stops
		// at once (full) and commit reports the real reason.
		stream.on('error', error => {
			this.failure ??= error;
		});
	}

	private failure: Error | undefined;

	/** Opens a draft file with a placeholder header, ready for PCM. */
	static create<T>(id: string, file: string, limitMs: number, finisher: DraftFinisher<T>, modes: StoreModes): Draft<T> {
		// A new file, never an existing one: O_EXCL fails on a link planted there.
		const descriptor = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, modes.fileMode);
		try {
			setFileModeSync(descriptor, modes);
		} catch (error) {
			closeSync(descriptor);
			throw error;
		}

		const stream = createWriteStream(file, {fd: descriptor});
		const draft = new Draft(id, file, stream, limitMs, finisher);
		draft.headerWritten = new Promise(resolve => {
			// A failure is kept by the stream's error handler and reported by commit().
			stream.write(wavHeader(0), () => {
				resolve();
			});
		});
		return draft;
	}

	private headerWritten: Promise<void> = Promise.resolve();
	private appender: FileHandle | undefined;

	/**
	 * The draft's file, open for appending after its header, for a program
	 * that writes the PCM itself (SoX converting an import) so that the audio
	 * never passes through this process. Name that program with helpedBy();
	 * once it has exited, adoptAppended() takes in what it wrote.
	 */
	async appendDescriptor(): Promise<number> {
		await this.headerWritten;
		this.appender ??= await open(this.file, constants.O_RDWR | constants.O_APPEND | noFollow);
		return this.appender.fd;
	}

	/**
	 * Notes the programs writing the audio, so that recovery after a crash of
	 * this process waits for them. Synchronous, to be called at once after
	 * starting them: until the note is on disk, a crash here would have the
	 * draft placed while they still write to it.
	 */
	helpedBy(pids: number[]): void {
		this.finisher.noteHelpers?.(pids);
	}

	/** Throws away what other programs have appended so far, to convert again another way. */
	async discardAppended(): Promise<void> {
		await this.appender?.truncate(headerSize + this.pcmBytes);
	}

	/**
	 * Takes in the PCM other programs appended: what is past the limit is cut
	 * off, and the waveform is read back from the file in one pass with one
	 * buffer, so even a long import costs no memory.
	 */
	async adoptAppended(): Promise<void> {
		const handle = this.appender;
		if (handle === undefined) {
			return;
		}

		this.appender = undefined;
		try {
			const {size} = await handle.stat();
			const written = Math.max(0, size - headerSize - this.pcmBytes);
			let adopted = written - (written % 2);
			if (this.pcmBytes + adopted > this.limitBytes) {
				this.cut = true;
				adopted = Math.max(0, this.limitBytes - this.pcmBytes);
				await handle.truncate(headerSize + this.pcmBytes + adopted);
			}

			const buffer = Buffer.allocUnsafe(1 << 20);
			let position = headerSize + this.pcmBytes;
			const end = position + adopted;
			while (position < end) {
				const {bytesRead} = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
				if (bytesRead === 0) {
					break;
				}

				this.peaks.add(buffer.subarray(0, bytesRead));
				position += bytesRead;
			}

			this.pcmBytes += adopted;
		} finally {
			await handle.close();
		}
	}

	get durationMs(): number {
		return pcmBytesToMs(this.pcmBytes);
	}

	/** True once the limit is reached, or the disk refused: the caller should stop recording. */
	get full(): boolean {
		return this.pcmBytes >= this.limitBytes || this.failure !== undefined;
	}

	get cutAtLimit(): boolean {
		return this.cut;
	}

	/** True once the disk filled during the recording and only what reached it was placed. */
	get cutByFullDisk(): boolean {
		return this.diskFull;
	}

	private diskFull = false;

	/** The list's little waveform of what was written, or of the part kept by commit(). */
	get waveform(): number[] {
		return this.peaks.waveform(this.kept?.startByte, this.kept?.endByte);
	}

	/** Appends PCM; returns false when the stream wants the writer to wait for 'drain'. */
	write(pcm: Buffer): boolean {
		if (this.finished) {
			return true;
		}

		const room = this.limitBytes - this.pcmBytes;
		if (pcm.length > room) {
			this.cut = true;
			pcm = pcm.subarray(0, Math.max(0, room - (room % 2)));
		}

		if (pcm.length === 0) {
			return true;
		}

		this.pcmBytes += pcm.length;
		this.peaks.add(pcm);
		return this.stream.write(pcm);
	}

	/** Resolves once the stream has room again (at once if it already has). */
	waitForDrain(): Promise<void> {
		if (!this.stream.writableNeedDrain) {
			return Promise.resolve();
		}

		return new Promise(resolve => {
			this.stream.once('drain', resolve);
		});
	}

	/**
	 * Writes the header, fsyncs and places the recording. With keep, only that
	 * byte range of the PCM is kept: the voice-operated trim of leading and
	 * trailing silence.
	 */
	async commit(options: {keep?: {startByte: number; endByte: number}} = {}): Promise<T> {
		await this.close().catch((error: unknown) => {
			this.failure ??= error as Error;
		});
		this.diskFull = isDiskFull(this.failure) && this.finisher.keepWhenDiskFull === true;
		if (this.failure && !this.diskFull) {
			// What was written before the failure stays in tmp/, where the next
			// open recovers it; nothing is thrown away here.
			throw new Error(`the recording could not be written: ${this.failure.message}`);
		}

		const handle = await open(this.file, rewriteFlags);
		try {
			if (options.keep) {
				this.kept = options.keep;
				await keepPcmRange(handle, options.keep.startByte, options.keep.endByte);
			}

			await repairWavHeader(handle);
			await handle.sync();
		} finally {
			await handle.close();
		}

		await fsyncPath(path.dirname(this.file)).catch(() => undefined);
		return this.diskFull ? this.placeOnFullDisk() : this.finisher.place(this);
	}

	/**
	 * The disk filled during the recording: what reached it is placed. If not
	 * even its small metadata fits, the last fraction of a second of the audio
	 * makes room for it (the result says the message was cut short either way);
	 * failing that, it stays in tmp/ and the error says where.
	 */
	private async placeOnFullDisk(): Promise<T> {
		try {
			return await this.finisher.place(this);
		} catch (error) {
			if (!isDiskFull(error)) {
				throw error;
			}
		}

		const handle = await open(this.file, rewriteFlags);
		try {
			// Two of the disk's blocks free at least one whole one, which holds
			// the metadata many times over: a fraction of a second of audio.
			const {size, blksize} = await handle.stat();
			await handle.truncate(Math.max(headerSize, size - (2 * Math.max(blksize, 4096))));
			await repairWavHeader(handle);
		} finally {
			await handle.close();
		}

		try {
			return await this.finisher.place(this);
		} catch (error) {
			if (!isDiskFull(error)) {
				throw error;
			}

			throw new Error(`the disk is full: the recording could not be saved; what was recorded waits in ${this.file}, and the next answerphone to open the store saves it once there is room`);
		}
	}

	async discard(): Promise<void> {
		// A stream that failed (a full disk) must not keep its files from going.
		await this.close().catch(() => undefined);
		await this.finisher.drop();
	}

	private async close(): Promise<void> {
		if (this.finished) {
			return;
		}

		this.finished = true;
		await this.appender?.close();
		this.appender = undefined;
		if (this.stream.destroyed) {
			return;
		}

		await new Promise<void>((resolve, reject) => {
			this.stream.end((error?: Error | null) => {
				if (error) {
					reject(error);
				} else {
					resolve();
				}
			});
		});
	}
}
