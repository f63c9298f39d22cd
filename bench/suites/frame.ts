// 4. Time to the first frame: the machine against a minimal Ink app, bundled
// as the machine is (the target: ratio ≤ 1.0) and, for reference, unbundled.
//
// Figures (2 shared cores, medians of 5–6, 2026-12-01): at first the machine
// took 1,174 ms to 896 ms for the bundled minimal app (1.31×, load ~8). A
// CPU profile showed ~100 ms of its first frame in string-width measuring
// the box-drawing and block characters (the minimal app prints ASCII, which
// string-width skips), and the store opened only after the screen's code had
// loaded. With string-width's fast path for one-cell characters
// (scripts/string-width-fast.mjs) and the store opened while the code loads
// (cli.tsx): 472 ms to 411 ms (1.15×, load ~3). What is left is the CLI's
// own chunk, the options and the larger first render.
// Later, on a quieter machine (load ~2): 371 ms to 293 ms (1.27×); with
// node-record-lpcm16 loaded at the first recording instead of with the
// screen (src/audio/microphone.ts), 351 ms to 282 ms (1.24×). A CPU profile
// of the rest: about 25 ms loading main.js and the store before the screen's
// chunk, a first render of ~35 ms (React and Yoga over the whole frame, no
// one hot spot) against the minimal app's ~20, and 0–10 ms waiting for
// Tape.open's last steps (its awaits need turns of a thread busy compiling).
// Loading the screen's chunk beside main.js (an import() in cli.tsx) gained
// nothing: both compile on the one thread.
// Session 5 (quiet, load < 1; the yardstick now bundled without the
// machine's speed-ups to Ink's dependencies, as any Ink app would be, and
// given a package.json as dist/ has): 351 ms to 282 ms (1.24×) at the start.
// Each step below was found in a CPU profile of the first frame (--cpu-prof,
// samples before the frame's write) and measured as main-thread CPU
// (/proc/thread-self/schedstat) and wall time, 15 alternating runs:
//   Yoga loaded its WebAssembly through fetch(), loading undici: -45 ms
//     (298 to 282, 1.05×);
//   one file for the screen (dist/screen.js) instead of 17 chunks, and a
//     cheaper restyling of each line (ansi-tokenize-fast.mjs): ~-10 ms;
//   string-width's emoji pattern built at first use: -7 ms; Ink's
//     developer tools (49 kB of WebSocket code) left out: -9 ms; the
//     commands left out of the screen's file: -5 ms; node:crypto loaded
//     on demand and the screen's code loaded before the options: -3 ms
//     (280 to 275, 1.02×);
//   Intl.Segmenter made only for text that needs ICU (14 ms to load):
//     -10 ms.
// Tried and dropped: V8's code cache for a CommonJS build of the screen (run
// through vm.Script): 37 ms to deserialize the 845 kB cache, for as much
// compile saved; regular-expression literals with the v flag instead of
// new RegExp: the cost moved from running to compiling.
import {idleStore, listStore} from '../fixtures.js';
import {spawnInPty} from '../lib/pty.js';
import {row, spreadOf, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {repeat, round, summary} from '../lib/stats.js';

export const answerphoneFrame = /TAPE/;
// A message row: only drawn once the tape has been read.
export const answerphoneLoaded = / from /;
export const minimalFrame = /minimal ink ready/;

async function timeFirstFrame(argv: string[], markers: RegExp[], timeoutMs = 15_000): Promise<number[]> {
	const pty = spawnInPty(argv);
	try {
		const times: number[] = [];
		for (const marker of markers) {
			times.push(await pty.waitFor(marker, timeoutMs));
		}

		return times;
	} finally {
		await pty.stop();
	}
}

export async function frameBench({cli, minimalInk, minimalInkBundled, minimalInkTuned, log, quick}: SuiteContext): Promise<SuiteResult> {
	const store = idleStore();
	const machine = [process.execPath, cli, '--store', store];
	const minimal = [process.execPath, minimalInk];
	const minimalBundled = [process.execPath, minimalInkBundled];
	const minimalTuned = [process.execPath, minimalInkTuned];
	const runs = quick ? 3 : 10;
	// One of each first, untimed: warms the file cache for both.
	await timeFirstFrame(machine, [answerphoneFrame]);
	await timeFirstFrame(minimal, [minimalFrame]);
	await timeFirstFrame(minimalBundled, [minimalFrame]);
	await timeFirstFrame(minimalTuned, [minimalFrame]);
	const first: number[] = [];
	const loaded: number[] = [];
	const baseline: number[] = [];
	const bundledBaseline: number[] = [];
	const tunedBaseline: number[] = [];
	await repeat(runs, quick ? 10_000 : 45_000, async index => {
		// Alternate, so that any drift in the machine's load hits both alike.
		const [frameMs = Number.NaN, loadedMs = Number.NaN] = await timeFirstFrame(machine, [answerphoneFrame, answerphoneLoaded]);
		first.push(frameMs);
		loaded.push(loadedMs);
		const [minimalMs = Number.NaN] = await timeFirstFrame(minimal, [minimalFrame]);
		baseline.push(minimalMs);
		const [bundledMs = Number.NaN] = await timeFirstFrame(minimalBundled, [minimalFrame]);
		bundledBaseline.push(bundledMs);
		const [tunedMs = Number.NaN] = await timeFirstFrame(minimalTuned, [minimalFrame]);
		tunedBaseline.push(tunedMs);
		log(`frame: run ${index + 1}/${runs}: answerphone ${Math.round(frameMs)} ms (list ${Math.round(loadedMs)} ms), minimal ink bundled ${Math.round(bundledMs)} ms (with the speed-ups ${Math.round(tunedMs)} ms), unbundled ${Math.round(minimalMs)} ms`);
	}, 5);

	// The same on the 10,000-message store: the frame should not wait for the tape.
	const big = listStore(10_000).dir;
	const bigFirst: number[] = [];
	const bigLoaded: number[] = [];
	await repeat(quick ? 1 : 3, 12_000, async index => {
		const [frameMs = Number.NaN, loadedMs = Number.NaN] = await timeFirstFrame([process.execPath, cli, '--store', big], [answerphoneFrame, answerphoneLoaded], 30_000);
		bigFirst.push(frameMs);
		bigLoaded.push(loadedMs);
		log(`frame: 10,000 messages run ${index + 1}: first frame ${Math.round(frameMs)} ms, list ${Math.round(loadedMs)} ms`);
	}, 1);

	const stats = summary(first);
	const loadedStats = summary(loaded);
	const baselineStats = summary(baseline);
	const bundledStats = summary(bundledBaseline);
	const tunedStats = summary(tunedBaseline);
	const tunedRatio = stats.median / tunedStats.median;
	const ratio = stats.median / bundledStats.median;
	const unbundledRatio = stats.median / baselineStats.median;
	const bigStats = summary(bigFirst);
	const bigLoadedStats = summary(bigLoaded);
	return {
		rows: [
			row('4 first frame', 'answerphone, first frame (4 messages)', round(stats.median, 0), {unit: 'ms', spread: spreadOf(stats)}),
			row('4 first frame', 'minimal Ink app (bundled), its line', round(bundledStats.median, 0), {unit: 'ms', spread: spreadOf(bundledStats)}),
			row('4 first frame', '  answerphone / minimal bundled', round(ratio, 2), {unit: '×', target: '≤ 1.0', pass: ratio <= 1}),
			row('4 first frame', 'minimal Ink app (bundled, our speed-ups), its line', round(tunedStats.median, 0), {unit: 'ms', spread: spreadOf(tunedStats)}),
			row('4 first frame', '  answerphone / minimal with speed-ups', round(tunedRatio, 2), {unit: '×'}),
			row('4 first frame', 'minimal Ink app (unbundled), its line', round(baselineStats.median, 0), {unit: 'ms', spread: spreadOf(baselineStats)}),
			row('4 first frame', '  answerphone / minimal unbundled', round(unbundledRatio, 2), {unit: '×'}),
			row('4 first frame', 'answerphone, messages listed (4 messages)', round(loadedStats.median, 0), {unit: 'ms', spread: spreadOf(loadedStats)}),
			row('4 first frame', 'answerphone, first frame (10,000 messages)', round(bigStats.median, 0), {unit: 'ms', spread: spreadOf(bigStats)}),
			row('4 first frame', 'answerphone, messages listed (10,000)', round(bigLoadedStats.median, 0), {unit: 'ms', spread: spreadOf(bigLoadedStats)}),
		],
		details: {
			firstFrameMs: first, listedMs: loaded, minimalMs: baseline, minimalBundledMs: bundledBaseline, minimalTunedMs: tunedBaseline, ratio, tunedRatio, unbundledRatio, stats, loadedStats, baselineStats, bundledStats,
			tenThousand: {firstFrameMs: bigFirst, listedMs: bigLoaded},
			markers: {answerphone: String(answerphoneFrame), listed: String(answerphoneLoaded), minimal: String(minimalFrame)},
		},
	};
}
