// Any two sequences of store operations (record and commit, erase, restore,
// keep, unkeep, heard, new), run by two processes at once on one small tape,
// keep the store's promises: the tape is never over capacity, nothing kept is
// overwritten, and every message ever saved is live, in the bin, reported as
// a problem or reported freed by the commit that overwrote it, never silently
// gone, and whole to the byte.
//
// fast-check draws the sequences from a seed, printed on failure. To replay:
//   ANSWERPHONE_PROPERTY_SEED=<seed> npx vitest run test/unit/store-properties.test.ts
// ANSWERPHONE_PROPERTY_RUNS=500 soaks for longer.
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {isMessageId} from '../../src/tape/message.js';
import {Tape} from '../../src/tape/store.js';
import {pcm} from '../helpers/pcm.js';
import {messageVerdict, seedFrom} from '../helpers/store-invariants.js';
import {Child, useTapeChildren, type ChildEvent, type StoreOp} from '../helpers/tape-children.js';

const childScript = useTapeChildren();

// Two processes serve every run, one round each: starting two for each run
// would cost more than the run.
let serving: Child[] = [];
async function twoProcesses(): Promise<Child[]> {
	if (serving.length === 0) {
		serving = [0, 1].map(() => new Child(childScript.script(), {mode: 'serve'}));
	}

	return serving;
}

afterAll(async () => {
	for (const child of serving.splice(0)) {
		child.send(undefined);
		await child.exited;
	}
});

const numRuns = Math.max(1, Number(process.env['ANSWERPHONE_PROPERTY_RUNS'] ?? 40));
const seed = seedFrom('ANSWERPHONE_PROPERTY_SEED');
const settings = {tapeMs: 10_000, maxMessageMs: 3000, minMessageMs: 500};

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

const storeOp: fc.Arbitrary<StoreOp> = fc.oneof(
	// From a hang-up to past the per-message limit.
	{weight: 2, arbitrary: fc.record({op: fc.constant('record' as const), ms: fc.integer({min: 200, max: 3500})})},
	{weight: 3, arbitrary: fc.record({op: fc.constantFrom('erase', 'restore', 'keep', 'unkeep', 'heard', 'new'), pick: fc.nat(30)})},
);
const opsOfOne = fc.array(storeOp, {minLength: 1, maxLength: 10});
/** What is on the tape before the two start. */
const startingTape = fc.array(fc.record({ms: fc.integer({min: 600, max: 2500}), heard: fc.boolean(), keep: fc.boolean(), erased: fc.boolean()}), {maxLength: 3});

type Timed<T> = T & {at: number};
type Said = Timed<ChildEvent>;
/** A moment a message was seen live and kept: between readFrom and at. */
type KeptSighting = {id: string; readFrom: number; at: number};
/** An erase or unkeep, from when it was asked for to when it had surely finished. */
type Unprotecting = {id: string; from: number; to: number};

// Clocks of two processes on one computer agree to well under this.
const slackMs = 1;

/**
 * The commits that overwrote a message while it was surely live and kept: it
 * was seen so (by a child reading it back after an op, or at the start)
 * before the commit began, and no erase or unkeep of it can have taken effect
 * between that sighting and the commit's end.
 */
function keptOverwritten(children: Said[][], startingKept: string[]): string[] {
	const sightings: KeptSighting[] = startingKept.map(id => ({id, readFrom: 0, at: 0}));
	const unprotecting: Unprotecting[] = [];
	for (const events of children) {
		let asked: Said | undefined;
		for (const event of events) {
			if (event.event === 'op') {
				asked = event;
			} else if (event.event === 'op-done') {
				if (event.state !== 'gone' && event.state.live && event.state.keep) {
					sightings.push({id: event.id, readFrom: event.readFrom, at: event.at});
				}

				if (event.op === 'erase' || event.op === 'unkeep') {
					unprotecting.push({id: event.id, from: asked!.at, to: event.at});
				}

				asked = undefined;
			}
		}

		// Asked for and never finished: it may take effect at any later time.
		if (asked?.event === 'op' && (asked.op === 'erase' || asked.op === 'unkeep')) {
			unprotecting.push({id: asked.id, from: asked.at, to: Number.POSITIVE_INFINITY});
		}
	}

	const wrong: string[] = [];
	for (const events of children) {
		let commitAt = 0;
		for (const event of events) {
			if (event.event === 'commit') {
				commitAt = event.at;
			} else if (event.event === 'saved') {
				for (const id of event.evicted) {
					const protectedBy = sightings.find(seen => seen.id === id && seen.at < commitAt - slackMs
						&& !unprotecting.some(change => change.id === id && change.from < event.at + slackMs && change.to > seen.readFrom - slackMs));
					if (protectedBy) {
						wrong.push(`${id} (kept, seen so at ${protectedBy.at}) overwritten by ${event.id} (commit ${commitAt}–${event.at})`);
					}
				}
			}
		}
	}

	return wrong;
}

async function checkRun(starting: Array<{ms: number; heard: boolean; keep: boolean; erased: boolean}>, opsA: StoreOp[], opsB: StoreOp[]): Promise<void> {
	const folder = await mkdtemp(path.join(tmpdir(), 'answerphone-props-'));
	try {
		const tape = await Tape.open(path.join(folder, 'store'));
		await tape.updateSettings(settings);
		const lengths = new Map<string, number>();
		const startingKept: string[] = [];
		for (const [index, message] of starting.entries()) {
			const draft = await tape.beginDraft({from: `house${index}`});
			draft.write(pcm(message.ms, draft.id));
			const result = await draft.commit();
			expect(result.status).toBe('saved');
			lengths.set(draft.id, message.ms);
			await tape.mark([draft.id], message.heard);
			await tape.keep([draft.id], message.keep);
			if (message.erased) {
				await tape.erase([draft.id]);
			} else if (message.keep) {
				startingKept.push(draft.id);
			}
		}

		// Whatever the setup overwrote is not part of the run.
		const before = await tape.snapshot({waveforms: false});
		for (const id of lengths.keys()) {
			if (![...before.messages, ...before.bin].some(message => message.id === id)) {
				lengths.delete(id);
			}
		}

		const startFile = path.join(folder, 'go');
		const children = await twoProcesses();
		const since = children.map(child => child.events.length);
		for (const [index, ops] of [opsA, opsB].entries()) {
			children[index]!.send({mode: 'ops', store: tape.dir, from: `caller${index}`, ops, chunkMs: 250, startFile});
		}

		await Promise.all(children.map(async (child, index) => child.waitFor(event => event.event === 'ready', 20_000, since[index])));

		// While they work, a reader keeps looking: the tape never holds more than it can.
		let running = true;
		let mostOnTape = 0;
		const watcher = (async () => {
			while (running) {
				const snapshot = await tape.snapshot({waveforms: false});
				mostOnTape = Math.max(mostOnTape, snapshot.usedMs + snapshot.binMs);

				await sleep(3);
			}
		})();
		await writeFile(startFile, '');
		await Promise.all(children.map(async (child, index) => child.waitFor(event => event.event === 'done', 30_000, since[index])));
		running = false;
		await watcher;
		for (const child of children) {
			child.assertNoError();
		}

		expect(mostOnTape).toBeLessThanOrEqual(settings.tapeMs);

		const said = children.map((child, index) => child.events.slice(since[index]) as Said[]);
		const saved = said.flat().filter((event): event is Timed<Extract<ChildEvent, {event: 'saved'}>> => event.event === 'saved');
		for (const event of saved) {
			expect(lengths.has(event.id)).toBe(false);
			lengths.set(event.id, event.durationMs);
		}

		// Nothing freed twice, and only messages that were on the tape.
		const evicted = saved.flatMap(event => event.evicted);
		expect(evicted.length).toBe(new Set(evicted).size);
		expect(evicted.filter(id => !lengths.has(id))).toEqual([]);
		expect(keptOverwritten(said, startingKept)).toEqual([]);

		const snapshot = await tape.snapshot({waveforms: false});
		const present = [...snapshot.messages, ...snapshot.bin];
		const reported = (id: string) => snapshot.problems.some(problem => path.basename(problem.file).startsWith(id));
		// Every message ever saved: on the tape (live or in the bin), or freed by
		// a commit that said so, or reported; never more than one of the first two.
		const accounts = [...lengths.keys()].map(id => ({id, there: present.some(message => message.id === id), freed: evicted.includes(id), reported: reported(id)}));
		expect(accounts.filter(account => account.there && account.freed)).toEqual([]);
		expect(accounts.filter(account => !account.there && !account.freed && !account.reported)).toEqual([]);

		expect(present.filter(message => !lengths.has(message.id)).map(message => message.id)).toEqual([]);
		for (const message of present) {
			expect(message.durationMs).toBe(lengths.get(message.id));
			expect(await messageVerdict(message)).toBe('whole');
		}

		// No draft left behind by processes that finished.
		const drafts = (await readdir(tape.tmpDir)).map(name => name.replace(/\.(json|wav)$/, '')).filter(id => isMessageId(id));
		expect(drafts.filter(id => !reported(id))).toEqual([]);
		expect(snapshot.usedMs + snapshot.binMs).toBe(present.reduce((sum, message) => sum + message.durationMs, 0));
		expect(snapshot.usedMs + snapshot.binMs).toBeLessThanOrEqual(settings.tapeMs);
		expect(snapshot.settings).toEqual(settings);
	} finally {
		await rm(folder, {recursive: true, force: true});
	}
}

describe('two processes doing anything to one store', () => {
	it(`never overfill it, never overwrite a kept message, and never lose one silently (seed ${seed})`, async () => {
		await fc.assert(fc.asyncProperty(startingTape, opsOfOne, opsOfOne, checkRun), {
			seed,
			numRuns,
			// Each run starts two processes: shrinking would take minutes; the seed and path replay the failure.
			endOnFailure: true,
		});
	}, 120_000);
});
