// 7. From space to the player process running, with and without the spoken
// stamp, on the bench's own sound server.
import {rmSync} from 'node:fs';
import {startPrivatePulse, type PulseServer} from '../../test/helpers/pulse.js';
import {playStore} from '../fixtures.js';
import {configFile, cursorOf, scratchStore, settle} from '../lib/live.js';
import {childPids, clockTicksPerSecond, commandLine, readCpuTicks} from '../lib/processes.js';
import {spawnInPty, watchFrames} from '../lib/pty.js';
import {row, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {median, nowMs, round, sleep, summary} from '../lib/stats.js';

type ChildSeen = {forkAtMs: number; atMs: number; pid: number; command: string; firstCommand: string; polls: number; pollMs: number};

/**
 * Polls a process's children every ~1 ms until one whose command line
 * matches pattern appears. Returns when a new child (not in before) was
 * first seen at all (the fork) and when it was seen running the program
 * (after its exec), with its pid and command line.
 */
async function waitForChild(pid: number, pattern: RegExp, before: Set<number>, timeoutMs = 5000): Promise<ChildSeen> {
	const started = nowMs();
	let forkAtMs: number | undefined;
	let firstCommand: string | undefined;
	let polls = 0;
	for (;;) {
		polls++;
		for (const child of childPids(pid)) {
			if (before.has(child)) {
				continue;
			}

			const command = commandLine(child);
			forkAtMs ??= nowMs();
			firstCommand ??= command;
			if (pattern.test(command)) {
				const atMs = nowMs();
				return {forkAtMs, atMs, pid: child, command, firstCommand, polls, pollMs: (atMs - started) / polls};
			}
		}

		if (nowMs() - started > timeoutMs) {
			throw new Error(`no ${pattern} child of ${pid} within ${timeoutMs} ms (children: ${childPids(pid).map(child => commandLine(child)).join('; ')})`);
		}

		await sleep(1);
	}
}

/**
 * Opens the machine on a copy of the play store with the bench's sound
 * server, then presses space `presses` times: each time from the write of
 * the key until a paplay child of the machine runs, then s to stop, and
 * waits for the machine to be idle again.
 */
type Press = {ms: number; forkMs: number; frameMs: number; pollMs: number; command: string; firstSeenAs: string};
type Playing = {cpuPercent: number; ticks: number; elapsedMs: number; framesPerSecond: number; cpuMsPerFrame: number; stillPlaying: boolean};

async function timePlays(cli: string, sound: PulseServer, {stamps, presses, log}: {stamps: boolean; presses: number; log: SuiteContext['log']}): Promise<{results: Press[]; playing?: Playing}> {
	const store = scratchStore(playStore(), 'play-store');
	const config = configFile('play', {stamps});
	const pty = spawnInPty([process.execPath, cli, '--store', store], {env: {...sound.env, ANSWERPHONE_CONFIG: config}});
	const frames = watchFrames(pty);
	try {
		await frames.next(frame => cursorOf(frame.text) !== undefined, 30_000);
		const pid = await pty.programPid();
		const hz = clockTicksPerSecond();
		// The stamp for the message under the cursor is spoken ahead: let it be.
		await sleep(1000);
		await settle(pid, frames, 20_000);
		const results: Press[] = [];
		for (let index = 0; index < presses; index++) {
			const before = new Set(childPids(pid));
			const drawn = frames.next(frame => frame.text.includes('▶ PLAY'), 10_000);
			const sentAt = nowMs();
			pty.child.stdin.write(' ');

			const player = await waitForChild(pid, /^\S*paplay\b/, before);

			const frame = await drawn;
			results.push({
				ms: player.atMs - sentAt,
				forkMs: player.forkAtMs - sentAt,
				frameMs: frame.atMs - sentAt,
				pollMs: player.pollMs,
				command: player.command,
				// Before its exec the child still shows our own command line.
				firstSeenAs: player.firstCommand,
			});
			pty.child.stdin.write('s');

			await frames.next(next => !next.text.includes('▶ PLAY'), 10_000);

			await settle(pid, frames);
		}

		// CPU while a message plays (the progress bar redraws as the meter
		// does while recording), without stamps only.
		let playing: Playing | undefined;
		if (!stamps) {
			const drawn = frames.next(frame => frame.text.includes('▶ PLAY'), 10_000);
			pty.child.stdin.write(' ');
			await drawn;
			await sleep(1000);
			const start = {atMs: nowMs(), ticks: readCpuTicks(pid), frames: frames.count};
			await sleep(6000);
			const elapsedMs = nowMs() - start.atMs;
			const ticks = (readCpuTicks(pid) ?? Number.NaN) - (start.ticks ?? Number.NaN);
			const playedFrames = frames.count - start.frames;
			playing = {cpuPercent: (((ticks / hz) * 1000) / elapsedMs) * 100, ticks, elapsedMs, framesPerSecond: playedFrames / (elapsedMs / 1000), cpuMsPerFrame: ((ticks / hz) * 1000) / playedFrames, stillPlaying: frames.last?.text.includes('▶ PLAY') === true};
			pty.child.stdin.write('s');
			log(`playlatency: while playing: ${round(playing.cpuPercent, 2)}% of a core, ${round(playing.framesPerSecond, 1)} frames/s, ${round(playing.cpuMsPerFrame, 1)} ms CPU each`);
		}

		const ms = results.map(result => result.ms);
		log(`playlatency: stamps ${stamps ? 'on' : 'off'}: player running after median ${round(median(ms), 1)} ms (${results.map(result => round(result.ms, 1)).join(', ')}); forked after ${round(median(results.map(result => result.forkMs)), 1)} ms; ▶ PLAY drawn after ${round(median(results.map(result => result.frameMs)), 1)} ms; polled every ${round(median(results.map(result => result.pollMs)), 2)} ms; player: ${results[0]?.command}`);
		return {results, playing};
	} finally {
		await pty.stop();
		rmSync(store, {recursive: true, force: true});
		rmSync(config, {force: true});
	}
}

export async function playLatencyBench({cli, log, quick}: SuiteContext): Promise<SuiteResult> {
	const sound = await startPrivatePulse();
	try {
		const presses = quick ? 5 : 10;
		const withStamps = (await timePlays(cli, sound, {stamps: true, presses, log})).results;
		const {results: without, playing} = await timePlays(cli, sound, {stamps: false, presses, log});
		if (!playing) {
			throw new Error('no CPU figures while playing');
		}

		const bench = '7 play latency';
		const rowsFor = (label: string, results: Press[]) => {
			const stats = summary(results.map(result => result.ms));
			return row(bench, label, round(stats.median, 1), {
				unit: 'ms',
				spread: `${round(stats.min, 1)}–${round(stats.max, 1)} ms (n=${stats.runs}); forked at ${round(median(results.map(result => result.forkMs)), 1)} ms; ▶ PLAY drawn at ${round(median(results.map(result => result.frameMs)), 1)} ms`,
				target: '< 50 ms',
				pass: stats.median < 50,
			});
		};

		return {
			rows: [
				rowsFor('space → paplay running, stamps on (the stamp\'s player)', withStamps),
				rowsFor('space → paplay running, stamps off', without),
				row(bench, 'CPU while a message plays (reference)', round(playing.cpuPercent, 2), {unit: '% of a core', spread: `${round(playing.framesPerSecond, 1)} frames/s, ${round(playing.cpuMsPerFrame, 1)} ms CPU each (over ${round(playing.elapsedMs / 1000, 0)} s)`}),
			],
			details: {stampsOn: withStamps, stampsOff: without, playing},
		};
	} finally {
		await sound.stop();
	}
}
