// 9. Sound dropped on the way: `record` from the microphone for a minute
// against SoX recording the same microphone alone, side by side, on the
// bench's own sound server.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {rmSync} from 'node:fs';
import path from 'node:path';
import type {Message} from '../../src/tape/message.js';
import {startPrivatePulse} from '../../test/helpers/pulse.js';
import {waitFor} from '../../test/helpers/wait-for.js';
import {dataDir} from '../fixtures.js';
import {configFile, playNoise} from '../lib/live.js';
import {childPids, clockTicksPerSecond, collect, commandLine, readCpuTicks, timeProcess} from '../lib/processes.js';
import {row, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {nowMs, round, sleep} from '../lib/stats.js';

export async function dropsBench({cli, log, quick}: SuiteContext): Promise<SuiteResult> {
	const seconds = quick ? 20 : 62;
	const sound = await startPrivatePulse();
	const store = path.join(dataDir, `drops-store-${process.pid}`);
	const reference = path.join(dataDir, `drops-sox-${process.pid}.wav`);
	rmSync(store, {recursive: true, force: true});
	rmSync(reference, {force: true});
	const config = configFile('drops', {});
	const env = {...sound.env, ANSWERPHONE_CONFIG: config};
	const started: ChildProcess[] = [];
	let noise: ReturnType<typeof playNoise> | undefined;
	try {
		// The default per-message limit (1:00) would cut the message short.
		await timeProcess(process.execPath, [cli, 'settings', '--store', store, '--max-message', '5m'], {env});
		// The caller talks all the time, from before the beep to after both stop.
		noise = playNoise(sound, seconds + 15);
		await sleep(1000);
		const machine = spawn(process.execPath, [cli, 'record', '--store', store, '--quick', '--silence', '0s', '--from', 'bench'], {env, stdio: ['ignore', 'pipe', 'pipe']});
		started.push(machine);
		const machineRun = collect(machine);
		const spawnedAt = nowMs();
		// Sound is kept from the first PCM after the beep: the line says so.
		await waitFor('record to start keeping sound', () => {
			if (machineRun.stderr().includes('answerphone: recording')) {
				return true;
			}

			if (machine.exitCode !== null) {
				throw new Error(`record never started: ${machineRun.stderr().trim()}`);
			}

			return false;
		}, {timeoutMs: 20_000, intervalMs: 2, lastSeen: () => `it said: ${machineRun.stderr().trim()}`});

		const recordingAt = nowMs();
		const sox = spawn('sox', ['-q', '--default-device', '-t', 'wav', '-r', '16000', '-c', '1', '-b', '16', reference], {env, stdio: ['ignore', 'ignore', 'pipe']});
		started.push(sox);
		const soxRun = collect(sox);
		const soxAt = nowMs();
		log(`drops: recording ${Math.round(recordingAt - spawnedAt)} ms after the spawn (greeting off, beep); sox started; both run for ${seconds} s`);
		// The command's own CPU while recording, without a screen: the
		// reference for the recording CPU suite. Its sox is its only child.
		const hz = clockTicksPerSecond();
		const [machineSox] = childPids(machine.pid).filter(child => /^\S*sox\b/.test(commandLine(child)));
		const read = () => ({atMs: nowMs(), node: readCpuTicks(machine.pid) ?? Number.NaN, sox: readCpuTicks(machineSox) ?? Number.NaN, reference: readCpuTicks(sox.pid) ?? Number.NaN});
		const cpu0 = read();
		await sleep((seconds * 1000) - (nowMs() - recordingAt) - 500);
		const cpu1 = read();
		const percentOf = (key: 'node' | 'sox' | 'reference') => ((((cpu1[key] - cpu0[key]) / hz) * 1000) / (cpu1.atMs - cpu0.atMs)) * 100;
		const cpu = {nodePercent: percentOf('node'), soxPercent: percentOf('sox'), referenceSoxPercent: percentOf('reference'), windowMs: cpu1.atMs - cpu0.atMs};
		await sleep((seconds * 1000) - (nowMs() - recordingAt));
		const stopAt = nowMs();
		machine.kill('SIGINT');
		sox.kill('SIGINT');
		const [machineExit, soxExit] = await Promise.all([machineRun.exit, soxRun.exit]);
		if (machineExit.code !== 0) {
			throw new Error(`record exited ${machineExit.code ?? machineExit.signal}: ${machineExit.stderr.trim()}`);
		}

		const id = machineExit.stdout.trim();
		const listed = JSON.parse((await timeProcess(process.execPath, [cli, 'list', '--json', '--store', store], {env, keepStdout: true})).stdout) as Message[];
		const message = listed.find(entry => entry.id === id);
		if (!message) {
			throw new Error(`record printed ${JSON.stringify(id)}, which list does not show`);
		}

		const machineMs = message.durationMs;
		const referenceMs = Number(execFileSync('soxi', ['-D', reference], {encoding: 'utf8'}).trim()) * 1000;
		const wallMs = stopAt - recordingAt;
		const soxWallMs = stopAt - soxAt;
		const differencePercent = ((machineMs - referenceMs) / referenceMs) * 100;
		const result = {
			seconds, machineMs, referenceMs, differencePercent, wallMs, soxWallMs,
			machineVsWallPercent: ((machineMs - wallMs) / wallMs) * 100,
			referenceVsWallPercent: ((referenceMs - soxWallMs) / soxWallMs) * 100,
			machineExitMs: (machineExit.atMs ?? Number.NaN) - stopAt,
			soxExit: soxExit.code ?? soxExit.signal,
			soxStderr: soxExit.stderr.trim().slice(-300),
			machineStderr: machineExit.stderr.trim().slice(-300),
			cpu,
		};
		log(`drops: answerphone saved ${round(machineMs / 1000, 3)} s (${round(wallMs / 1000, 3)} s of wall time since its "recording" line), sox alone ${round(referenceMs / 1000, 3)} s (${round(soxWallMs / 1000, 3)} s since its spawn): ${round(differencePercent, 2)}%; answerphone exited ${Math.round(result.machineExitMs)} ms after SIGINT, sox ${result.soxExit}; CPU while recording: record ${round(cpu.nodePercent, 2)}% of a core, its sox ${round(cpu.soxPercent, 2)}%, sox alone ${round(cpu.referenceSoxPercent, 2)}%`);
		const bench = '9 drops';
		return {
			rows: [
				row(bench, `record, ${seconds} s of noise: saved / sox alone`, round(differencePercent, 2), {
					unit: '%',
					spread: `${round(machineMs / 1000, 2)} s against ${round(referenceMs / 1000, 2)} s; wall ${round(wallMs / 1000, 2)} s and ${round(soxWallMs / 1000, 2)} s`,
					target: 'within ±2%',
					pass: Math.abs(differencePercent) <= 2,
				}),
				row(bench, '  saved / wall time since "recording"', round(result.machineVsWallPercent, 2), {unit: '%', spread: `sox alone / its wall time: ${round(result.referenceVsWallPercent, 2)}%`}),
				row(bench, '  CPU of `record` (no screen) while recording', round(cpu.nodePercent, 2), {unit: '% of a core', spread: `its sox ${round(cpu.soxPercent, 2)}%, sox alone ${round(cpu.referenceSoxPercent, 2)}% (over ${round(cpu.windowMs / 1000, 0)} s)`}),
			],
			details: result,
		};
	} finally {
		for (const child of started) {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
			}
		}

		await noise?.stop();
		await sound.stop();
		rmSync(store, {recursive: true, force: true});
		rmSync(reference, {force: true});
		rmSync(config, {force: true});
	}
}
