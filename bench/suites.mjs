// The benchmarks. Each takes the context built by run.mjs ({cli, log, quick})
// and returns {rows, details}: rows for the table (one per figure that has a
// target or explains one), details for results.json.
import {spawn} from 'node:child_process';
import {createReadStream, readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {benchDir, dataDir, idleStore, listStore, noiseWav, wavHeader} from './fixtures.mjs';
import {
	clockTicksPerSecond, median, nowMs, readCpuTicks, readMemory, repeat, round, sampleMemory, sleep, spawnInPty, summary, timeProcess,
} from './lib.mjs';

const mb = kb => kb / 1024;

/** One table row. pass is true/false, or null for a figure without a target. */
function row(bench, measure, value, {unit = '', spread = '', target = '', pass = null} = {}) {
	return {bench, measure, value, unit, spread, target, pass};
}

const spreadOf = (stats, digits = 0, unit = '') => `${round(stats.min, digits)}–${round(stats.max, digits)}${unit} (n=${stats.runs})`;

// 1. `list --json` on 10,000 messages, as a whole process.
export async function listBench({cli, log, quick}) {
	const count = 10_000;
	const started = nowMs();
	const {dir, cached} = listStore(count);
	log(`list: store of ${count} messages ${cached ? 'cached' : `written in ${Math.round(nowMs() - started)} ms`} at ${path.relative(process.cwd(), dir)}`);
	const runs = quick ? 3 : 10;
	const list = () => timeProcess(process.execPath, [cli, 'list', '--json', '--store', dir], {cpu: true});

	// Node's own start-up on this machine: the floor under any command.
	const floor = await repeat(runs, 5000, () => timeProcess(process.execPath, ['-e', '0'], {cpu: true}));

	// The first run also checks the output really is the 10,000 messages (a
	// change to the metadata format that made the store skip them shows here).
	const check = await timeProcess(process.execPath, [cli, 'list', '--json', '--store', dir], {keepStdout: true});
	const listed = JSON.parse(check.stdout);
	if (listed.length !== count || check.stderr.trim() !== '') {
		throw new Error(`list --json gave ${listed.length} messages, expected ${count}: ${check.stderr.trim()}`);
	}

	const runsDone = await repeat(runs, quick ? 10_000 : 40_000, async index => {
		const result = await list();
		log(`list: run ${index + 1}/${runs} ${Math.round(result.ms)} ms wall, ${Math.round(result.cpuMs)} ms CPU`);
		return result;
	});
	const status = await repeat(3, 10_000, () => timeProcess(process.execPath, [cli, 'status', '--store', dir], {cpu: true}), 1);

	const stats = summary(runsDone.map(result => result.ms));
	const cpuStats = summary(runsDone.map(result => result.cpuMs));
	const floorStats = summary(floor.map(result => result.ms));
	const floorCpu = median(floor.map(result => result.cpuMs));
	const statusStats = summary(status.map(result => result.ms));
	const statusCpu = median(status.map(result => result.cpuMs));
	return {
		rows: [
			row('1 list', `list --json, ${count.toLocaleString('en')} messages`, round(stats.median, 0), {unit: 'ms', spread: `${spreadOf(stats)}; CPU ${round(cpuStats.median, 0)} ms`, target: '< 300 ms', pass: stats.median < 300}),
			row('1 list', `status, same store (reference)`, round(statusStats.median, 0), {unit: 'ms', spread: `${spreadOf(statusStats)}; CPU ${round(statusCpu, 0)} ms`}),
			row('1 list', 'node -e 0 (start-up floor)', round(floorStats.median, 0), {unit: 'ms', spread: `${spreadOf(floorStats)}; CPU ${round(floorCpu, 0)} ms`}),
		],
		details: {
			messages: count,
			outputBytes: check.stdoutBytes,
			listMs: runsDone.map(result => result.ms),
			listCpuMs: runsDone.map(result => result.cpuMs),
			statusMs: status.map(result => result.ms),
			statusCpuMs: status.map(result => result.cpuMs),
			nodeFloorMs: floor.map(result => result.ms),
			nodeFloorCpuMs: floor.map(result => result.cpuMs),
			stats,
			cpuStats,
			statusStats,
			floorStats,
		},
	};
}

function freshStore(dir) {
	for (const sub of ['messages', 'tmp']) {
		try {
			for (const name of readdirSync(path.join(dir, sub))) {
				rmSync(path.join(dir, sub, name), {force: true});
			}
		} catch {}
	}
}

// 2. Importing a 20-minute WAV with `record --input FILE`.
export async function importBench({cli, log, quick}) {
	const seconds = 1200;
	const inputs = [
		{name: 'noise-20m-44k-stereo', label: '44.1 kHz stereo', rate: 44_100, channels: 2},
		{name: 'noise-20m-16k-mono', label: '16 kHz mono', rate: 16_000, channels: 1},
	];
	const runs = quick ? 2 : 5;
	const rows = [];
	const details = {};
	for (const input of inputs) {
		const started = nowMs();
		const {file, cached} = noiseWav(input.name, {seconds, rate: input.rate, channels: input.channels});
		log(`import: ${input.label} WAV ${cached ? 'cached' : `made in ${Math.round(nowMs() - started)} ms`}`);
		// Read it once so every run starts with the file in the page cache.
		await pipeline(createReadStream(file), async function* (source) {
			for await (const _ of source) {}
		});
		const store = path.join(dataDir, `import-store-${input.name}`);
		rmSync(store, {recursive: true, force: true});
		await timeProcess(process.execPath, [cli, 'settings', '--store', store, '--tape', '30m', '--max-message', '25m']);
		const imports = await repeat(runs, quick ? 10_000 : 30_000, async index => {
			freshStore(store);
			const result = await timeProcess(process.execPath, [cli, 'record', '--input', file, '--store', store, '--from', 'bench'], {keepStdout: true, cpu: true});
			const id = result.stdout.trim();
			const meta = JSON.parse(readFileSync(path.join(store, 'messages', `${id}.json`), 'utf8'));
			if (Math.abs(meta.durationMs - (seconds * 1000)) > 1000) {
				throw new Error(`imported ${meta.durationMs} ms, expected ${seconds * 1000}`);
			}

			log(`import: ${input.label} run ${index + 1}/${runs} ${Math.round(result.ms)} ms wall (${round(seconds / (result.ms / 1000), 0)}× real time), ${Math.round(result.cpuMs)} ms CPU with sox`);
			return result;
		}, 2);

		freshStore(store);
		// What one sox alone needs for the same conversion (the arguments of
		// src/audio/import.ts, without the split across cores), into a pipe
		// that Node drains.
		const soxRuns = await repeat(3, 10_000, () => timeProcess('sox', [
			'-V1', '--no-show-progress', '--no-dither', '--buffer', '131072', file, '--type', 'raw', '--rate', '16000', '--channels', '1',
			'--encoding', 'signed-integer', '--bits', '16', '--endian', 'little', '-', 'channels', '1', 'rate', '16000',
		], {cpu: true}), 1);

		const stats = summary(imports.map(result => result.ms));
		const cpu = median(imports.map(result => result.cpuMs));
		const soxStats = summary(soxRuns.map(result => result.ms));
		const soxCpu = median(soxRuns.map(result => result.cpuMs));
		const speed = seconds / (stats.median / 1000);
		const soxSpeed = seconds / (soxStats.median / 1000);
		rows.push(
			row('2 import', `record --input, 20 min ${input.label}`, round(speed, 0), {unit: '× real time', spread: `${round(stats.median / 1000, 2)} s wall, ${round(cpu / 1000, 2)} s CPU; ${spreadOf(stats, 0, ' ms')}`, target: '≥ 500×', pass: speed >= 500}),
			row('2 import', `  one sox converting alone (reference)`, round(soxSpeed, 0), {unit: '× real time', spread: `${round(soxStats.median / 1000, 2)} s wall, ${round(soxCpu / 1000, 2)} s CPU (n=${soxStats.runs})`}),
		);
		details[input.name] = {
			wallMs: imports.map(result => result.ms),
			cpuMs: imports.map(result => result.cpuMs),
			stats,
			speedX: speed,
			soxAloneMs: soxRuns.map(result => result.ms),
			soxAloneCpuMs: soxRuns.map(result => result.cpuMs),
			soxStats,
			soxSpeedX: soxSpeed,
		};
		rmSync(store, {recursive: true, force: true});
	}

	return {rows, details};
}

/** Writes a WAV (true sizes in the header) of quiet noise to a stream, honouring backpressure. */
async function writeWavStream(stream, seconds) {
	const dataBytes = seconds * 32_000;
	const block = Buffer.alloc(32_000);
	for (let offset = 0; offset < block.length; offset += 2) {
		block.writeInt16LE(Math.round((Math.random() - 0.5) * 4000), offset);
	}

	const wait = () => new Promise((resolve, reject) => {
		const done = error => {
			stream.off('drain', done);
			stream.off('error', done);
			stream.off('close', done);
			(error instanceof Error ? reject : resolve)(error);
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

/** One `record --input -` fed `seconds` of audio on stdin; RSS of the answerphone process. */
async function recordStdin(cli, store, seconds) {
	freshStore(store);
	const started = nowMs();
	const child = spawn(process.execPath, [cli, 'record', '--input', '-', '--store', store, '--from', 'bench'], {stdio: ['pipe', 'pipe', 'pipe']});
	const sampler = sampleMemory(child.pid, 50);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', chunk => {
		stdout += chunk;
	});
	child.stderr.on('data', chunk => {
		stderr += chunk;
	});
	child.stdin.on('error', () => undefined);
	// Read the kernel's high-water mark as late as possible: at exit the
	// process is still a zombie for a moment, but its status is gone, so
	// sample on every bit of output too.
	child.stdout.on('data', () => sampler.take());
	const exited = new Promise(resolve => {
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
	const meta = JSON.parse(readFileSync(path.join(store, 'messages', `${id}.json`), 'utf8'));
	const beforeEnd = samples.filter(sample => sample.ms <= inputEndedMs);
	const streamingPeakKb = Math.max(0, ...beforeEnd.map(sample => sample.rssKb));
	return {wallMs: nowMs() - started, inputEndedMs, savedMs: meta.durationMs, peakRssKb, hwmKb, peakKb: Math.max(peakRssKb, hwmKb), streamingPeakKb, atPeak, samples: samples.length, timeline: samples};
}

function flatVerdict(shortKb, longKb) {
	const growthKb = longKb - shortKb;
	return {growthKb, ratio: longKb / shortKb, pass: longKb <= shortKb * 1.1 || growthKb <= 5 * 1024};
}

// 3a. Memory of `record --input -` with a 20-minute stream on stdin.
export async function memoryBench({cli, log, quick}) {
	const store = path.join(dataDir, 'memory-store');
	rmSync(store, {recursive: true, force: true});
	await timeProcess(process.execPath, [cli, 'settings', '--store', store, '--tape', '30m', '--max-message', '25m']);
	const runs = quick ? 1 : 3;
	// 10 minutes as well as 1 and 20: if audio were held, the peak would keep
	// climbing by the audio's size (19 MB per 10 minutes at 16 kHz mono);
	// a plateau between 10 and 20 minutes means any growth is bounded.
	const results = {60: [], 600: [], 1200: []};
	for (let index = 0; index < runs; index++) {
		for (const seconds of [60, 600, 1200]) {
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
	const anon = seconds => median(results[seconds].map(result => result.atPeak.anonKb));
	const verdict = flatVerdict(short, long);
	const streaming = seconds => median(results[seconds].map(result => result.streamingPeakKb));
	const spread = seconds => `${results[seconds].map(result => round(mb(result.peakKb))).join(', ')} MB; anon ${round(mb(anon(seconds)))} MB at peak; ${round(mb(streaming(seconds)))} MB while streaming`;
	const signed = kb => `${kb >= 0 ? '+' : ''}${round(mb(kb))} MB`;
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

function runMicTake(seconds, store) {
	return timeProcess(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(benchDir, 'mic-take.mjs'), String(seconds), store], {keepStdout: true, cwd: path.dirname(benchDir)})
		.then(result => JSON.parse(result.stdout));
}

// 3b. Memory of the microphone path (Tape.beginDraft + Take, fake microphone).
export async function micBench({log, quick}) {
	const runs = quick ? 1 : 3;
	const results = {60: [], 1200: []};
	for (let index = 0; index < runs; index++) {
		for (const seconds of [60, 1200]) {
			const result = await runMicTake(seconds, path.join(dataDir, `mic-store-${process.pid}`));
			if (result.status !== 'saved' || Math.abs(result.savedMs - (seconds * 1000)) > 1000) {
				throw new Error(`mic take of ${seconds} s: ${result.status}, ${result.savedMs} ms`);
			}

			results[seconds].push(result);
			log(`memory: mic ${seconds / 60} min run ${index + 1}/${runs}: heap ${round(result.before.heapKb / 1024)}→${round(result.after.heapKb / 1024)} MB, RSS ${round(mb(result.before.rssKb))}→${round(mb(result.after.rssKb))} MB, peak ${round(mb(result.hwmKb))} MB (${round(mb(result.takePeakRssKb))} MB before the commit), at most ${result.peakQueuedKb} kB queued, pushed in ${result.pushedMs} ms, commit ${result.commitMs} ms`);
		}
	}

	const pick = (seconds, get) => median(results[seconds].map(get));
	const short = pick(60, result => result.hwmKb);
	const long = pick(1200, result => result.hwmKb);
	const heapGrowthKb = pick(1200, result => result.after.heapKb - result.before.heapKb);
	const takeShort = pick(60, result => result.takePeakRssKb);
	const takeLong = pick(1200, result => result.takePeakRssKb);
	const commitMs = pick(1200, result => result.commitMs);
	const verdict = flatVerdict(short, long);
	// Where RSS stood halfway through the 20 minutes against the end: a
	// plateau means any growth is bounded, not proportional to the length.
	const halfway = pick(1200, result => {
		const late = result.timeline.filter(sample => sample.audioS >= 600);
		return late[0]?.rssKb ?? Number.NaN;
	});
	const end = pick(1200, result => result.timeline.filter(sample => sample.phase === 'take').at(-1)?.rssKb ?? Number.NaN);
	// The same process after its first minute against its end: no start-up
	// differences between processes in it.
	const inRunGrowthKb = pick(1200, result => {
		const takeSamples = result.timeline.filter(sample => sample.phase === 'take');
		const afterMinute = takeSamples.find(sample => sample.audioS >= 60);
		return (takeSamples.at(-1)?.rssKb ?? Number.NaN) - (afterMinute?.rssKb ?? Number.NaN);
	});
	return {
		rows: [
			row('3 memory', 'mic Take: JS heap growth over 20 min (after GC)', round(heapGrowthKb / 1024, 2), {unit: 'MB', target: '≤ 1 MB', pass: heapGrowthKb <= 1024}),
			row('3 memory', 'mic Take: peak RSS, 1 min', round(mb(short)), {unit: 'MB', spread: `${results[60].map(result => round(mb(result.hwmKb))).join(', ')} MB`}),
			row('3 memory', 'mic Take: peak RSS, 20 min', round(mb(long)), {unit: 'MB', spread: `${results[1200].map(result => round(mb(result.hwmKb))).join(', ')} MB; RSS at 10 min ${round(mb(halfway))}, at 20 min ${round(mb(end))}`}),
			row('3 memory', '  20 min / 1 min peak', round(verdict.ratio, 3), {unit: `× (${verdict.growthKb >= 0 ? '+' : ''}${round(mb(verdict.growthKb))} MB)`, target: '≤ 1.10× or ≤ +5 MB', pass: verdict.pass}),
			row('3 memory', '  RSS at 20 min − at 1 min, one process', round(mb(inRunGrowthKb), 1), {unit: 'MB', spread: 'holding the audio would add ~36 MB'}),
			row('3 memory', '  the same before the commit', round(takeLong / takeShort, 3), {unit: `× (${round(mb(takeShort))} → ${round(mb(takeLong))} MB)`, spread: `commit of 20 min takes ${Math.round(commitMs)} ms`}),
		],
		details: {
			shortPeakKb: short,
			longPeakKb: long,
			heapGrowthKb,
			takePeakKb: {60: takeShort, 1200: takeLong},
			commitMs,
			rssAt10MinKb: halfway,
			inRunGrowthKb,
			rssAt20MinKb: end,
			...verdict,
			runs: Object.fromEntries(Object.entries(results).map(([seconds, list]) => [seconds, list.map(({timeline, ...rest}) => ({...rest, timeline: timeline.map(sample => [sample.audioS, sample.rssKb, sample.anonKb, sample.phase])}))])),
		},
	};
}

const answerphoneFrame = /TAPE/;
// A message row: only drawn once the tape has been read.
const answerphoneLoaded = / from /;
const minimalFrame = /minimal ink ready/;

async function timeFirstFrame(argv, markers, timeoutMs = 15_000) {
	const pty = spawnInPty(argv);
	try {
		const times = [];
		for (const marker of markers) {
			times.push(await pty.waitFor(marker, timeoutMs));
		}

		return times;
	} finally {
		await pty.stop();
	}
}

// 4. Time to the first frame: the machine against a minimal Ink app.
export async function frameBench({cli, log, quick}) {
	const store = idleStore();
	const machine = [process.execPath, cli, '--store', store];
	const minimal = [process.execPath, path.join(benchDir, 'minimal-ink.mjs')];
	const runs = quick ? 3 : 10;
	// One of each first, untimed: warms the file cache for both.
	await timeFirstFrame(machine, [answerphoneFrame]);
	await timeFirstFrame(minimal, [minimalFrame]);
	const first = [];
	const loaded = [];
	const baseline = [];
	await repeat(runs, quick ? 10_000 : 45_000, async index => {
		// Alternate, so that any drift in the machine's load hits both alike.
		const [frameMs, loadedMs] = await timeFirstFrame(machine, [answerphoneFrame, answerphoneLoaded]);
		first.push(frameMs);
		loaded.push(loadedMs);
		baseline.push((await timeFirstFrame(minimal, [minimalFrame]))[0]);
		log(`frame: run ${index + 1}/${runs}: answerphone ${Math.round(frameMs)} ms (list ${Math.round(loadedMs)} ms), minimal ink ${Math.round(baseline.at(-1))} ms`);
	}, 5);

	// The same on the 10,000-message store: the frame should not wait for the tape.
	const big = listStore(10_000).dir;
	const bigFirst = [];
	const bigLoaded = [];
	await repeat(quick ? 1 : 3, 12_000, async index => {
		const [frameMs, loadedMs] = await timeFirstFrame([process.execPath, cli, '--store', big], [answerphoneFrame, answerphoneLoaded], 30_000);
		bigFirst.push(frameMs);
		bigLoaded.push(loadedMs);
		log(`frame: 10,000 messages run ${index + 1}: first frame ${Math.round(frameMs)} ms, list ${Math.round(loadedMs)} ms`);
	}, 1);

	const stats = summary(first);
	const loadedStats = summary(loaded);
	const baselineStats = summary(baseline);
	const ratio = stats.median / baselineStats.median;
	const bigStats = summary(bigFirst);
	const bigLoadedStats = summary(bigLoaded);
	return {
		rows: [
			row('4 first frame', 'answerphone, first frame (4 messages)', round(stats.median, 0), {unit: 'ms', spread: spreadOf(stats)}),
			row('4 first frame', 'minimal Ink app (unbundled), its line', round(baselineStats.median, 0), {unit: 'ms', spread: spreadOf(baselineStats)}),
			row('4 first frame', '  answerphone / minimal', round(ratio, 2), {unit: '×', target: '≤ 1.0', pass: ratio <= 1}),
			row('4 first frame', 'answerphone, messages listed (4 messages)', round(loadedStats.median, 0), {unit: 'ms', spread: spreadOf(loadedStats)}),
			row('4 first frame', 'answerphone, first frame (10,000 messages)', round(bigStats.median, 0), {unit: 'ms', spread: spreadOf(bigStats)}),
			row('4 first frame', 'answerphone, messages listed (10,000)', round(bigLoadedStats.median, 0), {unit: 'ms', spread: spreadOf(bigLoadedStats)}),
		],
		details: {
			firstFrameMs: first, listedMs: loaded, minimalMs: baseline, ratio, stats, loadedStats, baselineStats,
			tenThousand: {firstFrameMs: bigFirst, listedMs: bigLoaded},
			markers: {answerphone: String(answerphoneFrame), listed: String(answerphoneLoaded), minimal: String(minimalFrame)},
		},
	};
}

const countFrames = text => text.split('\u001B[?2026h').length - 1;

/** CPU, frames and output of a program sitting in a pty for windowMs, once it shows readyMarker. */
async function measureIdle(argv, readyMarker, windowMs) {
	const pty = spawnInPty(argv);
	try {
		await pty.waitFor(readyMarker);
		const pid = await pty.programPid();
		// Let start-up work (module loading, the first scans, JIT, the first
		// garbage collections) finish: 2 s was seen to leave some in the window.
		await sleep(5000);
		const hz = clockTicksPerSecond();
		const ticks0 = readCpuTicks(pid);
		const scriptTicks0 = readCpuTicks(pty.child.pid);
		const bytes0 = pty.outputBytes;
		const frames0 = countFrames(pty.output);
		const started = nowMs();
		await sleep(windowMs);
		const ticks1 = readCpuTicks(pid);
		const scriptTicks1 = readCpuTicks(pty.child.pid);
		const elapsedMs = nowMs() - started;
		const bytes = pty.outputBytes - bytes0;
		const frames = countFrames(pty.output) - frames0;
		const memory = readMemory(pid);
		if (ticks0 === undefined || ticks1 === undefined) {
			throw new Error(`${argv.join(' ')} exited while idle: ${pty.output.slice(-300)}`);
		}

		const ticks = ticks1 - ticks0;
		return {
			ticks,
			hz,
			elapsedMs,
			cpuPercent: ((ticks / hz) * 1000 / elapsedMs) * 100,
			cpuMsPerFrame: frames > 0 ? ((ticks / hz) * 1000) / frames : Number.NaN,
			framesPerSecond: frames / (elapsedMs / 1000),
			frames,
			bytesPerSecond: bytes / (elapsedMs / 1000),
			scriptPercent: (((scriptTicks1 - scriptTicks0) / hz) * 1000 / elapsedMs) * 100,
			rssKb: memory?.rssKb,
		};
	} finally {
		await pty.stop();
	}
}

// 5. CPU of the idle machine with unheard messages (the counter blinks),
// beside a minimal Ink app that blinks one line at the same rate: how much of
// the cost is Ink's per-frame work, and how much is the size of our frame.
export async function idleBench({cli, log, quick}) {
	const store = idleStore();
	const windowMs = quick ? 5000 : 10_000;
	// Side by side: both are idle, and the window is the same for both.
	const [machine, minimal] = await Promise.all([
		measureIdle([process.execPath, cli, '--store', store], answerphoneLoaded, windowMs),
		measureIdle([process.execPath, path.join(benchDir, 'minimal-ink.mjs'), '--blink'], minimalFrame, windowMs),
	]);
	for (const [name, result] of [['machine', machine], ['minimal blinking Ink app', minimal]]) {
		log(`idle: ${name}: ${result.ticks} ticks (${result.hz}/s) in ${Math.round(result.elapsedMs)} ms = ${round(result.cpuPercent, 2)}% of a core; ${result.frames} frames, ${round(result.bytesPerSecond, 0)} bytes/s; RSS ${round(mb(result.rssKb ?? Number.NaN))} MB`);
	}

	return {
		rows: [
			row('5 idle CPU', `machine idle ${Math.round(windowMs / 1000)} s, counter blinking`, round(machine.cpuPercent, 2), {unit: '% of a core', spread: `${machine.ticks} ticks at ${machine.hz}/s; ${round(machine.framesPerSecond, 1)} frames/s, ${round(machine.cpuMsPerFrame, 1)} ms CPU each, ${round(machine.bytesPerSecond, 0)} bytes/s`, target: '< 1%', pass: machine.cpuPercent < 1}),
			row('5 idle CPU', '  minimal Ink app blinking one line (reference)', round(minimal.cpuPercent, 2), {unit: '% of a core', spread: `${minimal.ticks} ticks; ${round(minimal.framesPerSecond, 1)} frames/s, ${round(minimal.cpuMsPerFrame, 1)} ms CPU each, ${round(minimal.bytesPerSecond, 0)} bytes/s`}),
			row('5 idle CPU', '  machine RSS while idle', round(mb(machine.rssKb ?? Number.NaN)), {unit: 'MB', spread: `script relaying the pty: ${round(machine.scriptPercent, 2)}% of a core`}),
		],
		details: {machine, minimal},
	};
}
