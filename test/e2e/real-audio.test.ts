// End to end through real sound: the built CLI records from the PulseAudio
// null sink's monitor (a real microphone) and plays into the sink (a real
// speaker), and parec listens to what came out. The monitor starts slowly and
// runs a little under real time, so loudness and rough durations are asserted,
// never exact lengths. The file runs its own PulseAudio server (when it can)
// so that nobody else's test run is heard on the line.
import {execFile, execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {afterEach, beforeAll, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {describeRealAudio} from '../helpers/audio-stack.js';
import {listenToLine, startPrivatePulse, type PulseServer} from '../helpers/pulse.js';
import {waitFor} from '../helpers/wait-for.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const idPattern = /^\d{8}-\d{6}-\d{3}-[a-z2-7]{6}$/;
const bytesPerSecond = 32_000;
/** 50 ms of 16 kHz mono s16le: the window loudness is judged over. */
const windowBytes = 1600;
/** espeak-ng speech sits around -22 dBFS; the null sink's silence is digital zero. */
const loudDb = -40;
const quietDb = -60;
const pexecFile = promisify(execFile);

type Exit = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

type Running = {child: ChildProcess; exit: Promise<Exit>; stderr(): string};

/** Every process started here, so that a failed assertion leaves nothing playing or recording. */
const started: Array<{child: ChildProcess; group: boolean}> = [];

function start(args: string[], {detached = false} = {}): Running {
	const child = spawn(process.execPath, [cli, ...args], {
		stdio: ['ignore', 'pipe', 'pipe'],
		detached,
		// A developer's own config file (a greeting switched off, another
		// silence stop) must not change what these tests hear.
		env: {...soundEnv, ANSWERPHONE_CONFIG: path.join(work, 'no-config.json')},
	});
	started.push({child, group: detached});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exit = new Promise<Exit>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			resolve({code, signal, stdout, stderr});
		});
	});
	return {child, exit, stderr: () => stderr};
}

async function run(args: string[]): Promise<Exit> {
	return start(args).exit;
}

/** Plays a WAV into the sink, as a caller on the line would. */
function speak(file: string): ChildProcess {
	const paplay = spawn('paplay', [file], {stdio: 'ignore', env: soundEnv});
	started.push({child: paplay, group: false});
	return paplay;
}

async function finished(child: ChildProcess): Promise<void> {
	if (child.exitCode === null && child.signalCode === null) {
		await new Promise(resolve => {
			child.once('close', resolve);
		});
	}
}

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

/**
 * Waits until the recorder keeps what the microphone hears: after the
 * greeting and the beep, once sound is flowing, the command says so.
 */
async function waitUntilRecording(recording: Running): Promise<void> {
	await waitFor('the recorder to start keeping sound', () => (recording.stderr().includes('answerphone: recording') ? true : undefined));
}

function rmsDb(pcm: Buffer): number {
	const samples = Math.floor(pcm.length / 2);
	let sum = 0;
	for (let index = 0; index < samples; index++) {
		const sample = pcm.readInt16LE(index * 2);
		sum += sample * sample;
	}

	const rms = samples === 0 ? 0 : Math.sqrt(sum / samples) / 32_768;
	return rms > 0 ? 20 * Math.log10(rms) : -120;
}

/** Seconds from the first loud 50 ms window to the end of the last one, or 0. */
function loudSpanSeconds(pcm: Buffer): number {
	const levels: number[] = [];
	for (let offset = 0; offset + windowBytes <= pcm.length; offset += windowBytes) {
		levels.push(rmsDb(pcm.subarray(offset, offset + windowBytes)));
	}

	const first = levels.findIndex(level => level > loudDb);
	const last = levels.findLastIndex(level => level > loudDb);
	return first === -1 ? 0 : ((last - first + 1) * windowBytes) / bytesPerSecond;
}

/** The store writes a canonical 44-byte header: read it byte by byte rather than trust our own parser. */
async function readStoreWav(file: string): Promise<Buffer> {
	const bytes = await readFile(file);
	expect(bytes.toString('ascii', 0, 4) + bytes.toString('ascii', 8, 16) + bytes.toString('ascii', 36, 40)).toBe('RIFFWAVEfmt data');
	expect({
		format: bytes.readUInt16LE(20),
		channels: bytes.readUInt16LE(22),
		sampleRate: bytes.readUInt32LE(24),
		bitsPerSample: bytes.readUInt16LE(34),
		dataSize: bytes.readUInt32LE(40),
		riffSize: bytes.readUInt32LE(4),
	}).toEqual({format: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16, dataSize: bytes.length - 44, riffSize: bytes.length - 8});
	return bytes.subarray(44);
}

function soundSeconds(file: string): number {
	return Number(execFileSync('soxi', ['-D', file]).toString().trim());
}

type ListedMessage = {id: string; for: string; from: string; durationMs: number; heard: boolean; file: string};

async function listMessages(store: string): Promise<ListedMessage[]> {
	const result = await run(['list', '--store', store, '--json']);
	expect(result.code, result.stderr).toBe(0);
	return JSON.parse(result.stdout) as ListedMessage[];
}

function processExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Command lines of running processes that mention text (pgrep exits 1 when there are none). */
function processesMentioning(text: string): string[] {
	try {
		return execFileSync('pgrep', ['-a', '-f', text]).toString().trim().split('\n').filter(Boolean);
	} catch {
		return [];
	}
}

/**
 * Notes every child a command starts (sox, and players for the greeting and
 * the beep), so that after it exits we can check that none outlived it.
 */
class ChildrenOf {
	readonly seen = new Map<number, string>();
	private readonly timer: NodeJS.Timeout;
	private polling = false;

	constructor(private readonly parent: number) {
		this.timer = setInterval(() => {
			void this.poll();
		}, 50);
	}

	async stop(): Promise<void> {
		clearInterval(this.timer);
		await waitFor('the last look for children to end', () => !this.polling, {intervalMs: 10});
	}

	named(name: string): number[] {
		return [...this.seen].filter(([, seenName]) => seenName === name).map(([pid]) => pid);
	}

	alive(): string[] {
		return [...this.seen].filter(([pid]) => processExists(pid)).map(([pid, name]) => `${name} (${pid})`);
	}

	private async poll(): Promise<void> {
		if (this.polling) {
			return;
		}

		this.polling = true;
		try {
			const {stdout} = await pexecFile('pgrep', ['-l', '-P', String(this.parent)]);
			for (const line of stdout.trim().split('\n')) {
				const [pid, name] = line.split(' ');
				if (pid && name) {
					this.seen.set(Number(pid), name);
				}
			}
		} catch {
			// No children right now.
		} finally {
			this.polling = false;
		}
	}
}

/**
 * What the sink played, as parec heard it, with each chunk's arrival time.
 * One capture runs for the whole file: the monitor takes about two seconds to
 * start, which each test would otherwise wait out again.
 */
class Capture {
	private readonly chunks: Array<{at: number; pcm: Buffer}> = [];
	private readonly parec: ChildProcess;
	private readonly closed: Promise<void>;

	constructor() {
		this.parec = listenToLine(soundEnv);
		this.parec.stdout!.on('data', (pcm: Buffer) => {
			this.chunks.push({at: performance.now(), pcm});
		});
		this.closed = new Promise(resolve => {
			this.parec.on('close', () => {
				resolve();
			});
		});
	}

	async started(): Promise<void> {
		await waitFor('parec to deliver data', () => (this.chunks.length > 0 ? true : undefined));
	}

	async stop(): Promise<void> {
		this.parec.kill('SIGTERM');
		await this.closed;
	}

	/** What arrived between two moments (performance.now() times). */
	between(from: number, to = Number.POSITIVE_INFINITY): Buffer {
		return Buffer.concat(this.chunks.filter(chunk => chunk.at > from && chunk.at <= to).map(chunk => chunk.pcm));
	}

	/** Arrival time of the first chunk louder than loudDb after `since`. */
	firstLoudAfter(since: number): number | undefined {
		return this.chunks.find(chunk => chunk.at > since && rmsDb(chunk.pcm) > loudDb)?.at;
	}

	lastLoud(): number | undefined {
		return this.chunks.findLast(chunk => rmsDb(chunk.pcm) > loudDb)?.at;
	}

	lastArrival(): number {
		return this.chunks.at(-1)?.at ?? 0;
	}
}

let work: string;
/** A caller's voice, about 4.5 s of espeak-ng speech. */
let caller: string;
let callerSeconds: number;
/** A shorter call, about 2.5 s, where the length matters less than the time. */
let shortCaller: string;
let shortSeconds: number;
let storeCount = 0;
let capture: Capture;
let server: PulseServer | undefined;
/** The environment every sound program here runs in: the private server's, when there is one. */
let soundEnv: NodeJS.ProcessEnv = process.env;

function newStore(): string {
	return path.join(work, `store-${++storeCount}`);
}

describeRealAudio('real audio end to end', () => {
	beforeAll(async () => {
		if (!existsSync(cli)) {
			throw new Error('dist/cli.js is missing: run npm run build first (npm test does)');
		}

		work = await mkdtemp(path.join(tmpdir(), 'answerphone-audio-'));
		caller = path.join(work, 'caller.wav');
		shortCaller = path.join(work, 'short-caller.wav');
		execFileSync('espeak-ng', ['-w', caller, 'Hi Sam, it is Jo. I will be home late tonight, save me some dinner.']);
		execFileSync('espeak-ng', ['-w', shortCaller, 'Hi Sam, it is Jo, call me back.']);
		callerSeconds = soundSeconds(caller);
		shortSeconds = soundSeconds(shortCaller);
		// Where PipeWire stands in for PulseAudio there is no daemon to start:
		// then the shared sandbox server is used, as the other files do.
		if (findProgram('pulseaudio')) {
			server = await startPrivatePulse(path.join(work, 'pulse'));
			soundEnv = server.env;
		}

		capture = new Capture();
		await capture.started();
		return async () => {
			await capture.stop();
			await server?.stop();
			await rm(work, {recursive: true, force: true});
		};
	});

	afterEach(() => {
		for (const {child, group} of started.splice(0)) {
			if (child.exitCode === null && child.signalCode === null) {
				if (group) {
					process.kill(-child.pid!, 'SIGKILL');
				} else {
					child.kill('SIGKILL');
				}
			}
		}
	});

	it('takes a caller\'s message after the greeting and stops on silence by itself', async () => {
		const store = newStore();
		expect((await start(['mailbox', 'add', 'sam', '--store', store]).exit).code).toBe(0);
		const answeredAt = performance.now();
		const recording = start(['record', '--store', store, '--from', 'jo', '--for', 'sam', '--silence', '3s']);
		const children = new ChildrenOf(recording.child.pid!);
		await waitUntilRecording(recording);
		const recordingAt = performance.now();
		await finished(speak(caller));
		const spokeUntil = performance.now();
		const result = await recording.exit;
		const afterSpeechMs = performance.now() - spokeUntil;
		await children.stop();

		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^\S+\n$/);
		const id = result.stdout.trim();
		expect(id).toMatch(idPattern);
		// The silence stop, not a timeout or the limit: it ends about 3 s after the voice.
		expect(afterSpeechMs).toBeGreaterThan(2000);
		expect(afterSpeechMs).toBeLessThan(6000);
		expect(children.named('sox')).toHaveLength(1);
		expect(children.alive()).toEqual([]);
		// The caller heard the greeting and the beep before the machine listened.
		expect(rmsDb(capture.between(answeredAt, recordingAt))).toBeGreaterThan(-45);

		const [message] = await listMessages(store);
		expect(message).toMatchObject({id, for: 'sam', from: 'jo', heard: false});
		const pcm = await readStoreWav(message!.file);
		const seconds = pcm.length / bytesPerSecond;
		expect(message!.durationMs).toBe(Math.floor(seconds * 1000));
		// The voice is in there at about its own length: neither the greeting
		// nor the beep before it, and at most the silence stop's silence after it.
		expect(rmsDb(pcm)).toBeGreaterThan(-35);
		expect(loudSpanSeconds(pcm)).toBeGreaterThan(callerSeconds - 1);
		expect(loudSpanSeconds(pcm)).toBeLessThan(callerSeconds + 0.5);
		expect(seconds).toBeGreaterThan(callerSeconds - 1);
		expect(seconds).toBeLessThan(callerSeconds + 4);
		expect(await readdir(path.join(store, 'tmp'))).toEqual([]);
	});

	it('saves what was said when the caller presses Ctrl-C', async () => {
		const store = newStore();
		// Detached, so that the signal goes to the whole process group as a
		// terminal's Ctrl-C does: sox and any player get it too.
		const recording = start(['record', '--store', store, '--quick', '--silence', '30s'], {detached: true});
		const children = new ChildrenOf(recording.child.pid!);
		await waitUntilRecording(recording);
		await finished(speak(shortCaller));
		await sleep(200);
		process.kill(-recording.child.pid!, 'SIGINT');
		const result = await recording.exit;
		await children.stop();

		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^\S+\n$/);
		expect(result.stdout.trim()).toMatch(idPattern);
		expect(children.named('sox')).toHaveLength(1);
		expect(children.alive()).toEqual([]);
		const [message] = await listMessages(store);
		expect(message?.id).toBe(result.stdout.trim());
		const pcm = await readStoreWav(message!.file);
		expect(rmsDb(pcm)).toBeGreaterThan(-35);
		expect(loudSpanSeconds(pcm)).toBeGreaterThan(shortSeconds - 1);
		// Ended by the signal, 0.2 s after the voice, long before any silence stop.
		expect(pcm.length / bytesPerSecond).toBeLessThan(shortSeconds + 2);
	});

	it('leaves no sox behind when a recording stops at the per-message limit', async () => {
		const store = newStore();
		expect((await run(['settings', '--store', store, '--max-message', '2s'])).code).toBe(0);
		// --silence 0 turns the silence stop off, so only the limit can end it.
		const recording = start(['record', '--store', store, '--quick', '--silence', '0']);
		const children = new ChildrenOf(recording.child.pid!);
		await waitUntilRecording(recording);
		const voice = speak(caller);
		const result = await recording.exit;
		voice.kill();
		await children.stop();

		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toContain('cut at the per-message limit');
		expect(children.named('sox')).toHaveLength(1);
		expect(children.alive()).toEqual([]);
		const [message] = await listMessages(store);
		expect(message!.durationMs).toBeGreaterThan(1000);
		expect(message!.durationMs).toBeLessThanOrEqual(2000);
	});

	it('plays a message into the speaker and marks it heard', async () => {
		const store = newStore();
		const imported = await run(['record', '--store', store, '--input', shortCaller]);
		expect(imported.code, imported.stderr).toBe(0);
		const id = imported.stdout.trim();

		// A moment of the idle sink, to show that the sound below came from the player.
		await sleep(300);
		const playStarted = performance.now();
		const result = await run(['play', id, '--store', store]);
		await sleep(300);

		expect(result.code, result.stderr).toBe(0);
		expect(processesMentioning(path.join(store, 'messages'))).toEqual([]);
		expect(rmsDb(capture.between(playStarted - 300, playStarted))).toBeLessThan(quietDb);
		const played = capture.between(playStarted);
		expect(rmsDb(played)).toBeGreaterThan(-35);
		// The message, and before it the spoken day-and-time stamp (when a
		// speech program is installed, as here): a few seconds more.
		expect(loudSpanSeconds(played)).toBeGreaterThan(shortSeconds - 1);
		expect(loudSpanSeconds(played)).toBeLessThan(shortSeconds + 6);
		expect(await listMessages(store)).toMatchObject([{id, heard: true}]);
	});

	it.each([
		['SIGINT', 'the message'],
		['SIGTERM', 'the day-and-time stamp'],
	] as const)('stops the player at once on %s during %s and leaves the message new', async (signal, during) => {
		const store = newStore();
		const tone = path.join(work, 'long.wav');
		if (!existsSync(tone)) {
			execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', tone, 'synth', '10', 'sine', '440', 'vol', '0.5']);
		}

		const imported = await run(['record', '--store', store, '--input', tone]);
		expect(imported.code, imported.stderr).toBe(0);
		const id = imported.stdout.trim();
		const [message] = await listMessages(store);
		expect(message!.durationMs).toBeGreaterThan(9000);
		const messagePlayer = () => processesMentioning(message!.file);

		const playStarted = performance.now();
		const playing = start(['play', id, '--store', store]);
		let soundAt: number;
		if (during === 'the message') {
			// The stamp comes first: wait for the message itself, then let it play a second.
			soundAt = await waitFor('the player of the message', () => (messagePlayer().length > 0 ? performance.now() : undefined));
			await waitFor('the message to be heard on the sink', () => capture.firstLoudAfter(soundAt));
			await sleep(1000);
			expect(messagePlayer()).not.toEqual([]);
		} else {
			soundAt = await waitFor('the stamp to be heard on the sink', () => capture.firstLoudAfter(playStarted));
			await sleep(500);
			expect(messagePlayer()).toEqual([]);
		}

		const killedAt = performance.now();
		playing.child.kill(signal);
		const result = await playing.exit;
		const exitedAfterMs = performance.now() - killedAt;
		await sleep(700);

		expect(result.code).not.toBe(0);
		expect(result.signal).toBeNull();
		expect(result.stderr).toMatch(/^answerphone: .*not marked heard.*\n$/);
		expect(exitedAfterMs).toBeLessThan(1000);
		// It was playing right up to the signal...
		expect(capture.lastLoud()! - soundAt).toBeGreaterThan(during === 'the message' ? 900 : 400);
		// ...and the sink fell silent promptly after it (the message never
		// started, if it had not yet), while parec was still listening.
		expect(capture.lastLoud()! - killedAt).toBeLessThan(300);
		expect(capture.lastArrival()).toBeGreaterThan(killedAt + 500);
		expect(messagePlayer()).toEqual([]);
		expect(await listMessages(store)).toMatchObject([{id, heard: false}]);
	});
});
