// Small helpers shared by the benchmarks: statistics, timing a whole process,
// reading /proc, and running a command in a pseudo-terminal with `script`.
import {spawn, execFileSync} from 'node:child_process';
import {readFileSync, readdirSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';

export {sleep};

export function median(values) {
	const sorted = values.filter(value => Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) {
		return Number.NaN;
	}

	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summary(values) {
	const sorted = values.filter(value => Number.isFinite(value)).sort((a, b) => a - b);
	return {
		median: median(sorted),
		min: sorted[0] ?? Number.NaN,
		max: sorted.at(-1) ?? Number.NaN,
		runs: sorted.length,
	};
}

export const round = (value, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * Runs step(index) up to `runs` times, but stops after `minRuns` once
 * budgetMs has gone by: on a slow or busy machine the bench still ends in a
 * few minutes, with fewer runs (the table says how many).
 */
export async function repeat(runs, budgetMs, step, minRuns = 3) {
	const results = [];
	const started = nowMs();
	for (let index = 0; index < runs; index++) {
		results.push(await step(index));
		if (results.length >= minRuns && nowMs() - started > budgetMs) {
			break;
		}
	}

	return results;
}

/**
 * Runs a command to completion, timing it from just before spawn until its
 * exit (and the end of its output). Stdout is collected only if asked for,
 * otherwise drained and counted.
 */
export function timeProcess(command, args, {input, keepStdout = false, env, cwd, cpu = false} = {}) {
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
		const chunks = [];
		let stdoutBytes = 0;
		let stderr = '';
		child.stdout.on('data', chunk => {
			stdoutBytes += chunk.length;
			if (keepStdout) {
				chunks.push(chunk);
			}
		});
		child.stderr.on('data', chunk => {
			stderr = (stderr + chunk.toString()).slice(-2000);
		});
		child.on('error', reject);
		if (input !== undefined) {
			child.stdin.on('error', () => undefined);
			child.stdin.end(input);
		}

		child.on('close', (code, signal) => {
			const ms = nowMs() - started;
			let cpuMs;
			if (cpu) {
				// The last line of `times`: children's user and system time, as 0m0.123s 0m0.045s.
				const lines = stderr.trimEnd().split('\n');
				const times = [...(lines.pop() ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map(match => ((Number(match[1]) * 60) + Number(match[2])) * 1000);
				lines.pop();
				stderr = lines.join('\n');
				cpuMs = times.length === 2 ? times[0] + times[1] : Number.NaN;
			}

			const result = {ms, cpuMs, code, signal, stderr, stdoutBytes, stdout: keepStdout ? Buffer.concat(chunks).toString() : ''};
			if (code === 0) {
				resolve(result);
			} else {
				reject(Object.assign(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim().split('\n').pop() ?? ''}`), {result}));
			}
		});
	});
}

/** kB of VmRSS / VmHWM of a live process, or undefined once it is gone. */
export function readMemory(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/status`, 'utf8');
		const field = name => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
		return {rssKb: field('VmRSS'), hwmKb: field('VmHWM'), anonKb: field('RssAnon'), fileKb: field('RssFile')};
	} catch {
		return undefined;
	}
}

/** utime + stime (clock ticks) of a live process, or undefined once it is gone. */
export function readCpuTicks(pid) {
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

export function clockTicksPerSecond() {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
	} catch {
		return 100;
	}
}

/** The direct children of a process (needs a kernel with /proc/PID/task/TID/children, 3.5+). */
export function childPids(pid) {
	const children = [];
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
export function commandLine(pid) {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
	} catch {
		return '';
	}
}

/**
 * Samples a process's memory every intervalMs until it exits. Returns a
 * stop() that gives the samples and the peaks (the largest VmRSS seen and
 * the last VmHWM read, the kernel's own high-water mark).
 */
export function sampleMemory(pid, intervalMs = 50) {
	const samples = [];
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

const quote = text => `'${String(text).replaceAll('\'', '\'\\\'\'')}'`;

/**
 * Starts argv inside a pseudo-terminal of the given size using util-linux
 * `script`, in its own process group. Resolves `waitFor(marker)` with the ms
 * from spawn to the first output matching marker.
 */
export function spawnInPty(argv, {columns = 100, rows = 30, env} = {}) {
	// stty sets the pty's size (script copies its own terminal's, and ours is
	// a pipe); exec makes the program the direct child of script.
	const shell = `stty cols ${columns} rows ${rows} 2>/dev/null; exec ${argv.map(arg => quote(arg)).join(' ')}`;
	const started = nowMs();
	const child = spawn('script', ['-qfec', shell, '/dev/null'], {
		stdio: ['pipe', 'pipe', 'pipe'],
		detached: true,
		env: {...process.env, TERM: 'xterm-256color', ...env},
	});
	let output = '';
	let outputBytes = 0;
	const waiters = [];
	const check = () => {
		for (const waiter of [...waiters]) {
			if (waiter.marker.test(output)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(nowMs() - started);
			}
		}
	};

	child.stdout.on('data', chunk => {
		outputBytes += chunk.length;
		output += chunk.toString();
		if (output.length > 1_000_000) {
			output = output.slice(-200_000);
		}

		check();
	});
	child.stderr.on('data', chunk => {
		output += chunk.toString();
		check();
	});
	let exited = false;
	child.on('exit', () => {
		exited = true;
		for (const waiter of waiters.splice(0)) {
			waiter.reject(new Error(`exited before showing ${waiter.marker}: ${output.slice(-300)}`));
		}
	});
	return {
		child,
		started,
		get output() {
			return output;
		},
		get outputBytes() {
			return outputBytes;
		},
		waitFor(marker, timeoutMs = 15_000) {
			return new Promise((resolve, reject) => {
				if (exited) {
					reject(new Error(`already exited: ${output.slice(-300)}`));
					return;
				}

				const timer = setTimeout(() => {
					waiters.splice(waiters.indexOf(waiter), 1);
					reject(new Error(`no ${marker} within ${timeoutMs} ms: ${JSON.stringify(output.slice(-300))}`));
				}, timeoutMs);
				const waiter = {
					marker,
					resolve(value) {
						clearTimeout(timer);
						resolve(value);
					},
					reject(error) {
						clearTimeout(timer);
						reject(error);
					},
				};
				waiters.push(waiter);
				check();
			});
		},
		/** The pid of the program script started (its child), once it exists. */
		async programPid(timeoutMs = 5000) {
			const deadline = nowMs() + timeoutMs;
			while (nowMs() < deadline) {
				const [pid] = childPids(child.pid);
				if (pid !== undefined && commandLine(pid).includes(argv[0])) {
					return pid;
				}

				await sleep(5);
			}

			throw new Error('the program never started under script');
		},
		/** Ends the whole process group (script and the program) and waits for script to go. */
		async stop() {
			if (exited) {
				return;
			}

			const gone = new Promise(resolve => {
				child.once('exit', resolve);
			});
			// script puts the program in a session of its own on the pty: end it
			// by its pid first, then script's own process group.
			for (const pid of childPids(child.pid)) {
				try {
					process.kill(pid, 'SIGTERM');
				} catch {}
			}

			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {}

			const timer = setTimeout(() => {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {}
			}, 2000);
			await gone;
			clearTimeout(timer);
		},
	};
}
