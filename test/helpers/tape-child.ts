// A process that uses a store the way the real commands do, for tests that
// kill it at a random moment or run several at once. It reports each step on
// stdout as one JSON line *before* taking the step where that matters (a pipe
// write is synchronous on Linux), so that after a SIGKILL the parent knows
// every step that might have begun.
//
// Run: node tape-child.mjs '<json config>' (tape-children.ts bundles this file first).
import {existsSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {Tape, TapeFullError} from '../../src/tape/store.js';
import {msToPcmBytes} from '../../src/pcm/wav.js';
import {pcm} from './pcm.js';
import {waitFor} from './wait-for.js';

export type ChildConfig =
	| {
		mode: 'record';
		store: string;
		from: string;
		/** Message lengths to record one after the other, cycled when loop is set. */
		lengthsMs: number[];
		loop?: boolean;
		chunkMs: number;
		/** Pause after each chunk; 0 writes as fast as the disk takes it. */
		paceMs: number;
		/** Mark each saved message heard, so that the ring has heard ones to take. */
		markHeard?: boolean;
		/** Say 'ready', then wait for this file to appear: a starting gun for several children. */
		startFile?: string;
		/** Name these processes as the draft's helpers (see Draft.helpedBy), as an import names its SoX. */
		helpers?: number[];
	}
	| {mode: 'change'; store: string; ids: string[]}
	| {
		/**
		 * A given list of store operations, one after the other, as a
		 * household's commands would take them: for the fault-injection and
		 * property tests, which generate the list from a seed.
		 */
		mode: 'ops';
		store: string;
		from: string;
		ops: StoreOp[];
		chunkMs: number;
		/** Pause after each chunk of a recording; none unless given. */
		paceMs?: number;
		startFile?: string;
	}
	| {mode: 'hold-lock'; store: string}
	/**
	 * Takes one 'ops' config per line on stdin and runs each to its end, saying
	 * done after each: for tests that run many short rounds, where starting a
	 * process for each would cost more than the round.
	 */
	| {mode: 'serve'};

/**
 * One operation of an 'ops' child. A flag change acts on the message at
 * index pick (modulo their number) of every message on the tape, live or in
 * the bin, sorted by id, as the child finds them when it gets there.
 */
export type StoreOp =
	| {op: 'record'; ms: number}
	| {op: 'erase' | 'restore' | 'keep' | 'unkeep' | 'heard' | 'new'; pick: number};

/** A message's flags as read back by a child, or gone when it could not be found. */
export type ReadState = {live: boolean; keep: boolean; heard: boolean} | 'gone';

/** What a child says, each with the moment it said it (at, from now() below). */
export type ChildEvent = (
	| {event: 'begin'; id: string; limitMs: number}
	| {event: 'wrote'; id: string; ms: number}
	| {event: 'commit'; id: string; ms: number}
	| {event: 'saved'; id: string; durationMs: number; createdAt: string; from: string; evicted: string[]}
	| {event: 'too-short' | 'tape-full'; id: string}
	| {event: 'full-at-begin'}
	| {event: 'heard'; id: string}
	| {event: 'op'; op: string; id: string}
	| {event: 'op-done'; op: string; id: string; ok: boolean; state: ReadState; readFrom: number}
	| {event: 'locked'}
	| {event: 'ready'}
	| {event: 'done'}
	| {event: 'error'; message: string}
) & {at?: number};

/** Wall-clock time in ms, comparable between processes on one computer. */
const now = () => performance.timeOrigin + performance.now();

/** Every event carries the moment it was said (at), to order the steps of several children. */
function say(event: ChildEvent): void {
	process.stdout.write(JSON.stringify({...event, at: now()}) + '\n');
}

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

async function recordAll(config: Extract<ChildConfig, {mode: 'record'}>): Promise<void> {
	const tape = await Tape.open(config.store);
	if (config.startFile !== undefined) {
		say({event: 'ready'});
		const startFile = config.startFile;
		// The parent writes it once every child is ready; a child it forgot ends by itself.
		await waitFor('the start file', () => existsSync(startFile), {intervalMs: 2, timeoutMs: 60_000});
	}

	let index = 0;
	while (config.loop === true || index < config.lengthsMs.length) {
		const ms = config.lengthsMs[index % config.lengthsMs.length]!;
		index++;
		await recordOne(tape, config, ms);
	}
}

/** One message of ms milliseconds of pcm(ms, id), reported step by step. */
async function recordOne(tape: Tape, config: {from: string; chunkMs: number; paceMs?: number; markHeard?: boolean; helpers?: number[]}, ms: number): Promise<void> {
	let draft;
	try {
		draft = await tape.beginDraft({from: config.from});
	} catch (error) {
		if (error instanceof TapeFullError) {
			say({event: 'full-at-begin'});

			await sleep(10);
			return;
		}

		throw error;
	}

	if (config.helpers !== undefined) {
		draft.helpedBy(config.helpers);
	}

	say({event: 'begin', id: draft.id, limitMs: draft.limitMs});
	const sound = pcm(ms, draft.id);
	const chunk = msToPcmBytes(config.chunkMs);
	for (let offset = 0; offset < sound.length; offset += chunk) {
		if (!draft.write(sound.subarray(offset, offset + chunk))) {
			await draft.waitForDrain();
		}

		say({event: 'wrote', id: draft.id, ms: draft.durationMs});
		if ((config.paceMs ?? 0) > 0) {
			await sleep(config.paceMs!);
		}
	}

	say({event: 'commit', id: draft.id, ms: draft.durationMs});

	const result = await draft.commit();
	if (result.status === 'saved') {
		const {message} = result;
		say({event: 'saved', id: message.id, durationMs: message.durationMs, createdAt: message.createdAt, from: message.from, evicted: result.evicted});
		if (config.markHeard === true) {
			say({event: 'heard', id: message.id});
			// Another process may already have overwritten it: that is fine here.

			await tape.mark([message.id], true).catch(() => undefined);
		}
	} else {
		say({event: result.status, id: draft.id});
	}
}

async function runOps(config: Extract<ChildConfig, {mode: 'ops'}>): Promise<void> {
	const tape = await Tape.open(config.store);
	if (config.startFile !== undefined) {
		say({event: 'ready'});
		const startFile = config.startFile;
		await waitFor('the start file', () => existsSync(startFile), {intervalMs: 2, timeoutMs: 60_000});
	}

	for (const step of config.ops) {
		if (step.op === 'record') {
			await recordOne(tape, config, step.ms);
			continue;
		}

		const snapshot = await tape.snapshot({waveforms: false});
		const ids = [...snapshot.messages, ...snapshot.bin].map(message => message.id).sort();
		if (ids.length === 0) {
			continue;
		}

		const id = ids[step.pick % ids.length]!;
		say({event: 'op', op: step.op, id});
		// Refusals (a restore of a live message, a message another process
		// overwrote meanwhile) are answers, not failures: the op reports ok false.
		const ok = await changeOne(tape, step.op, id).then(() => true, () => false);
		const readFrom = now();
		const state = await tape.resolveIds([id], {inBin: true}).then(
			([message]): ReadState => ({live: message!.erasedAt === null, keep: message!.keep, heard: message!.heard}),
			(): ReadState => 'gone',
		);
		say({event: 'op-done', op: step.op, id, ok, state, readFrom});
	}
}

async function changeOne(tape: Tape, op: Exclude<StoreOp['op'], 'record'>, id: string): Promise<void> {
	switch (op) {
		case 'erase': {
			return tape.erase([id]);
		}

		case 'restore': {
			return tape.restore([id]);
		}

		case 'keep':
		case 'unkeep': {
			return tape.keep([id], op === 'keep');
		}

		case 'heard':
		case 'new': {
			return tape.mark([id], op === 'heard');
		}
	}
}

async function changeForever(config: Extract<ChildConfig, {mode: 'change'}>): Promise<void> {
	const tape = await Tape.open(config.store);
	const ops = ['erase', 'restore', 'keep', 'unkeep', 'heard', 'new'] as const;
	for (;;) {
		const id = config.ids[Math.floor(Math.random() * config.ids.length)]!;
		const op = ops[Math.floor(Math.random() * ops.length)]!;
		say({event: 'op', op, id});
		// A restore of a live message or a keep of an erased one is refused: fine.

		await changeOne(tape, op, id).catch(() => undefined);
	}
}

async function holdLock(config: Extract<ChildConfig, {mode: 'hold-lock'}>): Promise<void> {
	const tape = await Tape.open(config.store);
	await tape.withLock(async () => {
		say({event: 'locked'});
		await new Promise(() => {
			setInterval(() => undefined, 60_000);
		});
	});
}

async function main(): Promise<void> {
	const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
	switch (config.mode) {
		case 'record': {
			await recordAll(config);
			break;
		}

		case 'change': {
			await changeForever(config);
			break;
		}

		case 'ops': {
			await runOps(config);
			break;
		}

		case 'hold-lock': {
			await holdLock(config);
			break;
		}

		case 'serve': {
			for await (const line of createInterface({input: process.stdin})) {
				await runOps(JSON.parse(line) as Extract<ChildConfig, {mode: 'ops'}>);
				say({event: 'done'});
			}

			break;
		}
	}

	say({event: 'done'});
}

main().catch((error: unknown) => {
	say({event: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error)});
	process.exitCode = 1;
});
