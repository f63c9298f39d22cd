// A process that uses a store the way the real commands do, for tests that
// kill it at a random moment or run several at once. It reports each step on
// stdout as one JSON line *before* taking the step where that matters (a pipe
// write is synchronous on Linux), so that after a SIGKILL the parent knows
// every step that might have begun.
//
// Run: node tape-child.mjs '<json config>' (tape-children.ts bundles this file first).
import {existsSync} from 'node:fs';
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
	}
	| {mode: 'change'; store: string; ids: string[]}
	| {mode: 'hold-lock'; store: string};

export type ChildEvent =
	| {event: 'begin'; id: string; limitMs: number}
	| {event: 'wrote'; id: string; ms: number}
	| {event: 'commit'; id: string; ms: number}
	| {event: 'saved'; id: string; durationMs: number; createdAt: string; from: string; evicted: string[]}
	| {event: 'too-short' | 'tape-full'; id: string}
	| {event: 'full-at-begin'}
	| {event: 'heard'; id: string}
	| {event: 'op'; op: string; id: string}
	| {event: 'locked'}
	| {event: 'ready'}
	| {event: 'done'}
	| {event: 'error'; message: string};

function say(event: ChildEvent): void {
	process.stdout.write(JSON.stringify(event) + '\n');
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
		let draft;
		try {
			draft = await tape.beginDraft({from: config.from});
		} catch (error) {
			if (error instanceof TapeFullError) {
				say({event: 'full-at-begin'});

				await sleep(10);
				continue;
			}

			throw error;
		}

		say({event: 'begin', id: draft.id, limitMs: draft.limitMs});
		const sound = pcm(ms, draft.id);
		const chunk = msToPcmBytes(config.chunkMs);
		for (let offset = 0; offset < sound.length; offset += chunk) {
			if (!draft.write(sound.subarray(offset, offset + chunk))) {
				await draft.waitForDrain();
			}

			say({event: 'wrote', id: draft.id, ms: draft.durationMs});
			if (config.paceMs > 0) {
				await sleep(config.paceMs);
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
}

async function changeForever(config: Extract<ChildConfig, {mode: 'change'}>): Promise<void> {
	const tape = await Tape.open(config.store);
	const ops = ['erase', 'restore', 'keep', 'unkeep', 'heard', 'new'] as const;
	for (;;) {
		const id = config.ids[Math.floor(Math.random() * config.ids.length)]!;
		const op = ops[Math.floor(Math.random() * ops.length)]!;
		say({event: 'op', op, id});
		// A restore of a live message or a keep of an erased one is refused: fine.

		await (async () => {
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
		})().catch(() => undefined);
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

		case 'hold-lock': {
			await holdLock(config);
			break;
		}
	}

	say({event: 'done'});
}

main().catch((error: unknown) => {
	say({event: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error)});
	process.exitCode = 1;
});
