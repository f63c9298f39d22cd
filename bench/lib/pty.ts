// Running a program in a pseudo-terminal with util-linux `script`, and
// reading Ink's frames from what it draws.
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {StringDecoder} from 'node:string_decoder';
import {waitFor} from '../../test/helpers/wait-for.js';
import {childPids, commandLine} from './processes.js';
import {nowMs, sleep} from './stats.js';

const quote = (text: string) => `'${text.replaceAll('\'', '\'\\\'\'')}'`;

type Waiter = {marker: RegExp; resolve: (ms: number) => void; reject: (error: Error) => void};

export type Pty = {
	child: ChildProcessWithoutNullStreams;
	started: number;
	/** Everything written so far (the last 200,000 characters or more). */
	readonly output: string;
	readonly outputBytes: number;
	/** Resolves with the ms from spawn to the first output matching marker. */
	waitFor(marker: RegExp, timeoutMs?: number): Promise<number>;
	/** The pid of the program script started (its child), once it exists. */
	programPid(timeoutMs?: number): Promise<number>;
	/** Ends the whole process group (script and the program) and waits for script to go. */
	stop(): Promise<void>;
};

/**
 * Starts argv inside a pseudo-terminal of the given size using util-linux
 * `script`, in its own process group.
 */
export function spawnInPty(argv: string[], {columns = 100, rows = 30, env = {}}: {columns?: number; rows?: number; env?: NodeJS.ProcessEnv} = {}): Pty {
	// stty sets the pty's size (script copies its own terminal's, and ours is
	// a pipe); exec makes the program the direct child of script.
	const shell = `stty cols ${columns} rows ${rows} 2>/dev/null; exec ${argv.map(arg => quote(arg)).join(' ')}`;
	const started = nowMs();
	const child = spawn('script', ['-qfec', shell, '/dev/null'], {
		stdio: ['pipe', 'pipe', 'pipe'],
		detached: true,
		env: {...process.env, TERM: 'xterm-256color', ...env},
	});
	const scriptPid = child.pid!;
	let output = '';
	let outputBytes = 0;
	const waiters: Waiter[] = [];
	const check = () => {
		for (const waiter of [...waiters]) {
			if (waiter.marker.test(output)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(nowMs() - started);
			}
		}
	};

	child.stdout.on('data', (chunk: Buffer) => {
		outputBytes += chunk.length;
		output += chunk.toString();
		if (output.length > 1_000_000) {
			output = output.slice(-200_000);
		}

		check();
	});
	child.stderr.on('data', (chunk: Buffer) => {
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
	const signal = (pid: number, name: NodeJS.Signals) => {
		try {
			process.kill(pid, name);
		} catch {}
	};

	return {
		child,
		started,
		get output() {
			return output;
		},
		get outputBytes() {
			return outputBytes;
		},
		async waitFor(marker, timeoutMs = 15_000) {
			return new Promise((resolve, reject) => {
				if (exited) {
					reject(new Error(`already exited: ${output.slice(-300)}`));
					return;
				}

				const timer = setTimeout(() => {
					waiters.splice(waiters.indexOf(waiter), 1);
					reject(new Error(`no ${marker} within ${timeoutMs} ms: ${JSON.stringify(output.slice(-300))}`));
				}, timeoutMs);
				const waiter: Waiter = {
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
		async programPid(timeoutMs = 5000) {
			return waitFor('the program to start under script', () => {
				const [pid] = childPids(scriptPid);
				return pid !== undefined && commandLine(pid).includes(argv[0]!) ? pid : undefined;
			}, {timeoutMs, intervalMs: 5});
		},
		async stop() {
			if (exited) {
				return;
			}

			const gone = new Promise(resolve => {
				child.once('exit', resolve);
			});
			// script puts the program in a session of its own on the pty: end it
			// by its pid first, then script's own process group.
			for (const pid of childPids(scriptPid)) {
				signal(pid, 'SIGTERM');
			}

			signal(-scriptPid, 'SIGTERM');
			const timer = setTimeout(() => {
				signal(-scriptPid, 'SIGKILL');
			}, 2000);
			await gone;
			clearTimeout(timer);
		},
	};
}

const syncStart = '\u001B[?2026h';
const syncEnd = '\u001B[?2026l';

/** Text without colours, cursor moves and other escape sequences. */
export function stripAnsi(text: string): string {
	// eslint-disable-next-line no-control-regex -- these are the terminal's escape sequences
	return text.replaceAll(/\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g, '');
}

export type Frame = {index: number; atMs: number; raw: string; text: string};

export type Frames = {
	readonly last: Frame | undefined;
	readonly count: number;
	readonly lastAtMs: number;
	/** The first frame from now on for which predicate(frame) holds; frames seen before it are counted. */
	next(predicate: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame & {skipped: number}>;
	/** Resolves once no frame has arrived for quietMs (or after maxMs regardless). */
	quiet(quietMs: number, maxMs?: number): Promise<void>;
};

/**
 * Splits what a program in spawnInPty writes into Ink's frames: Ink brackets
 * each frame with the synchronized-update markers. Each frame is timed when
 * the chunk that completes it arrives. next(predicate) resolves with the first
 * frame from now on that satisfies it; quiet(ms) when no frame has come for ms.
 */
export function watchFrames(pty: Pty): Frames {
	const decoder = new StringDecoder('utf8');
	let buffer = '';
	let count = 0;
	let last: Frame | undefined;
	let lastAtMs = nowMs();
	const listeners = new Set<(frame: Frame | undefined) => void>();
	pty.child.stdout.on('data', (chunk: Buffer) => {
		const atMs = nowMs();
		buffer += decoder.write(chunk);
		for (let end = buffer.indexOf(syncEnd); end !== -1; end = buffer.indexOf(syncEnd)) {
			const start = buffer.lastIndexOf(syncStart, end);
			const raw = buffer.slice(start === -1 ? 0 : start + syncStart.length, end);
			buffer = buffer.slice(end + syncEnd.length);
			const frame: Frame = {index: count++, atMs, raw, text: stripAnsi(raw)};
			last = frame;
			lastAtMs = atMs;
			for (const listener of [...listeners]) {
				listener(frame);
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
		async next(predicate, timeoutMs = 10_000) {
			return new Promise((resolve, reject) => {
				let skipped = 0;
				const gone = () => new Error(`the program exited; it said last: ${JSON.stringify(stripAnsi(pty.output.slice(-600)))}`);
				if (exited) {
					reject(gone());
					return;
				}

				const listener = (frame: Frame | undefined) => {
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
