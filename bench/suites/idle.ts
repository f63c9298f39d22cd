// 5. CPU of the idle machine with unheard messages (the counter blinks).
import path from 'node:path';
import {dataDir, idleStore} from '../fixtures.js';
import {clockTicksPerSecond, readCpuTicks, readMemory} from '../lib/processes.js';
import {spawnInPty} from '../lib/pty.js';
import {mb, row, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {nowMs, round, sleep} from '../lib/stats.js';
import {answerphoneLoaded, minimalFrame} from './frame.js';

const countFrames = (text: string) => text.split('\u001B[?2026h').length - 1;
// The counter blinks by rewriting its cells between frames (LiveLines): each
// rewrite saves the cursor first (DECSC), which Ink's frames never do.
const countPaints = (text: string) => text.split('\u001B7').length - 1;

/** CPU, frames and output of a program sitting in a pty for windowMs, once it shows readyMarker. */
async function measureIdle(argv: string[], readyMarker: RegExp, windowMs: number, env: NodeJS.ProcessEnv = {}) {
	const pty = spawnInPty(argv, {env});
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
		const paints0 = countPaints(pty.output);
		const started = nowMs();
		await sleep(windowMs);
		const ticks1 = readCpuTicks(pid);
		const scriptTicks1 = readCpuTicks(pty.child.pid);
		const elapsedMs = nowMs() - started;
		const bytes = pty.outputBytes - bytes0;
		const frames = countFrames(pty.output) - frames0;
		const paints = countPaints(pty.output) - paints0;
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
			paintsPerSecond: paints / (elapsedMs / 1000),
			bytesPerSecond: bytes / (elapsedMs / 1000),
			scriptPercent: ((((scriptTicks1 ?? Number.NaN) - (scriptTicks0 ?? Number.NaN)) / hz) * 1000 / elapsedMs) * 100,
			rssKb: memory?.rssKb,
		};
	} finally {
		await pty.stop();
	}
}

// Beside a minimal Ink app that blinks one line at the same rate: how much of
// the cost is Ink's per-frame work, and how much is the size of our frame.
export async function idleBench({cli, minimalInk, log, quick}: SuiteContext): Promise<SuiteResult> {
	const store = idleStore();
	const windowMs = quick ? 5000 : 10_000;
	// Side by side: both are idle, and the window is the same for both.
	// No one's config file: the machine as it comes, blinking by its default.
	const [machine, minimal] = await Promise.all([
		measureIdle([process.execPath, cli, '--store', store], answerphoneLoaded, windowMs, {ANSWERPHONE_CONFIG: path.join(dataDir, 'no-config.json'), NO_COLOR: ''}),
		measureIdle([process.execPath, minimalInk, '--blink'], minimalFrame, windowMs),
	]);
	for (const [name, result] of [['machine', machine], ['minimal blinking Ink app', minimal]] as const) {
		log(`idle: ${name}: ${result.ticks} ticks (${result.hz}/s) in ${Math.round(result.elapsedMs)} ms = ${round(result.cpuPercent, 2)}% of a core; ${result.frames} frames, ${round(result.bytesPerSecond, 0)} bytes/s; RSS ${round(mb(result.rssKb ?? Number.NaN))} MB`);
	}

	// A machine that does not blink would measure less than it should: the
	// store has new messages, so the counter must have been rewritten about
	// twice a second.
	if (machine.paintsPerSecond < 1) {
		throw new Error(`idle: the counter did not blink (${round(machine.paintsPerSecond, 1)} rewrites/s): the figure would not be the blinking machine's`);
	}

	const ratio = machine.cpuPercent / minimal.cpuPercent;
	return {
		rows: [
			row('5 idle CPU', `machine idle ${Math.round(windowMs / 1000)} s, counter blinking`, round(machine.cpuPercent, 2), {unit: '% of a core', spread: `${machine.ticks} ticks at ${machine.hz}/s; ${round(machine.paintsPerSecond, 1)} counter rewrites/s; ${round(machine.framesPerSecond, 1)} frames/s, ${round(machine.cpuMsPerFrame, 1)} ms CPU each, ${round(machine.bytesPerSecond, 0)} bytes/s`, target: '< 0.5%', pass: machine.cpuPercent < 0.5}),
			row('5 idle CPU', '  machine ÷ minimal blinking Ink app, same run', Number.isFinite(ratio) ? round(ratio, 2) : 'n/a', {unit: '×', spread: 'the minimal app redraws a one-line Ink frame twice a second'}),
			row('5 idle CPU', '  minimal Ink app blinking one line (reference)', round(minimal.cpuPercent, 2), {unit: '% of a core', spread: `${minimal.ticks} ticks; ${round(minimal.framesPerSecond, 1)} frames/s, ${round(minimal.cpuMsPerFrame, 1)} ms CPU each, ${round(minimal.bytesPerSecond, 0)} bytes/s`}),
			row('5 idle CPU', '  machine RSS while idle', round(mb(machine.rssKb ?? Number.NaN)), {unit: 'MB', spread: `script relaying the pty: ${round(machine.scriptPercent, 2)}% of a core`}),
		],
		details: {machine, minimal},
	};
}
