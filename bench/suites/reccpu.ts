// 8. CPU of the machine while it records with the meter moving (sox's own
// beside it), on the bench's own sound server.
import {rmSync} from 'node:fs';
import path from 'node:path';
import {startPrivatePulse} from '../../test/helpers/pulse.js';
import {silenceFloorDb} from '../../src/pcm/level.js';
import {dataDir} from '../fixtures.js';
import {configFile, playNoise, settle} from '../lib/live.js';
import {childPids, clockTicksPerSecond, commandLine, readCpuTicks} from '../lib/processes.js';
import {spawnInPty, watchFrames} from '../lib/pty.js';
import {row, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {median, nowMs, round, sleep} from '../lib/stats.js';

// The cursor moves and the save/restore codes with which the meter's line is
// rewritten in place (src/ui/live-lines.ts), and colours.
// eslint-disable-next-line no-control-regex -- these are the terminal's escape sequences
const inPlaceCodes = /\u001B\[[\d;?]*[A-Za-z]|\u001B[78]/g;

export async function recCpuBench({cli, log, quick}: SuiteContext): Promise<SuiteResult> {
	const sound = await startPrivatePulse();
	const store = path.join(dataDir, `rec-store-${process.pid}`);
	rmSync(store, {recursive: true, force: true});
	const config = configFile('rec', {greeting: false, silence: '0s'});
	const windowMs = quick ? 6000 : 15_000;
	const pty = spawnInPty([process.execPath, cli, '--store', store], {env: {...sound.env, ANSWERPHONE_CONFIG: config}});
	const frames = watchFrames(pty);
	let noise: ReturnType<typeof playNoise> | undefined;
	try {
		await frames.next(frame => frame.text.includes('No messages.'), 30_000);
		const pid = await pty.programPid();
		const hz = clockTicksPerSecond();
		await sleep(500);
		await settle(pid, frames, 20_000);
		const recording = frames.next(frame => /● REC\s+0:0\d \//.test(frame.text), 20_000);
		const pressedAt = nowMs();
		pty.child.stdin.write('r');
		await recording;
		const recordingAfterMs = nowMs() - pressedAt;
		const [sox] = childPids(pid).filter(child => /^\S*sox\b/.test(commandLine(child)));
		if (sox === undefined) {
			throw new Error(`no sox under the machine while recording (children: ${childPids(pid).map(child => commandLine(child)).join('; ')})`);
		}

		// The caller talks (pink noise) for longer than the window; the meter
		// settles on it before the window opens.
		noise = playNoise(sound, Math.ceil(windowMs / 1000) + 5);
		await sleep(1500);
		const ticks = (value: number | undefined) => value ?? Number.NaN;
		const read = () => ({atMs: nowMs(), node: ticks(readCpuTicks(pid)), sox: ticks(readCpuTicks(sox)), script: ticks(readCpuTicks(pty.child.pid)), frames: frames.count, bytes: pty.outputBytes});
		// The meter is rewritten in place between Ink frames, so read the
		// terminal's latest output rather than the last whole frame.
		const screenTail = () => pty.output.slice(-4000).replaceAll(inPlaceCodes, '');
		const start = read();
		const levels: number[] = [];
		const meter = setInterval(() => {
			const db = [...screenTail().matchAll(/● REC.*?(-?\d+|-∞) dB/g)].at(-1)?.[1];
			if (db !== undefined) {
				levels.push(db === '-∞' ? silenceFloorDb : Number(db));
			}
		}, 250);
		await sleep(windowMs);
		clearInterval(meter);
		const end = read();
		const stillRecording = /● REC\s+\d+:\d\d \//.test(screenTail());
		const elapsedMs = end.atMs - start.atMs;
		const percent = (used: number) => ((used / hz) * 1000 / elapsedMs) * 100;
		const result = {
			nodePercent: percent(end.node - start.node),
			soxPercent: percent(end.sox - start.sox),
			scriptPercent: percent(end.script - start.script),
			nodeTicks: end.node - start.node,
			hz,
			elapsedMs,
			framesPerSecond: (end.frames - start.frames) / (elapsedMs / 1000),
			bytesPerSecond: (end.bytes - start.bytes) / (elapsedMs / 1000),
			recordingAfterMs,
			meterDb: {min: Math.min(...levels), median: median(levels), max: Math.max(...levels)},
			stillRecording,
			cpuMsPerFrame: (((end.node - start.node) / hz) * 1000) / (end.frames - start.frames),
			notice: undefined as string | undefined,
		};
		// Stop and save, as a user would.
		const ended = /Saved message [\d:]+[^\n]*|Hang-up:[^\n]*|TAPE FULL[^\n]*|Cancelled[^\n]*|cannot record[^\n]*/;
		const saved = frames.next(frame => ended.test(frame.text), 20_000);
		pty.child.stdin.write('r');
		const savedFrame = await saved;
		result.notice = ended.exec(savedFrame.text)?.[0].trim();
		log(`reccpu: node ${round(result.nodePercent, 2)}% of a core (${result.nodeTicks} ticks at ${hz}/s in ${Math.round(elapsedMs)} ms), sox ${round(result.soxPercent, 2)}%, script ${round(result.scriptPercent, 2)}%; ${round(result.framesPerSecond, 1)} frames/s, ${round(result.bytesPerSecond, 0)} bytes/s; meter ${result.meterDb.min}…${result.meterDb.max} dB (median ${result.meterDb.median}); REC shown ${Math.round(recordingAfterMs)} ms after r; then: ${result.notice}`);
		if (!stillRecording || !(result.meterDb.median > -60)) {
			throw new Error(`the recording ${stillRecording ? 'heard no noise (meter at ' + result.meterDb.median + ' dB)' : 'ended during the window'}`);
		}

		const bench = '8 recording CPU';
		return {
			rows: [
				row(bench, `machine recording ${Math.round(windowMs / 1000)} s, meter live (node)`, round(result.nodePercent, 2), {
					unit: '% of a core',
					spread: `${result.nodeTicks} ticks at ${hz}/s; ${round(result.framesPerSecond, 1)} frames/s, ${round(result.cpuMsPerFrame, 1)} ms CPU each, ${round(result.bytesPerSecond, 0)} bytes/s; meter median ${result.meterDb.median} dB`,
					target: '< 3%',
					pass: result.nodePercent < 3,
				}),
				row(bench, '  sox recording beside it (reference)', round(result.soxPercent, 2), {unit: '% of a core', spread: `script relaying the pty: ${round(result.scriptPercent, 2)}%`}),
			],
			details: result,
		};
	} finally {
		await noise?.stop();
		await pty.stop();
		await sound.stop();
		rmSync(store, {recursive: true, force: true});
		rmSync(config, {force: true});
	}
}
