// Small helpers shared by the benchmarks: statistics, timing a whole process,
// reading /proc, running a command in a pseudo-terminal with `script` and
// reading Ink's frames from it, and a private sound server.
import {spawn, execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
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

/** The p-th percentile (0–100) by the nearest-rank method: p90 of 30 values is the 27th smallest. */
export function percentile(values, p) {
	const sorted = values.filter(value => Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) {
		return Number.NaN;
	}

	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
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

const syncStart = '\u001B[?2026h';
const syncEnd = '\u001B[?2026l';

/** Text without colours, cursor moves and other escape sequences. */
export function stripAnsi(text) {
	// eslint-disable-next-line no-control-regex
	return text.replaceAll(/\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g, '');
}

/**
 * Splits what a program in spawnInPty writes into Ink's frames: Ink brackets
 * each frame with the synchronized-update markers. Each frame is timed when
 * the chunk that completes it arrives. next(predicate) resolves with the first
 * frame from now on that satisfies it; quiet(ms) when no frame has come for ms.
 */
export function watchFrames(pty) {
	const decoder = new StringDecoder('utf8');
	let buffer = '';
	let count = 0;
	let last;
	let lastAtMs = nowMs();
	const listeners = new Set();
	pty.child.stdout.on('data', chunk => {
		const atMs = nowMs();
		buffer += decoder.write(chunk);
		for (let end = buffer.indexOf(syncEnd); end !== -1; end = buffer.indexOf(syncEnd)) {
			const start = buffer.lastIndexOf(syncStart, end);
			const raw = buffer.slice(start === -1 ? 0 : start + syncStart.length, end);
			buffer = buffer.slice(end + syncEnd.length);
			last = {index: count++, atMs, raw, text: stripAnsi(raw)};
			lastAtMs = atMs;
			for (const listener of [...listeners]) {
				listener(last);
			}
		}

		if (buffer.length > 1_000_000) {
			buffer = buffer.slice(-100_000);
		}
	});
	// A program that dies (a crash, a missing build) fails the wait at once,
	// with what it said last.
	let exited = false;
	pty.child.on('exit', () => {
		exited = true;
		for (const listener of [...listeners]) {
			listener(undefined);
		}
	});
	return {
		get last() {
			return last;
		},
		get count() {
			return count;
		},
		get lastAtMs() {
			return lastAtMs;
		},
		/** The first frame from now on for which predicate(frame) holds; frames seen before it are counted. */
		next(predicate, timeoutMs = 10_000) {
			return new Promise((resolve, reject) => {
				let skipped = 0;
				const gone = () => new Error(`the program exited; it said last: ${JSON.stringify(stripAnsi(pty.output.slice(-600)))}`);
				if (exited) {
					reject(gone());
					return;
				}

				const listener = frame => {
					if (frame === undefined) {
						listeners.delete(listener);
						clearTimeout(timer);
						reject(gone());
					} else if (predicate(frame)) {
						listeners.delete(listener);
						clearTimeout(timer);
						resolve({...frame, skipped});
					} else {
						skipped++;
					}
				};

				const timer = setTimeout(() => {
					listeners.delete(listener);
					reject(new Error(`no such frame within ${timeoutMs} ms; the last: ${JSON.stringify(last?.text.slice(-600))}`));
				}, timeoutMs);
				listeners.add(listener);
			});
		},
		/** Resolves once no frame has arrived for quietMs (or after maxMs regardless). */
		async quiet(quietMs, maxMs = 5000) {
			const deadline = nowMs() + maxMs;
			while (nowMs() < deadline) {
				const waited = nowMs() - lastAtMs;
				if (waited >= quietMs) {
					return;
				}

				await sleep(Math.max(5, quietMs - waited));
			}
		},
	};
}

/**
 * A PulseAudio server of the bench's own with a null sink "line" (a speaker)
 * whose monitor is the default source (a microphone), as
 * test/e2e/real-audio.test.ts does: nobody else's sound reaches our figures.
 * env holds what a child needs to use it.
 */
export async function startSoundServer() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'answerphone-bench-pulse-'));
	const socket = path.join(dir, 'native');
	const env = {
		...process.env, PULSE_RUNTIME_PATH: dir, PULSE_STATE_PATH: dir, PULSE_SERVER: `unix:${socket}`, AUDIODRIVER: 'pulseaudio',
	};
	const daemon = spawn('pulseaudio', [
		'-n', '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no', '--log-target=stderr', '--log-level=error',
		`--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`,
		'--load=module-null-sink sink_name=line',
	], {env, stdio: 'ignore'});
	daemon.on('error', () => undefined);
	const kill = () => daemon.kill('SIGKILL');
	process.once('exit', kill);
	const deadline = nowMs() + 10_000;
	for (;;) {
		try {
			execFileSync('pactl', ['info'], {env, stdio: 'ignore'});
			break;
		} catch {
			if (nowMs() > deadline || daemon.exitCode !== null) {
				kill();
				throw new Error('the bench\'s own PulseAudio server did not start (is pulseaudio installed?)');
			}

			await sleep(50);
		}
	}

	execFileSync('pactl', ['set-default-sink', 'line'], {env, stdio: 'ignore'});
	execFileSync('pactl', ['set-default-source', 'line.monitor'], {env, stdio: 'ignore'});
	return {
		env,
		pid: daemon.pid,
		async stop() {
			process.off('exit', kill);
			if (daemon.exitCode === null && daemon.signalCode === null) {
				const gone = new Promise(resolve => {
					daemon.once('close', resolve);
				});
				daemon.kill('SIGTERM');
				await gone;
			}

			rmSync(dir, {recursive: true, force: true});
		},
	};
}
