// Importing a sound file (or a WAV stream on stdin) into a draft. SoX reads
// whatever it can (other rates, stereo, float, 8-bit, u-law) and writes the
// store's format as raw PCM straight into the draft's file: the audio never
// passes through Node, so a long import costs no more memory than a short one.
//
// Resampling is most of the work, and SoX does it on one core. A long PCM
// WAV at a common rate is therefore cut into as many parts as there are cores,
// each converted by a SoX of its own from a little before its start to a
// little after its end, and the parts are joined where the margins meet: the
// result is the same, sample for sample, as one SoX would make, in half the
// time on two cores.
import {spawn, type ChildProcess} from 'node:child_process';
import {fstat, write} from 'node:fs';
import {open, stat, unlink, type FileHandle} from 'node:fs/promises';
import {availableParallelism} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {findProgram, installAdvice} from './programs.js';
import {blockAlign, channels, headerSize, msToPcmBytes, pcmBytesToMs, readWavInfo, sampleRate} from '../pcm/wav.js';
import {formatClock} from '../time.js';

/**
 * What an import needs of the draft it fills (the tape's Draft is one): a
 * file to append to, a limit, and a way to tell it who writes and when.
 */
export type ImportTarget = {
	readonly file: string;
	readonly limitMs: number;
	/** The draft's file, open for appending after its header. */
	appendDescriptor(): Promise<number>;
	/** Names the programs writing to it, at once after starting them. */
	helpedBy(pids: number[]): void;
	/** Throws away what was appended, to convert again another way. */
	discardAppended(): Promise<void>;
	/** Takes in what was appended, once every program has exited. */
	adoptAppended(): Promise<void>;
};

export class ImportCancelled extends Error {
	constructor() {
		super('cancelled: nothing saved');
	}
}

/** SoX (or the join of its parts) could not write the whole audio: the disk is full. */
function diskFullError(): Error {
	return Object.assign(new Error('no space left on device'), {code: 'ENOSPC'});
}

/** One SoX's share of an import: input frames [from, from + frames), then output samples [skip, skip + keep). */
export type ImportPart = {fromFrame: number; frames?: number; skipSamples: number; keepSamples?: number};

/** Inputs shorter than this are converted by one SoX: starting more would cost more than it saves. */
const shortestSplitMs = 60_000;
/**
 * Each part is converted from this much before its start to this much after
 * its end, so that the resampler has settled where the parts are joined
 * (SoX's filters here span a few milliseconds).
 */
const marginMs = 100;

function gcd(a: number, b: number): number {
	return b === 0 ? a : gcd(b, a % b);
}

/**
 * How to cut an input of `frames` frames at `inputRate` into `count` parts
 * whose outputs join exactly: every cut falls where an input frame and an
 * output sample start at the same instant.
 */
export function planParts(frames: number, inputRate: number, count: number): ImportPart[] {
	const divisor = gcd(inputRate, sampleRate);
	const stepFrames = inputRate / divisor;
	const stepSamples = sampleRate / divisor;
	const steps = Math.floor(frames / stepFrames);
	const marginSteps = Math.ceil((marginMs * inputRate) / 1000 / stepFrames);
	const cuts = Array.from({length: count + 1}, (_, index) => Math.round((index * steps) / count));
	return cuts.slice(0, -1).map((startStep, index) => {
		const endStep = cuts[index + 1]!;
		const fromStep = Math.max(0, startStep - marginSteps);
		const last = index === count - 1;
		return {
			fromFrame: fromStep * stepFrames,
			// The last part runs to the end of the input, including any frames
			// past the last whole step.
			frames: last ? undefined : (Math.min(steps, endStep + marginSteps) - fromStep) * stepFrames,
			skipSamples: (startStep - fromStep) * stepSamples,
			keepSamples: last ? undefined : (endStep - startStep) * stepSamples,
		};
	});
}

/** Bigger steps mean a rate SoX only approximates (44101 Hz), and parts that no longer join exactly. */
const longestStepFrames = 441;

/** The parts to convert a file in, or undefined when one SoX should do it all. */
export async function splitFor(file: string, limitMs: number): Promise<ImportPart[] | undefined> {
	const cores = Math.min(availableParallelism(), 4);
	let info;
	try {
		// Only a plain file: reading the header of a pipe (--input <(…)) would
		// take those bytes away from SoX.
		if (!(await stat(file)).isFile()) {
			return undefined;
		}

		info = await readWavInfo(file);
	} catch {
		// Not a WAV: one SoX reads it from start to end.
		return undefined;
	}

	// Integer or float PCM only, where a frame has a fixed size and SoX seeks
	// to the sample; other WAVs (ADPCM, GSM, …) go through one SoX. So does a
	// WAV whose header gives no size: SoX reads it as empty, except after a seek.
	if ((info.format !== 1 && info.format !== 3) || info.bitsPerSample % 8 !== 0 || !info.sizeDeclared) {
		return undefined;
	}

	const frames = info.dataBytes / Math.max(1, (info.channels * info.bitsPerSample) / 8);
	// Already at the store's rate, a conversion is a copy and quick as it is; a
	// file longer than the limit is cut, and one SoX stops there by itself.
	if (cores < 2 || info.sampleRate === sampleRate || info.sampleRate <= 0 || info.durationMs < shortestSplitMs || info.durationMs > limitMs) {
		return undefined;
	}

	if (info.sampleRate / gcd(info.sampleRate, sampleRate) > longestStepFrames) {
		return undefined;
	}

	return planParts(frames, info.sampleRate, cores);
}

const writeTo = promisify(write);
const statOf = promisify(fstat);

type Converter = {process: ChildProcess; exit: Promise<number | null>; failure: () => string; failedQuietly: () => boolean; diskFull: () => boolean};

function startSox(input: string, output: number, part: ImportPart | undefined, limitSamples: number): Converter {
	const fromStdin = input === '-';
	const inputTrim = part ? ['trim', `${part.fromFrame}s`, ...(part.frames === undefined ? [] : [`${part.frames}s`])] : [];
	// One sample past the limit tells a message that was cut from one that fit exactly.
	const outputTrim = part
		? ['trim', `${part.skipSamples}s`, ...(part.keepSamples === undefined ? [] : [`${part.keepSamples}s`])]
		: ['trim', '0', `${limitSamples + 1}s`];
	const sox = spawn('sox', [
		// Failures only on stderr: should this process die, a warning written
		// to its closed pipe would kill SoX too, halfway through the draft. No
		// dither: it only masks rounding 96 dB down, far under any voice, and
		// skipping it makes the conversion a fifth quicker.
		'-V1', '--no-show-progress', '--no-dither', '--buffer', '131072',
		// A file's full path, so that a name starting with - is never taken for an option.
		...(fromStdin ? ['--type', 'wav', '-'] : [path.resolve(input)]),
		'--type', 'raw', '--rate', String(sampleRate), '--channels', String(channels),
		'--encoding', 'signed-integer', '--bits', '16', '--endian', 'little', '-',
		// The chain spelled out, so that trims fall on either side of it.
		...inputTrim, 'channels', String(channels), 'rate', String(sampleRate), ...outputTrim,
	], {stdio: [fromStdin ? 'inherit' : 'ignore', output, 'pipe']});
	let stderr = '';
	let spawnError: Error | undefined;
	sox.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-1000);
	});
	const exit = new Promise<number | null>(resolve => {
		sox.on('error', error => {
			spawnError = error;
			resolve(null);
		});
		sox.on('close', resolve);
	});
	const failure = () => spawnError?.message ?? stderr.trim().split('\n').pop()?.replace(/^sox FAIL \w+: /, '') ?? '';
	// SoX that cannot write its output (a full disk) says so and still exits
	// 0, having written only part of the audio: its stderr is the only sign.
	const failedQuietly = () => /^sox FAIL /m.test(stderr);
	const diskFull = () => /No space left on device|Disk quota exceeded/i.test(stderr);
	return {process: sox, exit, failure, failedQuietly, diskFull};
}

function stopConverters(converters: readonly Converter[]): void {
	for (const {process: child} of converters) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}
}

/** Appends the whole of `from` to the file open for appending as descriptor `to`, through one buffer. */
async function appendFile(from: FileHandle, to: number): Promise<void> {
	const buffer = Buffer.allocUnsafe(1 << 20);
	for (let position = 0; ;) {
		const {bytesRead} = await from.read(buffer, 0, buffer.length, position);
		if (bytesRead === 0) {
			return;
		}

		for (let written = 0; written < bytesRead;) {
			written += (await writeTo(to, buffer, written, bytesRead - written)).bytesWritten;
		}

		position += bytesRead;
	}
}

/**
 * Converts the input into the draft, in parts or (parts undefined) by one
 * SoX. Returns false, having appended nothing, when a part came out another
 * length than planned: the file is then not what its header said.
 */
async function convert(draft: ImportTarget, input: string, output: number, parts: ImportPart[] | undefined, signal?: AbortSignal): Promise<boolean> {
	const limitSamples = msToPcmBytes(draft.limitMs) / blockAlign;
	// Every part after the first goes to a file of its own, removed as soon
	// as it is open: it is read back through its descriptor, and a crash
	// leaves nothing behind (or, between the two, a .part file that the next
	// open sweeps away).
	const spools: FileHandle[] = [];
	const converters: Converter[] = [];
	// What they wrote is thrown away, so they need no chance to finish: a
	// SoX blocked reading a quiet stdin would not notice a SIGTERM.
	const stopAll = () => {
		stopConverters(converters);
	};

	signal?.addEventListener('abort', stopAll, {once: true});
	try {
		for (const [index, part] of (parts ?? [undefined]).entries()) {
			if (signal?.aborted) {
				throw new ImportCancelled();
			}

			let target = output;
			if (index > 0) {
				const spoolFile = `${draft.file}.${index}.part`;
				// This process's own, unlinked at once, never read by anyone
				// else: private even in a household store.
				const spool = await open(spoolFile, 'w+', 0o600);
				spools.push(spool);
				await unlink(spoolFile);
				target = spool.fd;
			}

			const converter = startSox(input, target, part, limitSamples);
			converters.push(converter);
			if (index === 0 && converter.process.pid !== undefined) {
				// Should this process die, the SoX writing the draft carries on:
				// the draft is then recovered once it is done, not while it grows.
				try {
					draft.helpedBy([converter.process.pid]);
				} catch {}
			}
		}

		// The first to fail says why; the others are stopped, so their own
		// exits say nothing.
		let failed: Converter | undefined;
		await Promise.all(converters.map(async converter => converter.exit.then(code => {
			if ((code !== 0 || converter.failedQuietly()) && failed === undefined) {
				failed = converter;
				stopAll();
			}
		})));
		if (signal?.aborted) {
			throw new ImportCancelled();
		}

		if (failed?.diskFull()) {
			throw diskFullError();
		}

		if (failed !== undefined) {
			throw new Error(`cannot import ${input === '-' ? 'stdin' : input}: ${failed.failure() || 'not a sound file SoX can read'}`);
		}

		if (parts !== undefined) {
			const lengths = [(await statOf(output)).size - headerSize, ...await Promise.all(spools.map(async spool => (await spool.stat()).size))];
			if (parts.some((part, index) => part.keepSamples !== undefined && lengths[index] !== part.keepSamples * blockAlign)) {
				await draft.discardAppended();
				return false;
			}

			for (const spool of spools) {
				await appendFile(spool, output);
			}
		}

		return true;
	} finally {
		signal?.removeEventListener('abort', stopAll);
		stopConverters(converters);
		await Promise.all(spools.map(async spool => spool.close()));
	}
}

/** How much PCM a plain PCM WAV file converts to, up to the limit; undefined when that is not known beforehand (stdin, other formats). */
async function expectedPcmBytes(input: string, limitMs: number): Promise<number | undefined> {
	try {
		if (input === '-' || !(await stat(input)).isFile()) {
			return undefined;
		}

		const info = await readWavInfo(input);
		if ((info.format !== 1 && info.format !== 3) || !info.sizeDeclared || info.sampleRate <= 0) {
			return undefined;
		}

		return Math.min(msToPcmBytes(info.durationMs), msToPcmBytes(limitMs));
	} catch {
		return undefined;
	}
}

/**
 * input is a file's path, or '-' for this process's stdin, which SoX then
 * reads itself.
 */
export async function importInto(draft: ImportTarget, input: string, signal?: AbortSignal): Promise<void> {
	if (!findProgram('sox')) {
		throw new Error(`cannot import: sox is not installed (${installAdvice('recorder')})`);
	}

	const parts = input === '-' ? undefined : await splitFor(input, draft.limitMs);
	const output = await draft.appendDescriptor();
	if (!(parts !== undefined && await convert(draft, input, output, parts, signal))) {
		await convert(draft, input, output, undefined, signal);
	}

	// Ctrl-C while the parts were joined still cancels.
	if (signal?.aborted) {
		throw new ImportCancelled();
	}

	// SoX said nothing of a failure, yet wrote less than the file holds: a
	// loss all the same, and never saved as if it were the whole.
	const expected = await expectedPcmBytes(input, draft.limitMs);
	const written = (await statOf(output)).size - headerSize;
	if (expected !== undefined && written < expected - msToPcmBytes(100)) {
		throw new Error(`cannot import ${input}: only ${formatClock(pcmBytesToMs(Math.max(0, written)))} of its ${formatClock(pcmBytesToMs(expected))} could be converted: nothing saved`);
	}

	await draft.adoptAppended();
}
