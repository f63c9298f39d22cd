// Memory of the microphone path: Tape.beginDraft + Take (src/, through tsx,
// since dist/ is bundled and exports nothing) with a fake Microphone that
// delivers N seconds of 16 kHz mono PCM in 4096-byte chunks at SPEED times
// real time (default 40: 20 minutes in 30 seconds). A real microphone is
// slower still; flat out, so many writes are pending at each collection that
// the chunks outlive it and pile up, which no recording ever makes happen.
//
//   node --expose-gc --import tsx bench/mic-take.ts SECONDS STORE_DIR [SPEED]
//
// Prints one JSON line: heap and RSS before and after (after a GC), the peak
// RSS sampled every 50 ms (overall, and before the commit) and the kernel's
// VmHWM, the most PCM ever waiting in the draft's file stream, how long the
// commit took, and the saved message's length.
import {readFileSync, rmSync} from 'node:fs';
import type {Microphone} from '../src/audio/ports.js';
import {Take} from '../src/audio/take.js';
import {bytesPerSecond} from '../src/pcm/wav.js';
import {Tape} from '../src/tape/store.js';

type Heap = {heapKb: number; heapTotalKb: number; externalKb: number; arrayBuffersKb: number; rssKb: number};

/** RSS (and more) against how much audio has gone by. */
export type MicSample = {audioS: number; rssKb: number; anonKb: number; heapKb: number; phase: 'take' | 'commit'};

/** The line this script prints. */
export type MicTakeReport = {
	seconds: number;
	reason: string;
	error?: string;
	status: string;
	savedMs: number;
	pushedMs: number;
	commitMs: number;
	takePeakRssKb: number;
	before: Heap;
	after: Heap;
	peakRssKb: number;
	hwmKb: number;
	peakQueuedKb: number;
	timeline: MicSample[];
};

const seconds = Number(process.argv[2]);
const storeDir = process.argv[3] ?? '';
const speed = Number(process.argv[4] ?? 40);
if (!(seconds > 0) || !storeDir) {
	throw new Error('usage: mic-take.ts SECONDS STORE_DIR');
}

const chunkBytes = 4096;
const totalBytes = seconds * bytesPerSecond;
const gc = globalThis.gc ?? (() => undefined);
const kb = (bytes: number) => Math.round(bytes / 1024);
const status = () => {
	const text = readFileSync('/proc/self/status', 'utf8');
	const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1]);
	return {hwmKb: field('VmHWM'), anonKb: field('RssAnon'), fileKb: field('RssFile')};
};

const hwmKb = () => status().hwmKb;

// One second of quiet noise, copied into a fresh buffer per chunk as a real
// recorder's stream would hand over.
const noise = Buffer.alloc(bytesPerSecond);
for (let offset = 0; offset < noise.length; offset += 2) {
	noise.writeInt16LE(Math.round((Math.random() - 0.5) * 4000), offset);
}

rmSync(storeDir, {recursive: true, force: true});
const tape = await Tape.open(storeDir);
await tape.updateSettings({tapeMs: 30 * 60_000, maxMessageMs: 25 * 60_000});
const draft = await tape.beginDraft({from: 'bench'});
// Draft keeps its file stream private; read it only to report how much PCM
// was ever queued in memory on its way to disk (0 if it ever moves).
const stream = (draft as unknown as {stream?: {writableLength: number}}).stream;

gc();
const memory = (): Heap => {
	const usage = process.memoryUsage();
	return {heapKb: kb(usage.heapUsed), heapTotalKb: kb(usage.heapTotal), externalKb: kb(usage.external), arrayBuffersKb: kb(usage.arrayBuffers), rssKb: kb(usage.rss)};
};

const before = memory();
let peakRssKb = before.rssKb;
let peakQueuedKb = 0;
let sentBytes = 0;
let phase: MicSample['phase'] = 'take';
// RSS against how much audio has gone by: flat means it stops growing.
const timeline: MicSample[] = [];
const sampler = setInterval(() => {
	const rssKb = kb(process.memoryUsage.rss());
	peakRssKb = Math.max(peakRssKb, rssKb);
	const {anonKb} = status();
	timeline.push({audioS: Math.round(sentBytes / bytesPerSecond), rssKb, anonKb, heapKb: kb(process.memoryUsage().heapTotal), phase});
}, 50);

const microphone: Microphone = {
	check: () => ({ok: true, program: 'fake'}),
	open(onPcm, onEnd) {
		let stopped = false;
		let sent = 0;
		let offset = 0;
		const push = () => {
			if (stopped || sent >= totalBytes) {
				onEnd();
				return;
			}

			const chunk = Buffer.allocUnsafe(Math.min(chunkBytes, totalBytes - sent));
			for (let filled = 0; filled < chunk.length;) {
				const copied = noise.copy(chunk, filled, offset, Math.min(noise.length, offset + chunk.length - filled));
				filled += copied;
				offset = (offset + copied) % noise.length;
			}

			sent += chunk.length;
			sentBytes = sent;
			onPcm(chunk);
			peakQueuedKb = Math.max(peakQueuedKb, kb(stream?.writableLength ?? 0));
			// Due times from the start, so the pace holds however late a timer fires.
			const dueMs = started + ((sent / bytesPerSecond) * 1000 / speed);
			setTimeout(push, Math.max(0, dueMs - performance.now()));
		};

		setImmediate(push);
		return {
			stop() {
				stopped = true;
			},
		};
	},
};

const started = performance.now();
const take = new Take(draft, microphone, {silenceStopMs: 0, silenceThresholdDb: -45});
const {reason, error} = await take.ended;
const pushedMs = performance.now() - started;
// RSS once every chunk is in, before the commit (which re-reads the file).
const takePeakRssKb = peakRssKb;
phase = 'commit';
const commitStarted = performance.now();
// As src/audio/call.ts commits a take: trimmed to the voiced part (all of it here).
const result = await draft.commit({keep: take.voicedRange()});
const commitMs = performance.now() - commitStarted;
clearInterval(sampler);
peakRssKb = Math.max(peakRssKb, kb(process.memoryUsage.rss()));
gc();
const after = memory();
const report: MicTakeReport = {
	seconds,
	reason,
	error: error?.message,
	status: result.status,
	savedMs: result.status === 'saved' ? result.message.durationMs : 0,
	pushedMs: Math.round(pushedMs),
	commitMs: Math.round(commitMs),
	takePeakRssKb,
	before,
	after,
	peakRssKb,
	hwmKb: hwmKb(),
	peakQueuedKb,
	timeline,
};
process.stdout.write(JSON.stringify(report) + '\n');
rmSync(storeDir, {recursive: true, force: true});
