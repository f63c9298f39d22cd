// A PulseAudio server with a null sink called "line": a real speaker on a
// machine without a sound card, whose monitor is the default source, a real
// microphone. One way of starting, waiting for and listening to it, for the
// shared sandbox of a checkout (scripts/audio-sandbox.sh), the real-audio
// tests and the benchmarks; the last two run a private server each, so that
// nobody else's test run is heard on their line.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {waitFor} from './wait-for.js';

export type PulseServer = {
	/** The environment a sound program (pactl, paplay, parec, sox, answerphone) needs to use the server. */
	env: NodeJS.ProcessEnv;
	stop(): Promise<void>;
};

/** The environment of a server whose runtime folder is dir: its socket, and SoX told to use PulseAudio. */
export function pulseEnv(dir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	return {
		...base,
		PULSE_RUNTIME_PATH: dir,
		// The daemon's own state (cookie, device database) stays in the folder
		// too, away from a user's own sound server.
		PULSE_STATE_PATH: dir,
		PULSE_SERVER: `unix:${socketOf(dir)}`,
		AUDIODRIVER: 'pulseaudio',
	};
}

const socketOf = (dir: string) => path.join(dir, 'native');

/** True when a PulseAudio server answers in env. */
export function pulseAnswers(env: NodeJS.ProcessEnv = process.env): boolean {
	try {
		execFileSync('pactl', ['info'], {env, stdio: 'ignore', timeout: 5000});
		return true;
	} catch {
		return false;
	}
}

function daemonArgs(dir: string, shared: boolean): string[] {
	return [
		'-n', '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no',
		// The shared one keeps a log, and no client may end it (stopSandbox
		// does). A private server's stderr goes nowhere. As root PulseAudio
		// warns that it is not meant to run system-wide: harmless here.
		...(shared ? ['--disallow-exit', `--log-target=file:${path.join(dir, 'log')}`] : ['--log-target=stderr', '--log-level=error']),
		`--load=module-native-protocol-unix socket=${socketOf(dir)} auth-anonymous=1`,
		'--load=module-null-sink sink_name=line',
	];
}

/** Makes the line the default speaker and its monitor the default microphone. */
function makeLineDefault(env: NodeJS.ProcessEnv): void {
	execFileSync('pactl', ['set-default-sink', 'line'], {env, stdio: 'ignore'});
	execFileSync('pactl', ['set-default-source', 'line.monitor'], {env, stdio: 'ignore'});
}

/** Waits until the daemon answers, then sets its defaults. */
async function whenAnswering(daemon: ChildProcess, env: NodeJS.ProcessEnv, what: string): Promise<void> {
	await waitFor(what, () => {
		if (daemon.exitCode !== null || daemon.signalCode !== null) {
			throw new Error(`${what}: pulseaudio ended at once (is it installed?)`);
		}

		return pulseAnswers(env);
	}, {timeoutMs: 10_000, intervalMs: 50});
	makeLineDefault(env);
}

function spawnDaemon(dir: string, env: NodeJS.ProcessEnv, shared: boolean): ChildProcess {
	// The shared one in a session of its own and not waited for, so that it lives on.
	const daemon = spawn('pulseaudio', daemonArgs(dir, shared), {env, stdio: 'ignore', detached: shared});
	// A daemon that cannot start shows as the wait for it failing.
	daemon.on('error', () => undefined);
	return daemon;
}

/**
 * A private server, a child of this process, in dir (made here; a temporary
 * folder when not given, removed by stop()). If the process ends without
 * stop(), the server goes with it.
 */
export async function startPrivatePulse(dir?: string): Promise<PulseServer> {
	const runtime = dir ?? mkdtempSync(path.join(os.tmpdir(), 'answerphone-pulse-'));
	mkdirSync(runtime, {recursive: true, mode: 0o700});
	const env = pulseEnv(runtime);
	const daemon = spawnDaemon(runtime, env, false);
	const kill = () => daemon.kill('SIGKILL');
	process.once('exit', kill);
	const gone = new Promise<void>(resolve => {
		daemon.once('close', () => {
			process.off('exit', kill);
			resolve();
		});
	});
	const removeFolder = () => {
		if (dir === undefined) {
			rmSync(runtime, {recursive: true, force: true});
		}
	};

	try {
		await whenAnswering(daemon, env, 'a private PulseAudio server to answer');
	} catch (error) {
		kill();
		await gone;
		removeFolder();
		throw error;
	}

	return {
		env,
		async stop() {
			if (daemon.exitCode === null && daemon.signalCode === null) {
				daemon.kill('SIGTERM');
			}

			await gone;
			removeFolder();
		},
	};
}

const sandboxDir = (root: string) => path.join(root, '.pulse');

/**
 * The sandbox of a checkout, in .pulse/ under root: one server shared by its
 * test runs and a developer's shell, started only when none answers there
 * yet. It outlives this process (stopSandbox ends it). Returns its environment.
 */
export async function startSandbox(root: string): Promise<NodeJS.ProcessEnv> {
	const runtime = sandboxDir(root);
	mkdirSync(runtime, {recursive: true, mode: 0o700});
	chmodSync(runtime, 0o700);
	const env = pulseEnv(runtime);
	if (pulseAnswers(env)) {
		makeLineDefault(env);
		return env;
	}

	const daemon = spawnDaemon(runtime, env, true);
	daemon.unref();
	await whenAnswering(daemon, env, `PulseAudio to start (see ${path.join(runtime, 'log')})`);
	return env;
}

/** Ends the checkout's sandbox, if one runs: the pulseaudio whose socket is in .pulse/. */
export async function stopSandbox(root: string): Promise<void> {
	const socket = socketOf(sandboxDir(root));
	const daemons = readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number).filter(pid => {
		try {
			const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			return path.basename(argv[0] ?? '') === 'pulseaudio' && argv.includes(`--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`);
		} catch {
			return false;
		}
	});
	for (const pid of daemons) {
		process.kill(pid, 'SIGTERM');
	}

	await waitFor('the sandbox\'s PulseAudio to end', () => !pulseAnswers(pulseEnv(sandboxDir(root))), {timeoutMs: 5000, intervalMs: 50});
}

/** parec on the line's monitor, as 16 kHz mono s16le on its stdout: what the speaker plays. */
export function listenToLine(env: NodeJS.ProcessEnv): ChildProcess {
	// A short latency makes a chunk's arrival time close to when it was played.
	return spawn('parec', ['-d', 'line.monitor', '--format=s16le', '--rate=16000', '--channels=1', '--latency-msec=10'], {stdio: ['ignore', 'pipe', 'ignore'], env});
}
