// The scripting surface of the built CLI, run as a user's shell would run it.
// No sound hardware is involved: sound files are made and imported with SoX
// (a CI dependency), and the tests about missing programs hide them from PATH.
import {execFileSync, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test as baseTest} from 'vitest';
import {cli, runCli, type Exit} from '../helpers/cli.js';
import {waitFor} from '../helpers/wait-for.js';

const idPattern = /^\d{8}-\d{6}-\d{3}-[a-z2-7]{6}$/;

let work: string;
/** Where a run that forgot --store would write, instead of a real store. */
let strayStore: string;
let sounds: Record<'tone' | 'stereo' | 'eightBit' | 'ulaw' | 'short' | 'long' | 'garbage', string>;

/**
 * The environment a run sees: no developer's config file, and a stray store
 * for any run that forgets --store.
 */
function isolated(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {...process.env, ANSWERPHONE_STORE: strayStore, ANSWERPHONE_CONFIG: path.join(work, 'no-config.json'), ...extra};
}

async function run(args: string[], options: {env?: NodeJS.ProcessEnv; input?: Buffer | string; node?: string} = {}): Promise<Exit> {
	return runCli(args, {...options, env: options.env ?? isolated()});
}

/** Runs a command that must succeed and returns its stdout. */
async function ok(args: string[], options?: Parameters<typeof run>[1]): Promise<string> {
	const result = await run(args, options);
	expect(result.code, result.stderr).toBe(0);
	return result.stdout;
}

/** Imports a sound file into the store and returns the new id. */
async function importSound(store: string, file: string, ...extra: string[]): Promise<string> {
	const stdout = await ok(['record', '--store', store, '--input', file, ...extra]);
	expect(stdout).toMatch(/^\S+\n$/);
	return stdout.trim();
}

type Listed = {id: string; for: string; from: string; createdAt: string; durationMs: number; heard: boolean; heardBy: string[]; keep: boolean; recovered: boolean; file: string};

async function list(dir: string, ...extra: string[]): Promise<Listed[]> {
	return JSON.parse(await ok(['list', '--store', dir, '--json', ...extra])) as Listed[];
}

/** A failed command: the exit code it gave and its single stderr line (asserted to be single). */
function expectOneLineFailure(result: Exit, code?: number): string {
	if (code === undefined) {
		expect(result.code).not.toBe(0);
	} else {
		expect(result.code).toBe(code);
	}

	expect(result.stderr).toMatch(/^answerphone: [^\n]+\n$/);
	// A crash would print a stack; a clear refusal never does.
	expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
	expect(result.stdout).toBe('');
	return result.stderr.trim();
}

/** Nothing placed and nothing left half-written. */
async function expectNothingStored(dir: string): Promise<void> {
	expect(await list(dir)).toEqual([]);
	expect(await readdir(path.join(dir, 'tmp')).catch(() => [])).toEqual([]);
	expect(await readdir(path.join(dir, 'messages')).catch(() => [])).toEqual([]);
}

type Wav = {format: number; channels: number; sampleRate: number; bitsPerSample: number; dataSize: number; pcm: Buffer; fileSize: number};

async function readStoreWav(file: string): Promise<Wav> {
	const bytes = await readFile(file);
	expect(bytes.toString('ascii', 0, 4) + bytes.toString('ascii', 8, 16) + bytes.toString('ascii', 36, 40)).toBe('RIFFWAVEfmt data');
	return {
		format: bytes.readUInt16LE(20),
		channels: bytes.readUInt16LE(22),
		sampleRate: bytes.readUInt32LE(24),
		bitsPerSample: bytes.readUInt16LE(34),
		dataSize: bytes.readUInt32LE(40),
		pcm: bytes.subarray(44),
		fileSize: bytes.length,
	};
}

function rmsDb(pcm: Buffer): number {
	let sum = 0;
	const samples = Math.floor(pcm.length / 2);
	for (let index = 0; index < samples; index++) {
		sum += pcm.readInt16LE(index * 2) ** 2;
	}

	const rms = samples === 0 ? 0 : Math.sqrt(sum / samples) / 32_768;
	return rms > 0 ? 20 * Math.log10(rms) : -120;
}

function sox(...args: string[]): void {
	execFileSync('sox', args, {stdio: 'ignore'});
}

/** The pids the draft of an import in progress names as its helpers (the SoX writing it), once it names them. */
async function importHelpers(store: string): Promise<number[]> {
	const tmp = path.join(store, 'tmp');
	const helpers = await waitFor('the import to name the SoX writing its draft', async () => {
		const noteName = (await readdir(tmp).catch(() => [] as string[])).find(name => name.endsWith('.json'));

		const note = noteName ? JSON.parse(await readFile(path.join(tmp, noteName), 'utf8').catch(() => '{}')) as {helpers?: number[]} : undefined;
		return note?.helpers;
	}, {timeoutMs: 5000});
	expect(helpers).toHaveLength(1);
	return helpers;
}

let storeCount = 0;

/** Each test gets a store of its own, so that the tests can run side by side. */
const test = baseTest.extend<{store: string}>({
	// eslint-disable-next-line no-empty-pattern
	async store({}, use) {
		await use(path.join(work, `store-${++storeCount}`));
	},
});

beforeAll(async () => {
	if (!existsSync(cli)) {
		throw new Error('dist/cli.js is missing: run npm run build first (npm test does)');
	}

	work = await mkdtemp(path.join(tmpdir(), 'answerphone-cli-'));
	strayStore = path.join(work, 'stray-store');
	const file = (name: string) => path.join(work, name);
	sounds = {
		tone: file('tone.wav'),
		stereo: file('stereo.wav'),
		eightBit: file('eight-bit.wav'),
		ulaw: file('ulaw.wav'),
		short: file('short.wav'),
		long: file('long.wav'),
		garbage: file('garbage.wav'),
	};
	// Sines at -6 dBFS peak: loud enough that a botched conversion (noise,
	// silence, the wrong sample size) shows in the level as well as the header.
	sox('-n', '-r', '16000', '-c', '1', '-b', '16', sounds.tone, 'synth', '2', 'sine', '440', 'vol', '0.5');
	sox('-n', '-r', '44100', '-c', '2', '-b', '16', sounds.stereo, 'synth', '2', 'sine', '440', 'sine', '660', 'vol', '0.5');
	sox('-n', '-r', '8000', '-c', '1', '-b', '8', '-e', 'unsigned-integer', sounds.eightBit, 'synth', '2', 'sine', '440', 'vol', '0.5');
	sox('-n', '-r', '8000', '-c', '1', '-e', 'u-law', sounds.ulaw, 'synth', '2', 'sine', '440', 'vol', '0.5');
	sox('-n', '-r', '16000', '-c', '1', '-b', '16', sounds.short, 'synth', '0.3', 'sine', '440', 'vol', '0.5');
	sox('-n', '-r', '16000', '-c', '1', '-b', '16', sounds.long, 'synth', '90', 'sine', '440', 'vol', '0.5');
	// Bytes that are no sound file at all, under a name that says they are.
	await writeFile(sounds.garbage, Buffer.from(Array.from({length: 4096}, (_, index) => (index * 7919) % 251)));
});

afterAll(async () => {
	// A test that forgot --store would have written here.
	expect(await readdir(path.join(strayStore, 'messages')).catch(() => [])).toEqual([]);
	await rm(work, {recursive: true, force: true});
});

describe.concurrent('record --input', () => {
	test.for([
		['a 16 kHz mono WAV', 'tone'],
		['a stereo 44.1 kHz WAV', 'stereo'],
		['an 8-bit WAV', 'eightBit'],
		['a u-law WAV', 'ulaw'],
	] as const)('imports %s as 16 kHz mono 16-bit', async ([, sound], {store}) => {
		await ok(['mailbox', 'add', 'sam', '--store', store]);
		const id = await importSound(store, sounds[sound], '--for', 'sam', '--from', 'jo');
		expect(id).toMatch(idPattern);
		const [message] = await list(store);
		expect(message).toMatchObject({id, for: 'sam', from: 'jo', heard: false, keep: false, recovered: false});
		const wav = await readStoreWav(message!.file);
		expect({format: wav.format, channels: wav.channels, sampleRate: wav.sampleRate, bitsPerSample: wav.bitsPerSample})
			.toEqual({format: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16});
		expect(wav.dataSize).toBe(wav.fileSize - 44);
		// Resampling may add or drop a few samples, never a noticeable amount.
		expect(Math.abs(message!.durationMs - 2000)).toBeLessThan(20);
		expect(message!.durationMs).toBe(Math.floor(wav.dataSize / 32));
		expect(rmsDb(wav.pcm)).toBeGreaterThan(-16);
		expect(rmsDb(wav.pcm)).toBeLessThan(-6);
	});

	test('imports a WAV from stdin with --input -', async ({store}) => {
		const stdout = await ok(['record', '--store', store, '--input', '-'], {input: await readFile(sounds.stereo)});
		const [message] = await list(store);
		expect(message!.id).toBe(stdout.trim());
		expect(Math.abs(message!.durationMs - 2000)).toBeLessThan(20);
		expect((await readStoreWav(message!.file)).sampleRate).toBe(16_000);
	});

	test.for([
		['a file that is not sound', () => ['--input', sounds.garbage], undefined],
		['a file that does not exist', () => ['--input', path.join(work, 'nowhere.wav')], undefined],
		['garbage on stdin', () => ['--input', '-'], Buffer.from('this is not a WAV file\n'.repeat(200))],
		['nothing on stdin', () => ['--input', '-'], Buffer.alloc(0)],
	] as const)('refuses %s: non-zero, one line, nothing added', async ([, args, input], {store}) => {
		const result = await run(['record', '--store', store, ...args()], {input});
		expect(expectOneLineFailure(result)).toMatch(/cannot import/);
		await expectNothingStored(store);
	});

	test.for([
		['44.1 kHz stereo', ['-r', '44100', '-c', '2'], ['sine', '300:3000', 'sine', '500']],
		['48 kHz mono', ['-r', '48000', '-c', '1'], ['sine', '200:5000']],
		['22.05 kHz 24-bit', ['-r', '22050', '-c', '1', '-b', '24'], ['pinknoise']],
	] as const)('imports a long WAV at %s exactly as one SoX converts it, though split across the cores', async ([, format, synth], {store}) => {
		// Over a minute, so that the import is cut into parts; sweeps and noise,
		// so that a part joined a sample early or late shows in the bytes.
		const input = path.join(`${store}-input.wav`);
		sox('-n', ...format, input, 'synth', '75.3', ...synth, 'vol', '0.5');
		const reference = `${store}-reference.raw`;
		sox('--no-dither', input, '-t', 'raw', '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', reference);
		await ok(['settings', '--store', store, '--max-message', '2m']);
		await importSound(store, input);
		const [message] = await list(store);
		const wav = await readStoreWav(message!.file);
		const expected = await readFile(reference);
		expect(wav.pcm.length).toBe(expected.length);
		expect(wav.pcm.equals(expected)).toBe(true);
		expect(message!.durationMs).toBe(Math.floor(expected.length / 32));
	});

	test('after a kill -9 mid-import, the message is recovered once SoX has read it all, not placed while it grows', async ({store}) => {
		const input = await readFile(sounds.long);
		// `producer | answerphone record --input -`: the producer's pipe outlives the recorder.
		const producer = spawn('cat', [], {stdio: ['pipe', 'pipe', 'ignore']});
		const recorder = spawn(process.execPath, [cli, 'record', '--store', store, '--input', '-'], {stdio: [producer.stdout, 'ignore', 'ignore'], env: isolated()});
		producer.stdin.write(input.subarray(0, 44 + (10 * 32_000)));
		// Wait until SoX is writing the draft, then kill the recorder outright.
		const tmp = path.join(store, 'tmp');
		const [soxPid] = await importHelpers(store);
		const closed = new Promise(resolve => {
			recorder.on('close', resolve);
		});
		recorder.kill('SIGKILL');
		await closed;
		// SoX still reads the stream: the next command must leave its draft be.
		expect(await list(store)).toEqual([]);
		expect((await readdir(tmp)).filter(name => name.endsWith('.wav'))).toHaveLength(1);
		// The rest of the stream arrives and ends; SoX finishes and exits.
		producer.stdin.end(input.subarray(44 + (10 * 32_000)));
		await waitFor('the SoX of the import to exit', () => {
			try {
				process.kill(soxPid!, 0);
				return false;
			} catch {
				return true;
			}
		}, {timeoutMs: 10_000});

		const [message] = await list(store);
		expect(message).toMatchObject({recovered: true, durationMs: 60_000});
		expect((await readStoreWav(message!.file)).dataSize).toBe(60 * 32_000);
		expect(await readdir(tmp)).toEqual([]);
	});

	test('cancels an import on SIGINT: nothing saved, no SoX left behind', async ({store}) => {
		const producer = spawn('cat', [], {stdio: ['pipe', 'pipe', 'ignore']});
		const recorder = spawn(process.execPath, [cli, 'record', '--store', store, '--input', '-'], {stdio: [producer.stdout, 'pipe', 'pipe'], env: isolated()});
		let stderr = '';
		recorder.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		producer.stdin.write((await readFile(sounds.long)).subarray(0, 44 + (5 * 32_000)));
		const helpers = await importHelpers(store);
		const code = new Promise(resolve => {
			recorder.on('close', resolve);
		});
		recorder.kill('SIGINT');
		expect(await code).not.toBe(0);
		producer.stdin.end();
		expect(stderr).toMatch(/^answerphone: cancelled: nothing saved\n$/);
		expect(() => process.kill(helpers[0]!, 0)).toThrow();
		await expectNothingStored(store);
	});

	test('drops a 0.3 s import as a hang-up', async ({store}) => {
		const result = await run(['record', '--store', store, '--input', sounds.short]);
		expect(expectOneLineFailure(result)).toMatch(/Hang-up: 0\.3s .*nothing saved/);
		await expectNothingStored(store);
	});

	test('cuts a 90 s import at the default 60 s limit, saves it and says so', async ({store}) => {
		const result = await run(['record', '--store', store, '--input', sounds.long]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout.trim()).toMatch(idPattern);
		expect(result.stderr).toMatch(/^answerphone: Saved message 1:00, cut at the per-message limit\.\n$/);
		const [message] = await list(store);
		expect(message!.durationMs).toBe(60_000);
		expect((await readStoreWav(message!.file)).dataSize).toBe(60 * 32_000);
	});

	test('stops reading an endless stdin at the limit', async ({store}) => {
		await ok(['settings', '--store', store, '--max-message', '5s']);
		// Like `arecord | answerphone record --input -`: the source never ends by itself.
		const endless = spawn('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'synth', '1:00:00', 'sine', '440'], {stdio: ['ignore', 'pipe', 'ignore']});
		const recorder = spawn(process.execPath, [cli, 'record', '--store', store, '--input', '-'], {stdio: ['pipe', 'ignore', 'ignore'], env: isolated()});
		endless.stdout.pipe(recorder.stdin);
		recorder.stdin.on('error', () => undefined);
		const code = await new Promise(resolve => {
			recorder.on('close', resolve);
		});
		endless.kill();
		expect(code).toBe(0);
		expect(await list(store)).toMatchObject([{durationMs: 5000}]);
	});

	test('says TAPE FULL when every message on a full tape is kept, and adds nothing', async ({store}) => {
		await ok(['settings', '--store', store, '--tape', '4s', '--max-message', '2s']);
		const first = await importSound(store, sounds.tone);
		const second = await importSound(store, sounds.tone);
		await ok(['keep', first, second, '--store', store]);
		const before = await list(store);

		const result = await run(['record', '--store', store, '--input', sounds.tone]);
		expect(expectOneLineFailure(result)).toMatch(/TAPE FULL/);
		expect(await list(store)).toEqual(before);
		expect(await readdir(path.join(store, 'tmp'))).toEqual([]);
	});

	test('refuses a bad --silence as a usage error', async ({store}) => {
		const result = await run(['record', '--store', store, '--input', sounds.tone, '--silence', 'soon']);
		expect(expectOneLineFailure(result, 2)).toMatch(/--silence/);
		await expectNothingStored(store);
	});
});

describe.concurrent('list and status', () => {
	test('lists messages as JSON with the promised fields', async ({store}) => {
		await ok(['mailbox', 'add', 'sam', '--store', store]);
		const first = await importSound(store, sounds.tone, '--for', 'sam', '--from', 'jo');
		const second = await importSound(store, sounds.stereo, '--from', 'alex');
		const messages = await list(store);
		expect(messages.map(message => message.id)).toEqual([first, second]);
		for (const message of messages) {
			expect(Object.keys(message).sort()).toEqual(['createdAt', 'durationMs', 'file', 'for', 'from', 'heard', 'heardBy', 'id', 'keep', 'recovered'].sort());
			expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);
			expect(Math.abs(Date.now() - Date.parse(message.createdAt))).toBeLessThan(60_000);
			expect(path.isAbsolute(message.file)).toBe(true);
			expect(message.file).toBe(path.join(store, 'messages', `${message.id}.wav`));
			expect(existsSync(message.file)).toBe(true);
			expect(typeof message.durationMs).toBe('number');
		}

		expect(messages[1]).toMatchObject({for: 'everyone', from: 'alex', heard: false, keep: false, recovered: false});
		expect((await list(store, '--for', 'sam')).map(message => message.id)).toEqual([first]);
		await ok(['mark', first, '--heard', '--store', store]);
		expect((await list(store, '--new')).map(message => message.id)).toEqual([second]);
	});

	test('lists a big store whole, from its files and from its index, and stops quietly when the reader does', async ({store}) => {
		// Written straight into the layout: more messages than the list prints
		// in one piece, with names JSON must escape.
		const messagesDir = path.join(store, 'messages');
		await mkdir(messagesDir, {recursive: true});
		const audio = Buffer.alloc(44 + 3200);
		audio.write('RIFF', 0, 'ascii');
		audio.writeUInt32LE(36 + 3200, 4);
		audio.write('WAVEfmt ', 8, 'ascii');
		audio.writeUInt32LE(16, 16);
		audio.writeUInt16LE(1, 20);
		audio.writeUInt16LE(1, 22);
		audio.writeUInt32LE(16_000, 24);
		audio.writeUInt32LE(32_000, 28);
		audio.writeUInt16LE(2, 32);
		audio.writeUInt16LE(16, 34);
		audio.write('data', 36, 'ascii');
		audio.writeUInt32LE(3200, 40);
		const senders = ['jo', 'Zoë "the voice"', 'al\\ex'];
		const expected: Listed[] = [];
		for (let index = 0; index < 2345; index++) {
			const clock = [Math.floor(index / 3600), Math.floor(index / 60) % 60, index % 60].map(part => String(part).padStart(2, '0')).join('');
			const id = `20260101-${clock}-000-abcdef`;
			const meta = {id, for: index % 3 === 0 ? 'sam' : 'everyone', from: senders[index % 3]!, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(), durationMs: 100, heard: index % 2 === 0, keep: index % 5 === 0, recovered: index % 7 === 0, erasedAt: null, waveform: [1, 2]};
			expected.push({id, for: meta.for, from: meta.from, createdAt: meta.createdAt, durationMs: 100, heard: meta.heard, heardBy: meta.heard ? ['everyone'] : [], keep: meta.keep, recovered: meta.recovered, file: path.join(messagesDir, `${id}.wav`)});

			await Promise.all([writeFile(path.join(messagesDir, `${id}.wav`), audio), writeFile(path.join(messagesDir, `${id}.json`), JSON.stringify(meta))]);
		}

		const env = isolated({ANSWERPHONE_CACHE: `${store}-cache`});
		const fromFiles = await ok(['list', '--store', store, '--json'], {env});
		expect(fromFiles).toBe(JSON.stringify(expected) + '\n');
		// The folder has been still long enough now (its time set back) for the
		// index to be written, and the next list reads that instead.
		const past = new Date(Date.now() - 60_000);
		await utimes(messagesDir, past, past);
		await ok(['list', '--store', store, '--json'], {env});
		expect(await readdir(`${store}-cache`)).toHaveLength(1);
		expect(await ok(['list', '--store', store, '--json'], {env})).toBe(fromFiles);

		// `answerphone list | head`: the reader leaves after its first bytes.
		const child = spawn(process.execPath, [cli, 'list', '--store', store, '--json'], {env, stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child.stdout.once('data', () => {
			child.stdout.destroy();
		});
		const code = await new Promise(resolve => {
			child.on('close', resolve);
		});
		expect(stderr).toBe('');
		expect(code).toBe(0);
	});

	test('prints a one-line status and its JSON form', async ({store}) => {
		expect(await ok(['status', '--store', store])).toBe('0 new · 0 messages · 20:00 free of 20:00\n');
		const first = await importSound(store, sounds.tone);
		await importSound(store, sounds.tone);
		await ok(['mark', first, '--heard', '--store', store]);
		const usedMs = (await list(store)).reduce((sum, message) => sum + message.durationMs, 0);

		expect(await ok(['status', '--store', store])).toBe('1 new · 2 messages · 19:56 free of 20:00\n');
		expect(JSON.parse(await ok(['status', '--store', store, '--json']))).toEqual({messages: 2, new: 1, usedMs, capacityMs: 1_200_000, for: 'household'});
	});
});

describe.concurrent('settings', () => {
	test('round-trips --tape and --max-message', async ({store}) => {
		expect(await ok(['settings', '--store', store, '--tape', '20m', '--max-message', '90s']))
			.toBe('tape         20m\nmax-message  1m30s\nmin-message  1s\n');
		// A fresh process reads back what the last one wrote.
		expect(JSON.parse(await ok(['settings', '--store', store, '--json']))).toEqual({tapeMs: 1_200_000, maxMessageMs: 90_000, minMessageMs: 1000});
		await ok(['settings', '--store', store, '--tape', '1m30s', '--min-message', '2s']);
		expect(await ok(['settings', '--store', store])).toBe('tape         1m30s\nmax-message  1m30s\nmin-message  2s\n');
	});

	test('refuses bad durations with exit 2 and changes nothing', async ({store}) => {
		await ok(['settings', '--store', store, '--max-message', '45s']);
		const before = await ok(['settings', '--store', store, '--json']);
		const refusals = [
			['--tape=twenty', /"twenty" is not a duration/],
			['--max-message=90x', /"90x" is not a duration/],
			['--min-message=-1s', /"-1s" is not a duration/],
			['--max-message=0s', /at least 1s/],
			['--tape=30s', /at least as long as the per-message limit/],
		] as const;
		for (const [flag, reason] of refusals) {
			expect(expectOneLineFailure(await run(['settings', '--store', store, flag]), 2), flag).toMatch(reason);
		}

		expect(await ok(['settings', '--store', store, '--json'])).toBe(before);
	});
});

describe.concurrent('changing messages', () => {
	test('marks heard and new', async ({store}) => {
		const id = await importSound(store, sounds.tone);
		await ok(['mark', id, '--heard', '--store', store]);
		expect(await list(store)).toMatchObject([{id, heard: true}]);
		// Ids may be shortened to a unique prefix.
		await ok(['mark', id.slice(0, 20), '--new', '--store', store]);
		expect(await list(store)).toMatchObject([{id, heard: false}]);
		expectOneLineFailure(await run(['mark', id, '--store', store]), 2);
		expectOneLineFailure(await run(['mark', '--heard', '--store', store]), 2);
		expectOneLineFailure(await run(['mark', 'nosuchid', '--heard', '--store', store]), 1);
	});

	test('erases into the undo bin and restores', async ({store}) => {
		const id = await importSound(store, sounds.tone);
		const other = await importSound(store, sounds.tone);
		const erased = await run(['erase', id, '--store', store]);
		expect(erased.code).toBe(0);
		expect(erased.stderr).toBe(`answerphone: erased 1 (answerphone restore ${id} brings it back)\n`);
		expect((await list(store)).map(message => message.id)).toEqual([other]);
		expect(JSON.parse(await ok(['status', '--store', store, '--json']))).toMatchObject({messages: 1});
		expect(expectOneLineFailure(await run(['mark', id, '--heard', '--store', store]), 1)).toMatch(/restore/);

		await ok(['restore', id, '--store', store]);
		expect((await list(store)).map(message => message.id)).toEqual([id, other]);
		expectOneLineFailure(await run(['restore', 'nosuchid', '--store', store]), 1);
	});

	test('keeps and unkeeps', async ({store}) => {
		const id = await importSound(store, sounds.tone);
		await ok(['keep', id, '--store', store]);
		expect(await list(store)).toMatchObject([{id, keep: true}]);
		await ok(['keep', id, '--off', '--store', store]);
		expect(await list(store)).toMatchObject([{id, keep: false}]);
	});

	test('exports a copy and never overwrites', async ({store}) => {
		const id = await importSound(store, sounds.tone);
		const [message] = await list(store);
		const target = `${store}-export.wav`;
		expect(await ok(['export', id, target, '--store', store])).toBe('');
		expect(await readFile(target)).toEqual(await readFile(message!.file));

		await writeFile(target, 'precious');
		expect(expectOneLineFailure(await run(['export', id, target, '--store', store]), 1)).toMatch(/already exists; not overwritten/);
		expect(await readFile(target, 'utf8')).toBe('precious');
		expectOneLineFailure(await run(['export', id, '--store', store]), 2);
	});
});

describe.concurrent('command line', () => {
	test.for([
		['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
		['an unknown flag', ['list', '--jsn'], /Unknown option '--jsn' \(answerphone --help\)$/],
		['a flag without its value', ['settings', '--tape'], /--tape/],
		['a stray argument', ['status', 'now'], /status takes no arguments/],
	] as const)('refuses %s with exit 2 and one line', async ([, args, reason], {store}) => {
		expect(expectOneLineFailure(await run([...args, '--store', store]), 2)).toMatch(reason);
	});

	test('refuses a bad recorder with exit 2 and one line, from a flag on any command or from the config file', async ({store}) => {
		const flagged = expectOneLineFailure(await run(['record', '--store', store, '--input', sounds.tone, '--recorder', 'gramophone']), 2);
		expect(flagged).toBe('answerphone: --recorder must be sox, rec or arecord, not "gramophone"');
		expect(expectOneLineFailure(await run(['greeting', 'record', '--store', store, '--recorder', 'gramophone']), 2)).toBe(flagged);
		await expectNothingStored(store);

		const config = `${store}-config.json`;
		await writeFile(config, JSON.stringify({recorder: 'gramophone'}));
		const configured = expectOneLineFailure(await run(['list', '--store', store], {env: isolated({ANSWERPHONE_CONFIG: config})}), 2);
		expect(configured).toBe(`answerphone: ${config}: "recorder" must be sox, rec or arecord, not "gramophone"`);
	});

	test('uses ANSWERPHONE_STORE, then the data directory, and --store over both', async ({store}) => {
		const fromEnv = `${store}-from-env`;
		const dataHome = `${store}-data-home`;
		const env = isolated({ANSWERPHONE_STORE: fromEnv, XDG_DATA_HOME: dataHome});
		const id = (await ok(['record', '--input', sounds.tone], {env})).trim();
		expect((await list(fromEnv)).map(message => message.id)).toEqual([id]);
		expect(JSON.parse(await ok(['list', '--json'], {env}))).toMatchObject([{id}]);

		// --store wins over the environment.
		expect(JSON.parse(await ok(['list', '--json', '--store', store], {env}))).toEqual([]);

		const {ANSWERPHONE_STORE: _, ...withoutStore} = env;
		const other = (await ok(['record', '--input', sounds.tone], {env: withoutStore})).trim();
		expect((await list(path.join(dataHome, 'answerphone'))).map(message => message.id)).toEqual([other]);
	});

	test('explains in one line that the machine needs a terminal', async ({store}) => {
		// stdin and stdout here are pipes, as in a script or a cron job.
		expect(expectOneLineFailure(await run(['--store', store]), 1)).toMatch(/needs a terminal/);
	});
});

describe.concurrent('missing sound programs', () => {
	/** A PATH with node on it and nothing else: no sox, no player. */
	let bareEnv: NodeJS.ProcessEnv;
	let bareNode: string;

	beforeAll(async () => {
		const bin = path.join(work, 'bare-bin');
		await mkdir(bin, {recursive: true});
		bareNode = path.join(bin, 'node');
		if (!existsSync(bareNode)) {
			await symlink(process.execPath, bareNode);
		}

		bareEnv = isolated({PATH: bin});
	});

	test('record from the microphone says how to install sox', async ({store}) => {
		const result = await run(['record', '--store', store], {env: bareEnv, node: bareNode});
		expect(expectOneLineFailure(result, 1)).toMatch(/sox is not installed \(.*install.*sox.*\)/);
		await expectNothingStored(store);
	});

	test('record --input says how to install sox', async ({store}) => {
		const result = await run(['record', '--store', store, '--input', sounds.tone], {env: bareEnv, node: bareNode});
		expect(expectOneLineFailure(result, 1)).toMatch(/sox is not installed \(.*install.*sox.*\)/);
		await expectNothingStored(store);
	});

	test('play says how to install a player and leaves the message new', async ({store}) => {
		const id = await importSound(store, sounds.tone);
		const result = await run(['play', id, '--store', store], {env: bareEnv, node: bareNode});
		expect(expectOneLineFailure(result, 1)).toMatch(/no audio player found \(.*install.*\)/);
		const named = await run(['play', id, '--store', store, '--player', 'paplay'], {env: bareEnv, node: bareNode});
		expect(expectOneLineFailure(named, 1)).toMatch(/paplay is not installed \(.*install.*\)/);
		expect(await list(store)).toMatchObject([{id, heard: false}]);
	});
});
