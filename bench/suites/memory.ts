// 3a. Memory of `record --input -` with a 20-minute stream on stdin.
import {spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import type {Writable} from 'node:stream';
import {bytesPerSecond, wavHeader} from '../../src/pcm/wav.js';
import type {MessageMeta} from '../../src/tape/message.js';
import {dataDir, freshStore} from '../fixtures.js';
import {sampleMemory, timeProcess} from '../lib/processes.js';
import {mb, row, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {median, nowMs, round} from '../lib/stats.js';

/** Writes a WAV (true sizes in the header) of quiet noise to a stream, honouring backpressure. */
async function writeWavStream(stream: Writable, seconds: number): Promise<void> {
	const dataBytes = seconds * bytesPerSecond;
	const block = Buffer.alloc(bytesPerSecond);
	for (let offset = 0; offset < block.length; offset += 2) {
		block.writeInt16LE(Math.round((Math.random() - 0.5) * 4000), offset);
	}

	const wait = async () => new Promise<void>((resolve, reject) => {
		const done = (error?: unknown) => {
			stream.off('drain', done);
			stream.off('error', done);
			stream.off('close', done);
			if (error instanceof Error) {
				reject(error);
			} else {
				resolve();
			}
		};

		stream.once('drain', done);
		stream.once('error', done);
		stream.once('close', done);
	});
	if (!stream.write(wavHeader(dataBytes))) {
		await wait();
	}

	for (let second = 0; second < seconds; second++) {
		if (!stream.write(Buffer.from(block)) && second < seconds - 1) {
			await wait();
		}
	}

	stream.end();
}

type StdinRun = Awaited<ReturnType<typeof recordStdin>>;

/** One `record --input -` fed `seconds` of audio on stdin; RSS of the answerphone process. */
async function recordStdin(cli: string, store: string, seconds: number) {
	freshStore(store);
	const started = nowMs();
	const child = spawn(process.execPath, [cli, 'record', '--input', '-', '--store', store, '--from', 'bench'], {stdio: ['pipe', 'pipe', 'pipe']});
	const sampler = sampleMemory(child.pid!, 50);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	child.stdin.on('error', () => undefined);
	// Read the kernel's high-water mark as late as possible: at exit the
	// process is still a zombie for a moment, but its status is gone, so
	// sample on every bit of output too.
	child.stdout.on('data', () => sampler.take());
	const exited = new Promise<number | null>(resolve => {
		child.on('close', code => resolve(code));
	});
	await writeWavStream(child.stdin, seconds);
	// All the input is in (bar the pipes' buffers): what follows is the commit.
	sampler.take();
	const inputEndedMs = nowMs() - started;
	const code = await exited;
	const {samples, peakRssKb, hwmKb, atPeak} = sampler.stop();
	if (code !== 0) {
		throw new Error(`record --input - exited ${code}: ${stderr.trim()}`);
	}

	const id = stdout.trim();
	const meta = JSON.parse(readFileSync(path.join(store, 'messages', `${id}.json`), 'utf8')) as MessageMeta;
	const beforeEnd = samples.filter(sample => sample.ms <= inputEndedMs);
	const streamingPeakKb = Math.max(0, ...beforeEnd.map(sample => sample.rssKb));
	return {wallMs: nowMs() - started, inputEndedMs, savedMs: meta.durationMs, peakRssKb, hwmKb, peakKb: Math.max(peakRssKb, hwmKb), streamingPeakKb, atPeak, samples: samples.length, timeline: samples};
}

/** Whether the peak for a long recording stays flat against a short one's: within 10%, or 5 MB. */
export function flatVerdict(shortKb: number, longKb: number): {growthKb: number; ratio: number; pass: boolean} {
	const growthKb = longKb - shortKb;
	return {growthKb, ratio: longKb / shortKb, pass: longKb <= shortKb * 1.1 || growthKb <= 5 * 1024};
}

export async function memoryBench({cli, log, quick}: SuiteContext): Promise<SuiteResult> {
	const store = path.join(dataDir, 'memory-store');
	rmSync(store, {recursive: true, force: true});
	await timeProcess(process.execPath, [cli, 'settings', '--store', store, '--tape', '30m', '--max-message', '25m']);
	const runs = quick ? 1 : 3;
	// 10 minutes as well as 1 and 20: if audio were held, the peak would keep
	// climbing by the audio's size (19 MB per 10 minutes at 16 kHz mono);
	// a plateau between 10 and 20 minutes means any growth is bounded.
	const lengths = [60, 600, 1200] as const;
	const results: Record<typeof lengths[number], StdinRun[]> = {60: [], 600: [], 1200: []};
	for (let index = 0; index < runs; index++) {
		for (const seconds of lengths) {
			const result = await recordStdin(cli, store, seconds);
			if (Math.abs(result.savedMs - (seconds * 1000)) > 1000) {
				throw new Error(`saved ${result.savedMs} ms from a ${seconds} s stream`);
			}

			results[seconds].push(result);
			log(`memory: stdin ${seconds / 60} min run ${index + 1}/${runs}: peak ${round(mb(result.peakKb))} MB (VmHWM ${round(mb(result.hwmKb))}, sampled VmRSS ${round(mb(result.peakRssKb))}: anon ${round(mb(result.atPeak.anonKb))} + files ${round(mb(result.atPeak.fileKb))}; ${result.samples} samples); ${round(mb(result.streamingPeakKb))} MB until the input ended at ${Math.round(result.inputEndedMs)} ms, exit at ${Math.round(result.wallMs)} ms`);
		}
	}

	rmSync(store, {recursive: true, force: true});
	const short = median(results[60].map(result => result.peakKb));
	const middle = median(results[600].map(result => result.peakKb));
	const long = median(results[1200].map(result => result.peakKb));
	const anon = (seconds: typeof lengths[number]) => median(results[seconds].map(result => result.atPeak.anonKb));
	const verdict = flatVerdict(short, long);
	const streaming = (seconds: typeof lengths[number]) => median(results[seconds].map(result => result.streamingPeakKb));
	const spread = (seconds: typeof lengths[number]) => `${results[seconds].map(result => round(mb(result.peakKb))).join(', ')} MB; anon ${round(mb(anon(seconds)))} MB at peak; ${round(mb(streaming(seconds)))} MB while streaming`;
	const signed = (kb: number) => `${kb >= 0 ? '+' : ''}${round(mb(kb))} MB`;
	return {
		rows: [
			row('3 memory', 'record --input - : peak RSS, 1 min stream', round(mb(short)), {unit: 'MB', spread: spread(60)}),
			row('3 memory', 'record --input - : peak RSS, 10 min stream', round(mb(middle)), {unit: 'MB', spread: spread(600)}),
			row('3 memory', 'record --input - : peak RSS, 20 min stream', round(mb(long)), {unit: 'MB', spread: spread(1200)}),
			row('3 memory', '  20 min / 1 min peak', round(verdict.ratio, 3), {unit: `× (${signed(verdict.growthKb)})`, target: '≤ 1.10× or ≤ +5 MB', pass: verdict.pass}),
			row('3 memory', '  20 min − 10 min peak (plateau check)', round(mb(long - middle), 1), {unit: 'MB', spread: 'holding the audio would add ~18 MB'}),
		],
		details: {
			shortPeakKb: short,
			middlePeakKb: middle,
			longPeakKb: long,
			anonAtPeakKb: {60: anon(60), 600: anon(600), 1200: anon(1200)},
			streamingPeakKb: {60: streaming(60), 600: streaming(600), 1200: streaming(1200)},
			...verdict,
			runs: Object.fromEntries(Object.entries(results).map(([seconds, list]) => [seconds, list.map(({timeline, ...rest}) => ({...rest, timeline: timeline.map(sample => [sample.ms, sample.rssKb])}))])),
		},
	};
}
