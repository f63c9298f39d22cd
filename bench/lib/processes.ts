// Running and watching processes for the benchmarks: timing a whole process,
// reading /proc (memory, CPU ticks, children, command lines).
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {nowMs} from './stats.js';

export type ProcessRun = {
	ms: number;
	/** User + system CPU of the process and what it waited for, when asked for (cpu: true). */
	cpuMs?: number;
	code: number | null;
	signal: NodeJS.Signals | null;
	stderr: string;
	stdoutBytes: number;
	stdout: string;
};

export type TimeOptions = {input?: Buffer | string; keepStdout?: boolean; env?: NodeJS.ProcessEnv; cwd?: string; cpu?: boolean};

/**
 * Runs a command to completion, timing it from just before spawn until its
 * exit (and the end of its output). Stdout is collected only if asked for,
 * otherwise drained and counted.
 */
export async function timeProcess(command: string, args: string[], {input, keepStdout = false, env, cwd, cpu = false}: TimeOptions = {}): Promise<ProcessRun> {
	return new Promise((resolve, reject) => {
		const started = nowMs();
		// With cpu, a shell runs the command and then prints, with its `times`
		// builtin, the user and system CPU of its children (the command and
		// everything it waited for, such as sox): the process's own cost, which
		// other load on the machine inflates far less than wall time. The shell
		// adds a millisecond or two to the wall time.
		const [file, argv] = cpu
			? ['/bin/sh', ['-c', '"$0" "$@"; status=$?; times >&2; exit $status', command, ...args]]
			: [command, args];
		const child = spawn(file, argv, {stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env, cwd});
		const chunks: Buffer[] = [];
		let stdoutBytes = 0;
		let stderr = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			stdoutBytes += chunk.length;
			if (keepStdout) {
				chunks.push(chunk);
			}
		});
		child.stderr!.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-2000);
		});
		child.on('error', reject);
		if (input !== undefined) {
			child.stdin!.on('error', () => undefined);
			child.stdin!.end(input);
		}

		child.on('close', (code, signal) => {
			const ms = nowMs() - started;
			let cpuMs: number | undefined;
			if (cpu) {
				// The last line of `times`: children's user and system time, as 0m0.123s 0m0.045s.
				const lines = stderr.trimEnd().split('\n');
				const times = [...(lines.pop() ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map(match => ((Number(match[1]) * 60) + Number(match[2])) * 1000);
				lines.pop();
				stderr = lines.join('\n');
				cpuMs = times.length === 2 ? times[0]! + times[1]! : Number.NaN;
			}

			const result: ProcessRun = {ms, cpuMs, code, signal, stderr, stdoutBytes, stdout: keepStdout ? Buffer.concat(chunks).toString() : ''};
			if (code === 0) {
				resolve(result);
			} else {
				reject(Object.assign(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim().split('\n').pop() ?? ''}`), {result}));
			}
		});
	});
}

export type Exit = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; atMs?: number; error?: Error};

/** A process's exit, with what it wrote. */
export function collect(child: ChildProcess): {exit: Promise<Exit>; stderr: () => string} {
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exit = new Promise<Exit>(resolve => {
		child.on('error', error => resolve({code: null, signal: null, error, stdout, stderr}));
		child.on('close', (code, signal) => resolve({code, signal, stdout, stderr, atMs: nowMs()}));
	});
	return {exit, stderr: () => stderr};
}

export type Memory = {rssKb: number; hwmKb: number; anonKb: number; fileKb: number};

/** kB of VmRSS / VmHWM of a live process, or undefined once it is gone. */
export function readMemory(pid: number): Memory | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/status`, 'utf8');
		const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
		return {rssKb: field('VmRSS'), hwmKb: field('VmHWM'), anonKb: field('RssAnon'), fileKb: field('RssFile')};
	} catch {
		return undefined;
	}
}

/** utime + stime (clock ticks) of a live process, or undefined once it is gone. */
export function readCpuTicks(pid: number | undefined): number | undefined {
	if (pid === undefined) {
		return undefined;
	}

	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name may hold spaces and parentheses: fields start after the last ')'.
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		// Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name and state.
		return Number(fields[11]) + Number(fields[12]);
	} catch {
		return undefined;
	}
}

export function clockTicksPerSecond(): number {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
	} catch {
		return 100;
	}
}

/** The direct children of a process (needs a kernel with /proc/PID/task/TID/children, 3.5+). */
export function childPids(pid: number | undefined): number[] {
	const children: number[] = [];
	try {
		for (const task of readdirSync(`/proc/${pid}/task`)) {
			const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
			if (text) {
				children.push(...text.split(/\s+/).map(Number));
			}
		}
	} catch {}

	return children;
}

/** The command line of a process, or '' once it is gone. */
export function commandLine(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
	} catch {
		return '';
	}
}

export type MemorySample = {ms: number; rssKb: number};
export type MemoryPeaks = {samples: MemorySample[]; peakRssKb: number; hwmKb: number; atPeak: {anonKb: number; fileKb: number}};

/**
 * Samples a process's memory every intervalMs until it exits. Returns a
 * stop() that gives the samples and the peaks (the largest VmRSS seen and
 * the last VmHWM read, the kernel's own high-water mark).
 */
export function sampleMemory(pid: number, intervalMs = 50): {take: () => void; stop: () => MemoryPeaks} {
	const samples: MemorySample[] = [];
	let peakRssKb = 0;
	let hwmKb = 0;
	// The split of RSS at its peak: anonymous memory (heaps, buffers) against
	// pages of mapped files (the node binary's code).
	let atPeak = {anonKb: Number.NaN, fileKb: Number.NaN};
	const started = nowMs();
	const take = () => {
		const memory = readMemory(pid);
		// A zombie (exited, not yet reaped) still has a status file, without the Vm fields.
		if (memory && Number.isFinite(memory.rssKb) && Number.isFinite(memory.hwmKb)) {
			samples.push({ms: Math.round(nowMs() - started), rssKb: memory.rssKb});
			if (memory.rssKb >= peakRssKb) {
				atPeak = {anonKb: memory.anonKb, fileKb: memory.fileKb};
			}

			peakRssKb = Math.max(peakRssKb, memory.rssKb);
			hwmKb = Math.max(hwmKb, memory.hwmKb);
		}
	};

	take();
	const timer = setInterval(take, intervalMs);
	return {
		take,
		stop() {
			clearInterval(timer);
			return {samples, peakRssKb, hwmKb, atPeak};
		},
	};
}
