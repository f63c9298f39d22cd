// 6. Key latency of the open machine on 10,000 messages (and on 10, and a
// minimal Ink app counting keys).
import {rmSync} from 'node:fs';
import {listStore} from '../fixtures.js';
import {configFile, cursorOf, scratchStore, settle} from '../lib/live.js';
import {clockTicksPerSecond, readCpuTicks} from '../lib/processes.js';
import {spawnInPty, watchFrames, type Frame} from '../lib/pty.js';
import {row, type Row, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {median, nowMs, percentile, round, sleep, summary, type Summary} from '../lib/stats.js';

const listedPattern = /^[›▶ ] +\d+ (?:NEW| {3})/gm;

/** How many messages are shown: the "1–17 of 10000" line, or the rows themselves when they all fit. */
function shownCount(text: string): number {
	const window = /(\d+)–(\d+) of (\d+)/.exec(text);
	return window ? Number(window[3]) : (text.match(listedPattern) ?? []).length;
}

const keyNames: Record<string, string> = {'\t': 'Tab', ' ': 'space'};

type KeyKind = 'move' | 'mailbox' | 'store';
type KeyPlan = {key: string; kind: KeyKind; expect: (text: string) => boolean};
type MoveKey = 'j' | 'k' | 'n' | 'b';
const oppositeOf: Record<MoveKey, MoveKey> = {j: 'k', k: 'j', n: 'b', b: 'n'};

/**
 * The key to send for the wanted kind of step, and what its frame must show.
 * Moves go the other way at either end of the list; 0 only shows a change
 * while one mailbox is shown, so Tab stands in for it otherwise.
 */
function planKey(wanted: string, frame: Frame | undefined): KeyPlan {
	const text = frame?.text ?? '';
	const cursor = cursorOf(text);
	if (!cursor) {
		throw new Error(`no cursor row on screen: ${JSON.stringify(text.slice(-600))}`);
	}

	const total = shownCount(text);
	const filtered = text.includes('Showing messages for everyone.');
	const move = (key: MoveKey, by: number): KeyPlan => {
		const to = cursor.number + by;
		if (to < 1 || to > total) {
			return move(oppositeOf[key], -by);
		}

		return {key, kind: 'move', expect: next => cursorOf(next)?.number === to};
	};

	switch (wanted) {
		case 'j':
		case 'n': {
			return move(wanted, 1);
		}

		case 'k':
		case 'b': {
			return move(wanted, -1);
		}

		case '\t':
		case '0': {
			const key = filtered ? wanted : '\t';
			const notice = filtered ? 'Showing every mailbox.' : 'Showing messages for everyone.';
			return {key, kind: 'mailbox', expect: next => next.includes(notice)};
		}

		case '*': {
			return {key: '*', kind: 'store', expect: next => cursorOf(next)?.keep === !cursor.keep};
		}

		case 'e': {
			if (cursor.keep) {
				throw new Error('the key pattern put the cursor on a kept message, where e asks first: it would wait for ever');
			}

			return {key: 'e', kind: 'store', expect: next => next.includes('Erased. Press u to undo.') && !next.includes(`${total} messages`)};
		}

		case 'u': {
			return {key: 'u', kind: 'store', expect: next => next.includes('Restored.')};
		}

		default: {
			throw new Error(`no plan for key ${wanted}`);
		}
	}
}

// Cursor moves, mailbox changes (filtering the whole list) and keys that
// write to the store (keep, erase, undo: each followed by a rescan). The
// second * takes back the first, so that e never meets a kept message (which
// it asks about first).
const keyPattern = ['j', 'j', 'k', '\t', 'n', 'b', 'j', '0', '*', 'j', 'k', '*', 'k', 'e', 'u', 'b', 'n'];

/**
 * Opens the machine on a copy of store, waits for the list, then sends the
 * keys one at a time: each is timed from the write to the first frame that
 * shows its change, then the screen is left to settle before the next.
 */
type KeyResult = {key: string; kind: KeyKind; ms: number; framesBefore: number; busyMs: number; cpuMs: number};
type KeyRun = {results: KeyResult[]; cpuMs: number; duringStoreChangeMs: number[]; warmUpMs: number[]};

async function timeKeys(cli: string, fixture: string, keys: string[], log: SuiteContext['log'], label: string, duringProbes = 0): Promise<KeyRun> {
	const store = scratchStore(fixture, 'keys-store');
	const config = configFile('keys', {});
	const pty = spawnInPty([process.execPath, cli, '--store', store], {env: {ANSWERPHONE_CONFIG: config}});
	const frames = watchFrames(pty);
	try {
		await frames.next(frame => cursorOf(frame.text) !== undefined, 60_000);
		const pid = await pty.programPid();
		// Start-up work (the first scans, JIT, the stamp spoken ahead) is not
		// what a key costs: let it finish.
		const hz = clockTicksPerSecond();
		await sleep(1000);
		await settle(pid, frames, 30_000);
		// The first keys run code not yet compiled: a few untimed ones first
		// (kept in the details), so the figures are of a machine in use.
		const warmUp: number[] = [];
		for (const wanted of ['j', 'k', 'j', 'k']) {
			const plan = planKey(wanted, frames.last);
			const answered = frames.next(frame => plan.expect(frame.text), 10_000);
			const sentAt = nowMs();
			pty.child.stdin.write(plan.key);

			warmUp.push((await answered).atMs - sentAt);

			await settle(pid, frames);
		}

		const ticks0 = readCpuTicks(pid);
		const results: KeyResult[] = [];
		for (const wanted of keys) {
			const plan = planKey(wanted, frames.last);
			const answered = frames.next(frame => plan.expect(frame.text), 10_000);
			const ticksBefore = readCpuTicks(pid);
			const sentAt = nowMs();
			pty.child.stdin.write(plan.key);

			const frame = await answered;
			// Whatever the key set off (a rescan after a store change, the stamp
			// for the new cursor spoken ahead) finishes before the next key, so
			// that each key is timed from an idle machine; how long that took is
			// kept as the key's busy time.

			const settled = await settle(pid, frames);
			results.push({
				key: keyNames[plan.key] ?? plan.key,
				kind: plan.kind,
				ms: frame.atMs - sentAt,
				framesBefore: frame.skipped,
				busyMs: settled.idleAtMs - sentAt,
				cpuMs: (((settled.ticks ?? Number.NaN) - (ticksBefore ?? Number.NaN)) / hz) * 1000,
			});
		}

		const cpuMs = (((readCpuTicks(pid) ?? Number.NaN) - (ticks0 ?? Number.NaN)) / hz) * 1000;
		// A key typed while a store change is still being taken in: * (keep),
		// its frame, then j 200 ms later, timed like any other.
		const during: number[] = [];
		for (let index = 0; index < duringProbes; index++) {
			const keep = planKey('*', frames.last);
			const kept = frames.next(frame => keep.expect(frame.text), 10_000);
			pty.child.stdin.write(keep.key);

			await kept;

			await sleep(200);
			const plan = planKey('j', frames.last);
			const answered = frames.next(frame => plan.expect(frame.text), 10_000);
			const sentAt = nowMs();
			pty.child.stdin.write(plan.key);

			during.push((await answered).atMs - sentAt);

			await settle(pid, frames);
		}

		const ms = results.map(result => result.ms);
		log(`keylatency: ${label}: warm-up keys ${warmUp.map(value => Math.round(value)).join(', ')} ms; median ${round(median(ms), 1)} ms, p90 ${round(percentile(ms, 90), 1)} ms, max ${round(Math.max(...ms), 1)} ms over ${ms.length} keys; key ms (busy until idle ms, CPU ms): ${results.map(result => `${result.key} ${Math.round(result.ms)} (${Math.round(result.busyMs)}, ${Math.round(result.cpuMs)})`).join(', ')}`);
		if (during.length > 0) {
			log(`keylatency: ${label}: j 200 ms after * (keep): ${during.map(value => Math.round(value)).join(', ')} ms`);
		}

		return {results, cpuMs, duringStoreChangeMs: during, warmUpMs: warmUp};
	} finally {
		await pty.stop();
		rmSync(store, {recursive: true, force: true});
		rmSync(config, {force: true});
	}
}

/** The minimal Ink app counting keys: the pty, Ink's input parsing and one render, nothing of ours. */
async function timeMinimalKeys(minimalInk: string, count: number): Promise<number[]> {
	const pty = spawnInPty([process.execPath, minimalInk, '--keys']);
	const frames = watchFrames(pty);
	try {
		await frames.next(frame => frame.text.includes('key 0'));
		await sleep(500);
		const results: number[] = [];
		for (let index = 1; index <= count; index++) {
			const answered = frames.next(frame => frame.text.includes(`key ${index}`));
			const sentAt = nowMs();
			pty.child.stdin.write('j');

			results.push((await answered).atMs - sentAt);

			await frames.quiet(100);
		}

		return results;
	} finally {
		await pty.stop();
	}
}

function latencyRows(bench: string, label: string, ms: number[], {target, extra = ''}: {target?: number; extra?: string} = {}): {stats: Summary; p90: number; row: Row} {
	const stats = summary(ms);
	const p90 = percentile(ms, 90);
	return {
		stats,
		p90,
		row: row(bench, label, round(stats.median, 1), {
			unit: 'ms',
			spread: `p90 ${round(p90, 1)}, ${round(stats.min, 1)}–${round(stats.max, 1)} ms (n=${stats.runs})${extra}`,
			target: target === undefined ? '' : `< ${target} ms`,
			pass: target === undefined ? null : stats.median < target,
		}),
	};
}

export async function keyLatencyBench({cli, minimalInk, log, quick}: SuiteContext): Promise<SuiteResult> {
	const repeats = quick ? 1 : 2;
	const keys = Array.from({length: repeats}, () => keyPattern).flat();
	const big = await timeKeys(cli, listStore(10_000).dir, keys, log, '10,000 messages', quick ? 2 : 4);
	const small = await timeKeys(cli, listStore(10).dir, keys, log, '10 messages');
	const minimal = await timeMinimalKeys(minimalInk, quick ? 8 : 16);
	log(`keylatency: minimal Ink app: median ${round(median(minimal), 1)} ms, p90 ${round(percentile(minimal, 90), 1)} ms`);

	const bench = '6 key latency';
	const byKind = (results: KeyResult[], kind: KeyKind) => results.filter(result => result.kind === kind).map(result => result.ms);
	const bigAll = big.results.map(result => result.ms);
	const cpuOf = (run: KeyRun, kind: KeyKind) => round(median(run.results.filter(result => result.kind === kind).map(result => result.cpuMs)), 0);
	const all = latencyRows(bench, `any key, ${(10_000).toLocaleString('en')} messages (median)`, bigAll, {target: 50, extra: `; CPU ${cpuOf(big, 'move')} ms a move`});
	const p90Pass = all.p90 < 50;
	const storeBusy = big.results.filter(result => result.kind === 'store');
	const kinds: Array<[KeyKind, string]> = [['move', 'j k n b'], ['mailbox', 'Tab 0: filter the list'], ['store', '* e u: write, then rescan']];
	const rows = [
		all.row,
		row(bench, `  the same, 90th percentile`, round(all.p90, 1), {unit: 'ms', spread: `max ${round(all.stats.max, 1)} ms`, target: '< 50 ms', pass: p90Pass}),
		...kinds.map(([kind, label]) => latencyRows(bench, `  ${label}`, byKind(big.results, kind)).row),
		row(bench, '  busy after * e u, until idle again', round(median(storeBusy.map(result => result.busyMs)), 0), {
			unit: 'ms',
			spread: `${round(median(storeBusy.map(result => result.cpuMs)), 0)} ms CPU (median); keys pressed meanwhile wait; after j k n b: ${round(median(big.results.filter(result => result.kind === 'move').map(result => result.busyMs)), 0)} ms`,
		}),
		latencyRows(bench, '  j typed 0.2 s after * (store change still being read)', big.duringStoreChangeMs, {target: 50}).row,
		latencyRows(bench, 'any key, 10 messages (reference)', small.results.map(result => result.ms), {extra: `; CPU ${cpuOf(small, 'move')} ms a move`}).row,
		latencyRows(bench, 'minimal Ink app counting keys (floor)', minimal).row,
	];
	return {
		rows,
		details: {
			keys: keys.map(key => keyNames[key] ?? key),
			tenThousand: big,
			ten: small,
			minimalMs: minimal,
			medianMs: all.stats.median,
			p90Ms: all.p90,
		},
	};
}
