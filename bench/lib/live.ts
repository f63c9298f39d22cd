// What the suites driving the open machine share: scratch stores and config
// files of their own, reading the cursor row, waiting for the machine to be
// idle, and a caller talking on the line.
import {spawn} from 'node:child_process';
import {cpSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {PulseServer} from '../../test/helpers/pulse.js';
import {dataDir} from '../fixtures.js';
import {childPids, readCpuTicks} from './processes.js';
import type {Frames} from './pty.js';
import {nowMs, sleep} from './stats.js';

/** A scratch copy of a fixture store: keys like e and * change the store they run on. */
export function scratchStore(fixture: string, name: string): string {
	const dir = path.join(dataDir, `${name}-${process.pid}`);
	rmSync(dir, {recursive: true, force: true});
	cpSync(fixture, dir, {recursive: true});
	return dir;
}

/** A config file of the bench's own, so that a developer's config (stamps off, another silence stop) never changes the figures. */
export function configFile(name: string, config: Record<string, unknown>): string {
	const file = path.join(dataDir, `${name}-config-${process.pid}.json`);
	writeFileSync(file, JSON.stringify(config) + '\n');
	return file;
}

// The cursor row: the selected message is marked › (and drawn inverse).
const cursorPattern = /^› +(\d+) (NEW| {3})( \*| {2}) /m;

/** What the cursor row says in a frame: its number, and whether it is kept. */
export function cursorOf(text: string): {number: number; keep: boolean} | undefined {
	const match = cursorPattern.exec(text);
	return match ? {number: Number(match[1]), keep: match[3] === ' *'} : undefined;
}

export type Settled = {idleAtMs: number; ticks: number | undefined; timedOut?: boolean};

/**
 * Waits until the machine is idle: no frame for 250 ms, no child (a stamp
 * being spoken), and at most one clock tick of CPU in the last 300 ms. Gives
 * up after maxMs. Returns when it went idle (the start of the quiet window)
 * and the CPU ticks read then.
 */
export async function settle(pid: number, frames: Frames, maxMs = 15_000): Promise<Settled> {
	const deadline = nowMs() + maxMs;
	const windowMs = 300;
	const samples = [{atMs: nowMs(), ticks: readCpuTicks(pid)}];
	for (;;) {
		await sleep(50);
		const atMs = nowMs();
		const latest = {atMs, ticks: readCpuTicks(pid)};
		samples.push(latest);
		const start = samples.findLast(sample => sample.atMs <= atMs - windowMs);
		if (start && latest.ticks! - start.ticks! <= 1 && atMs - frames.lastAtMs >= 250 && childPids(pid).length === 0) {
			// Idle since the window began, or since the last tick that moved.
			const lastMoved = samples.findLast((sample, index) => index > 0 && sample.ticks !== samples[index - 1]!.ticks);
			return {idleAtMs: Math.max(frames.lastAtMs, lastMoved?.atMs ?? start.atMs), ticks: latest.ticks};
		}

		if (atMs > deadline) {
			return {idleAtMs: atMs, ticks: latest.ticks, timedOut: true};
		}
	}
}

/** Plays `seconds` of pink noise into the sink of a sound server, as a caller on the line; returns a stop(). */
export function playNoise(sound: PulseServer, seconds: number): {pid: number | undefined; stop: () => Promise<void>} {
	const child = spawn('/bin/sh', ['-c', `sox -q -n -r 16000 -c 1 -t wav - synth ${seconds} pinknoise vol 0.2 | paplay`], {
		env: sound.env, stdio: 'ignore', detached: true,
	});
	child.on('error', () => undefined);
	const gone = new Promise(resolve => {
		child.once('close', resolve);
	});
	return {
		pid: child.pid,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				try {
					process.kill(-child.pid!, 'SIGTERM');
				} catch {}
			}

			await gone;
		},
	};
}
