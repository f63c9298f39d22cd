// The benchmarks that drive the open machine in a pseudo-terminal, and the
// ones that record and play through real sound (a PulseAudio server of the
// bench's own, with a null sink: see startSoundServer in lib.mjs). Same
// contract as suites.mjs: each takes {cli, log, quick} and returns {rows, details}.
import {spawn, execFileSync} from 'node:child_process';
import {cpSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {benchDir, dataDir, listStore, playStore} from './fixtures.mjs';
import {
	childPids, clockTicksPerSecond, commandLine, median, nowMs, percentile, readCpuTicks, round, sleep, spawnInPty,
	startSoundServer, summary, timeProcess, watchFrames,
} from './lib.mjs';

/** One table row. pass is true/false, or null for a figure without a target. */
function row(bench, measure, value, {unit = '', spread = '', target = '', pass = null} = {}) {
	return {bench, measure, value, unit, spread, target, pass};
}

/** A scratch copy of a fixture store: keys like e and * change the store they run on. */
function scratchStore(fixture, name) {
	const dir = path.join(dataDir, `${name}-${process.pid}`);
	rmSync(dir, {recursive: true, force: true});
	cpSync(fixture, dir, {recursive: true});
	return dir;
}

/** A config file of the bench's own, so that a developer's config (stamps off, another silence stop) never changes the figures. */
function configFile(name, config) {
	const file = path.join(dataDir, `${name}-config-${process.pid}.json`);
	writeFileSync(file, JSON.stringify(config) + '\n');
	return file;
}

// The cursor row: the selected message is marked › (and drawn inverse).
const cursorPattern = /^› +(\d+) (NEW| {3})( \*| {2}) /m;
const listedPattern = /^[›▶ ] +\d+ (?:NEW| {3})/gm;

/** What the cursor row says in a frame: its number, and whether it is kept. */
function cursorOf(text) {
	const match = cursorPattern.exec(text);
	return match ? {number: Number(match[1]), keep: match[3] === ' *'} : undefined;
}

/** How many messages are shown: the "1–17 of 10000" line, or the rows themselves when they all fit. */
function shownCount(text) {
	const window = /(\d+)–(\d+) of (\d+)/.exec(text);
	return window ? Number(window[3]) : (text.match(listedPattern) ?? []).length;
}

const keyNames = {'\t': 'Tab', ' ': 'space'};

/**
 * The key to send for the wanted kind of step, and what its frame must show.
 * Moves go the other way at either end of the list; 0 only shows a change
 * while one mailbox is shown, so Tab stands in for it otherwise.
 */
function planKey(wanted, frame) {
	const text = frame.text;
	const cursor = cursorOf(text);
	if (!cursor) {
		throw new Error(`no cursor row on screen: ${JSON.stringify(text.slice(-600))}`);
	}

	const total = shownCount(text);
	const filtered = text.includes('Showing messages for everyone.');
	const move = (key, by) => {
		const to = cursor.number + by;
		if (to < 1 || to > total) {
			return move({j: 'k', k: 'j', n: 'b', b: 'n'}[key], -by);
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
// write to the store (keep, erase, undo: each followed by a rescan).
const keyPattern = ['j', 'j', 'k', '\t', 'n', 'b', 'j', '0', '*', 'j', '*', 'k', 'e', 'u', 'b', 'n'];

/**
 * Opens the machine on a copy of store, waits for the list, then sends the
 * keys one at a time: each is timed from the write to the first frame that
 * shows its change, then the screen is left to settle before the next.
 */
async function timeKeys(cli, fixture, keys, log, label, duringProbes = 0) {
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
		await settle(pid, frames, hz, 30_000);
		// The first keys run code not yet compiled: a few untimed ones first
		// (kept in the details), so the figures are of a machine in use.
		const warmUp = [];
		for (const wanted of ['j', 'k', 'j', 'k']) {
			const plan = planKey(wanted, frames.last);
			const answered = frames.next(frame => plan.expect(frame.text), 10_000);
			const sentAt = nowMs();
			pty.child.stdin.write(plan.key);

			warmUp.push((await answered).atMs - sentAt);

			await settle(pid, frames, hz);
		}

		const ticks0 = readCpuTicks(pid);
		const results = [];
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

			const settled = await settle(pid, frames, hz);
			results.push({
				key: keyNames[plan.key] ?? plan.key,
				kind: plan.kind,
				ms: frame.atMs - sentAt,
				framesBefore: frame.skipped,
				busyMs: settled.idleAtMs - sentAt,
				cpuMs: ((settled.ticks - ticksBefore) / hz) * 1000,
			});
		}

		const cpuMs = (((readCpuTicks(pid) ?? Number.NaN) - ticks0) / hz) * 1000;
		// A key typed while a store change is still being taken in: * (keep),
		// its frame, then j 200 ms later, timed like any other.
		const during = [];
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

			await settle(pid, frames, hz);
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
async function timeMinimalKeys(count) {
	const pty = spawnInPty([process.execPath, path.join(benchDir, 'minimal-ink.mjs'), '--keys']);
	const frames = watchFrames(pty);
	try {
		await frames.next(frame => frame.text.includes('key 0'));
		await sleep(500);
		const results = [];
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

/**
 * Waits until the machine is idle: no frame for 250 ms, no child (a stamp
 * being spoken), and at most one clock tick of CPU in the last 300 ms. Gives
 * up after maxMs. Returns when it went idle (the start of the quiet window)
 * and the CPU ticks read then.
 */
async function settle(pid, frames, hz, maxMs = 15_000) {
	const deadline = nowMs() + maxMs;
	const windowMs = 300;
	const samples = [{atMs: nowMs(), ticks: readCpuTicks(pid)}];
	for (;;) {
		await sleep(50);
		const atMs = nowMs();
		samples.push({atMs, ticks: readCpuTicks(pid)});
		const start = samples.findLast(sample => sample.atMs <= atMs - windowMs);
		if (start && samples.at(-1).ticks - start.ticks <= 1 && atMs - frames.lastAtMs >= 250 && childPids(pid).length === 0) {
			// Idle since the window began, or since the last tick that moved.
			const lastMoved = samples.findLast((sample, index) => index > 0 && sample.ticks !== samples[index - 1].ticks);
			return {idleAtMs: Math.max(frames.lastAtMs, lastMoved?.atMs ?? start.atMs), ticks: samples.at(-1).ticks};
		}

		if (atMs > deadline) {
			return {idleAtMs: atMs, ticks: samples.at(-1).ticks, timedOut: true};
		}
	}
}

/** Waits until a process has no children (a stamp being spoken ahead, a player), up to maxMs. */
async function waitNoChildren(pid, maxMs) {
	const deadline = nowMs() + maxMs;
	while (childPids(pid).length > 0 && nowMs() < deadline) {
		await sleep(10);
	}
}

function latencyRows(bench, label, ms, {target, extra = ''} = {}) {
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

// 6. Key latency of the open machine on 10,000 messages (and on 10, and a minimal Ink app).
export async function keyLatencyBench({cli, log, quick}) {
	const repeats = quick ? 1 : 2;
	const keys = Array.from({length: repeats}, () => keyPattern).flat();
	const big = await timeKeys(cli, listStore(10_000).dir, keys, log, '10,000 messages', quick ? 2 : 4);
	const small = await timeKeys(cli, listStore(10).dir, keys, log, '10 messages');
	const minimal = await timeMinimalKeys(quick ? 8 : 16);
	log(`keylatency: minimal Ink app: median ${round(median(minimal), 1)} ms, p90 ${round(percentile(minimal, 90), 1)} ms`);

	const bench = '6 key latency';
	const byKind = (results, kind) => results.filter(result => result.kind === kind).map(result => result.ms);
	const bigAll = big.results.map(result => result.ms);
	const cpuOf = (run, kind) => round(median(run.results.filter(result => result.kind === kind).map(result => result.cpuMs)), 0);
	const all = latencyRows(bench, `any key, ${(10_000).toLocaleString('en')} messages (median)`, bigAll, {target: 50, extra: `; CPU ${cpuOf(big, 'move')} ms a move`});
	const p90Pass = all.p90 < 50;
	const storeBusy = big.results.filter(result => result.kind === 'store');
	const kinds = [['move', 'j k n b'], ['mailbox', 'Tab 0: filter the list'], ['store', '* e u: write, then rescan']];
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

/**
 * Polls a process's children every ~1 ms until one whose command line
 * matches pattern appears. Returns when a new child (not in before) was
 * first seen at all (the fork) and when it was seen running the program
 * (after its exec), with its pid and command line.
 */
async function waitForChild(pid, pattern, before, timeoutMs = 5000) {
	const started = nowMs();
	let forkAtMs;
	let firstCommand;
	let polls = 0;
	for (;;) {
		polls++;
		for (const child of childPids(pid)) {
			if (before.has(child)) {
				continue;
			}

			const command = commandLine(child);
			forkAtMs ??= nowMs();
			firstCommand ??= command;
			if (pattern.test(command)) {
				const atMs = nowMs();
				return {forkAtMs, atMs, pid: child, command, firstCommand, polls, pollMs: (atMs - started) / polls};
			}
		}

		if (nowMs() - started > timeoutMs) {
			throw new Error(`no ${pattern} child of ${pid} within ${timeoutMs} ms (children: ${childPids(pid).map(child => commandLine(child)).join('; ')})`);
		}

		await sleep(1);
	}
}

/**
 * Opens the machine on a copy of the play store with the bench's sound
 * server, then presses space `presses` times: each time from the write of
 * the key until a paplay child of the machine runs, then s to stop, and
 * waits for the machine to be idle again.
 */
async function timePlays(cli, sound, {stamps, presses, log}) {
	const store = scratchStore(playStore(), 'play-store');
	const config = configFile('play', {stamps});
	const pty = spawnInPty([process.execPath, cli, '--store', store], {env: {...sound.env, ANSWERPHONE_CONFIG: config}});
	const frames = watchFrames(pty);
	try {
		await frames.next(frame => cursorOf(frame.text) !== undefined, 30_000);
		const pid = await pty.programPid();
		const hz = clockTicksPerSecond();
		// The stamp for the message under the cursor is spoken ahead: let it be.
		await sleep(1000);
		await settle(pid, frames, hz, 20_000);
		const results = [];
		for (let index = 0; index < presses; index++) {
			const before = new Set(childPids(pid));
			const drawn = frames.next(frame => frame.text.includes('▶ PLAY'), 10_000);
			const sentAt = nowMs();
			pty.child.stdin.write(' ');

			const player = await waitForChild(pid, /^\S*paplay\b/, before);

			const frame = await drawn;
			results.push({
				ms: player.atMs - sentAt,
				forkMs: player.forkAtMs - sentAt,
				frameMs: frame.atMs - sentAt,
				pollMs: player.pollMs,
				command: player.command,
				// Before its exec the child still shows our own command line.
				firstSeenAs: player.firstCommand,
			});
			pty.child.stdin.write('s');

			await frames.next(next => !next.text.includes('▶ PLAY'), 10_000);

			await settle(pid, frames, hz);
		}

		// CPU while a message plays (the progress bar redraws as the meter
		// does while recording), without stamps only.
		let playing;
		if (!stamps) {
			const drawn = frames.next(frame => frame.text.includes('▶ PLAY'), 10_000);
			pty.child.stdin.write(' ');
			await drawn;
			await sleep(1000);
			const start = {atMs: nowMs(), ticks: readCpuTicks(pid), frames: frames.count};
			await sleep(6000);
			const elapsedMs = nowMs() - start.atMs;
			const ticks = readCpuTicks(pid) - start.ticks;
			const playedFrames = frames.count - start.frames;
			playing = {cpuPercent: (((ticks / hz) * 1000) / elapsedMs) * 100, ticks, elapsedMs, framesPerSecond: playedFrames / (elapsedMs / 1000), cpuMsPerFrame: ((ticks / hz) * 1000) / playedFrames, stillPlaying: frames.last.text.includes('▶ PLAY')};
			pty.child.stdin.write('s');
			log(`playlatency: while playing: ${round(playing.cpuPercent, 2)}% of a core, ${round(playing.framesPerSecond, 1)} frames/s, ${round(playing.cpuMsPerFrame, 1)} ms CPU each`);
		}

		const ms = results.map(result => result.ms);
		log(`playlatency: stamps ${stamps ? 'on' : 'off'}: player running after median ${round(median(ms), 1)} ms (${results.map(result => round(result.ms, 1)).join(', ')}); forked after ${round(median(results.map(result => result.forkMs)), 1)} ms; ▶ PLAY drawn after ${round(median(results.map(result => result.frameMs)), 1)} ms; polled every ${round(median(results.map(result => result.pollMs)), 2)} ms; player: ${results[0]?.command}`);
		return {results, playing};
	} finally {
		await pty.stop();
		rmSync(store, {recursive: true, force: true});
		rmSync(config, {force: true});
	}
}

// 7. From space to the player process running, with and without the spoken stamp.
export async function playLatencyBench({cli, log, quick}) {
	const sound = await startSoundServer();
	try {
		const presses = quick ? 5 : 10;
		const withStamps = (await timePlays(cli, sound, {stamps: true, presses, log})).results;
		const {results: without, playing} = await timePlays(cli, sound, {stamps: false, presses, log});
		const bench = '7 play latency';
		const rowsFor = (label, results) => {
			const stats = summary(results.map(result => result.ms));
			return row(bench, label, round(stats.median, 1), {
				unit: 'ms',
				spread: `${round(stats.min, 1)}–${round(stats.max, 1)} ms (n=${stats.runs}); forked at ${round(median(results.map(result => result.forkMs)), 1)} ms; ▶ PLAY drawn at ${round(median(results.map(result => result.frameMs)), 1)} ms`,
				target: '< 50 ms',
				pass: stats.median < 50,
			});
		};

		return {
			rows: [
				rowsFor('space → paplay running, stamps on (the stamp\'s player)', withStamps),
				rowsFor('space → paplay running, stamps off', without),
				row(bench, 'CPU while a message plays (reference)', round(playing.cpuPercent, 2), {unit: '% of a core', spread: `${round(playing.framesPerSecond, 1)} frames/s, ${round(playing.cpuMsPerFrame, 1)} ms CPU each (over ${round(playing.elapsedMs / 1000, 0)} s)`}),
			],
			details: {stampsOn: withStamps, stampsOff: without, playing},
		};
	} finally {
		await sound.stop();
	}
}

/** Plays `seconds` of pink noise into the sink of a sound server, as a caller on the line; returns a stop(). */
function playNoise(sound, seconds) {
	const child = spawn('/bin/sh', ['-c', `sox -q -n -r 16000 -c 1 -t wav - synth ${seconds} pinknoise vol 0.2 | paplay`], {
		env: sound.env, stdio: 'ignore', detached: true,
	});
	child.on('error', () => undefined);
	const gone = new Promise(resolve => {
		child.once('close', resolve);
	});
	return {
		pid: child.pid,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				try {
					process.kill(-child.pid, 'SIGTERM');
				} catch {}
			}

			await gone;
		},
	};
}

// 8. CPU of the machine while it records with the meter moving (sox's own beside it).
export async function recCpuBench({cli, log, quick}) {
	const sound = await startSoundServer();
	const store = path.join(dataDir, `rec-store-${process.pid}`);
	rmSync(store, {recursive: true, force: true});
	const config = configFile('rec', {greeting: false, silence: '0s'});
	const windowMs = quick ? 6000 : 15_000;
	const pty = spawnInPty([process.execPath, cli, '--store', store], {env: {...sound.env, ANSWERPHONE_CONFIG: config}});
	const frames = watchFrames(pty);
	let noise;
	try {
		await frames.next(frame => frame.text.includes('No messages.'), 30_000);
		const pid = await pty.programPid();
		const hz = clockTicksPerSecond();
		await sleep(500);
		await settle(pid, frames, hz, 20_000);
		const recording = frames.next(frame => /● REC\s+0:0\d \//.test(frame.text), 20_000);
		const pressedAt = nowMs();
		pty.child.stdin.write('r');
		await recording;
		const recordingAfterMs = nowMs() - pressedAt;
		const [sox] = childPids(pid).filter(child => /^\S*sox\b/.test(commandLine(child)));
		if (sox === undefined) {
			throw new Error(`no sox under the machine while recording (children: ${childPids(pid).map(child => commandLine(child)).join('; ')})`);
		}

		// The caller talks (pink noise) for longer than the window; the meter
		// settles on it before the window opens.
		noise = playNoise(sound, Math.ceil(windowMs / 1000) + 5);
		await sleep(1500);
		const read = () => ({atMs: nowMs(), node: readCpuTicks(pid), sox: readCpuTicks(sox), script: readCpuTicks(pty.child.pid), frames: frames.count, bytes: pty.outputBytes});
		const start = read();
		const levels = [];
		const meter = setInterval(() => {
			// The meter is rewritten in place between Ink frames, so read the
			// terminal's latest output rather than the last whole frame.
			const tail = pty.output.slice(-4000).replaceAll(/\u001B\[[\d;?]*[A-Za-z]|\u001B[78]/g, '');
			const db = [...tail.matchAll(/● REC.*?(-?\d+|-∞) dB/g)].at(-1)?.[1];
			if (db !== undefined) {
				levels.push(db === '-∞' ? -96 : Number(db));
			}
		}, 250);
		await sleep(windowMs);
		clearInterval(meter);
		const end = read();
		const stillRecording = /● REC\s+\d+:\d\d \//.test(pty.output.slice(-4000).replaceAll(/\u001B\[[\d;?]*[A-Za-z]|\u001B[78]/g, ''));
		const elapsedMs = end.atMs - start.atMs;
		const percent = ticks => ((ticks / hz) * 1000 / elapsedMs) * 100;
		const result = {
			nodePercent: percent(end.node - start.node),
			soxPercent: percent(end.sox - start.sox),
			scriptPercent: percent(end.script - start.script),
			nodeTicks: end.node - start.node,
			hz,
			elapsedMs,
			framesPerSecond: (end.frames - start.frames) / (elapsedMs / 1000),
			bytesPerSecond: (end.bytes - start.bytes) / (elapsedMs / 1000),
			recordingAfterMs,
			meterDb: {min: Math.min(...levels), median: median(levels), max: Math.max(...levels)},
			stillRecording,
		};
		result.cpuMsPerFrame = ((result.nodeTicks / hz) * 1000) / (end.frames - start.frames);
		// Stop and save, as a user would.
		const ended = /Saved message [\d:]+[^\n]*|Hang-up:[^\n]*|TAPE FULL[^\n]*|Cancelled[^\n]*|cannot record[^\n]*/;
		const saved = frames.next(frame => ended.test(frame.text), 20_000);
		pty.child.stdin.write('r');
		const savedFrame = await saved;
		result.notice = ended.exec(savedFrame.text)?.[0].trim();
		log(`reccpu: node ${round(result.nodePercent, 2)}% of a core (${result.nodeTicks} ticks at ${hz}/s in ${Math.round(elapsedMs)} ms), sox ${round(result.soxPercent, 2)}%, script ${round(result.scriptPercent, 2)}%; ${round(result.framesPerSecond, 1)} frames/s, ${round(result.bytesPerSecond, 0)} bytes/s; meter ${result.meterDb.min}…${result.meterDb.max} dB (median ${result.meterDb.median}); REC shown ${Math.round(recordingAfterMs)} ms after r; then: ${result.notice}`);
		if (!stillRecording || !(result.meterDb.median > -60)) {
			throw new Error(`the recording ${stillRecording ? 'heard no noise (meter at ' + result.meterDb.median + ' dB)' : 'ended during the window'}`);
		}

		const bench = '8 recording CPU';
		return {
			rows: [
				row(bench, `machine recording ${Math.round(windowMs / 1000)} s, meter live (node)`, round(result.nodePercent, 2), {
					unit: '% of a core',
					spread: `${result.nodeTicks} ticks at ${hz}/s; ${round(result.framesPerSecond, 1)} frames/s, ${round(result.cpuMsPerFrame, 1)} ms CPU each, ${round(result.bytesPerSecond, 0)} bytes/s; meter median ${result.meterDb.median} dB`,
					target: '< 3%',
					pass: result.nodePercent < 3,
				}),
				row(bench, '  sox recording beside it (reference)', round(result.soxPercent, 2), {unit: '% of a core', spread: `script relaying the pty: ${round(result.scriptPercent, 2)}%`}),
			],
			details: result,
		};
	} finally {
		await noise?.stop();
		await pty.stop();
		await sound.stop();
		rmSync(store, {recursive: true, force: true});
		rmSync(config, {force: true});
	}
}

/** A process's exit, with what it wrote. */
function collect(child) {
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', chunk => {
		stdout += chunk;
	});
	child.stderr?.on('data', chunk => {
		stderr += chunk;
	});
	const exit = new Promise(resolve => {
		child.on('error', error => resolve({code: null, signal: null, error, stdout, stderr}));
		child.on('close', (code, signal) => resolve({code, signal, stdout, stderr, atMs: nowMs()}));
	});
	return {exit, stderr: () => stderr};
}

// 9. Sound dropped on the way: `record` from the microphone for a minute
// against SoX recording the same microphone alone, side by side.
export async function dropsBench({cli, log, quick}) {
	const seconds = quick ? 20 : 62;
	const sound = await startSoundServer();
	const store = path.join(dataDir, `drops-store-${process.pid}`);
	const reference = path.join(dataDir, `drops-sox-${process.pid}.wav`);
	rmSync(store, {recursive: true, force: true});
	rmSync(reference, {force: true});
	const config = configFile('drops', {});
	const env = {...sound.env, ANSWERPHONE_CONFIG: config};
	const started = [];
	let noise;
	try {
		// The default per-message limit (1:00) would cut the message short.
		await timeProcess(process.execPath, [cli, 'settings', '--store', store, '--max-message', '5m'], {env});
		// The caller talks all the time, from before the beep to after both stop.
		noise = playNoise(sound, seconds + 15);
		await sleep(1000);
		const machine = spawn(process.execPath, [cli, 'record', '--store', store, '--quick', '--silence', '0s', '--from', 'bench'], {env, stdio: ['ignore', 'pipe', 'pipe']});
		started.push(machine);
		const machineRun = collect(machine);
		const spawnedAt = nowMs();
		// Sound is kept from the first PCM after the beep: the line says so.
		while (!machineRun.stderr().includes('answerphone: recording')) {
			if (machine.exitCode !== null || nowMs() - spawnedAt > 20_000) {
				throw new Error(`record never started: ${machineRun.stderr().trim()}`);
			}

			await sleep(2);
		}

		const recordingAt = nowMs();
		const sox = spawn('sox', ['-q', '--default-device', '-t', 'wav', '-r', '16000', '-c', '1', '-b', '16', reference], {env, stdio: ['ignore', 'ignore', 'pipe']});
		started.push(sox);
		const soxRun = collect(sox);
		const soxAt = nowMs();
		log(`drops: recording ${Math.round(recordingAt - spawnedAt)} ms after the spawn (greeting off, beep); sox started; both run for ${seconds} s`);
		// The command's own CPU while recording, without a screen: the
		// reference for the recording CPU suite. Its sox is its only child.
		const hz = clockTicksPerSecond();
		const [machineSox] = childPids(machine.pid).filter(child => /^\S*sox\b/.test(commandLine(child)));
		const cpu0 = {atMs: nowMs(), node: readCpuTicks(machine.pid), sox: readCpuTicks(machineSox), reference: readCpuTicks(sox.pid)};
		await sleep((seconds * 1000) - (nowMs() - recordingAt) - 500);
		const cpu1 = {atMs: nowMs(), node: readCpuTicks(machine.pid), sox: readCpuTicks(machineSox), reference: readCpuTicks(sox.pid)};
		const percentOf = key => ((((cpu1[key] - cpu0[key]) / hz) * 1000) / (cpu1.atMs - cpu0.atMs)) * 100;
		const cpu = {nodePercent: percentOf('node'), soxPercent: percentOf('sox'), referenceSoxPercent: percentOf('reference'), windowMs: cpu1.atMs - cpu0.atMs};
		await sleep((seconds * 1000) - (nowMs() - recordingAt));
		const stopAt = nowMs();
		machine.kill('SIGINT');
		sox.kill('SIGINT');
		const [machineExit, soxExit] = await Promise.all([machineRun.exit, soxRun.exit]);
		if (machineExit.code !== 0) {
			throw new Error(`record exited ${machineExit.code ?? machineExit.signal}: ${machineExit.stderr.trim()}`);
		}

		const id = machineExit.stdout.trim();
		const listed = JSON.parse((await timeProcess(process.execPath, [cli, 'list', '--json', '--store', store], {env, keepStdout: true})).stdout);
		const message = listed.find(entry => entry.id === id);
		if (!message) {
			throw new Error(`record printed ${JSON.stringify(id)}, which list does not show`);
		}

		const machineMs = message.durationMs;
		const referenceMs = Number(execFileSync('soxi', ['-D', reference], {encoding: 'utf8'}).trim()) * 1000;
		const wallMs = stopAt - recordingAt;
		const soxWallMs = stopAt - soxAt;
		const differencePercent = ((machineMs - referenceMs) / referenceMs) * 100;
		const result = {
			seconds, machineMs, referenceMs, differencePercent, wallMs, soxWallMs,
			machineVsWallPercent: ((machineMs - wallMs) / wallMs) * 100,
			referenceVsWallPercent: ((referenceMs - soxWallMs) / soxWallMs) * 100,
			machineExitMs: machineExit.atMs - stopAt,
			soxExit: soxExit.code ?? soxExit.signal,
			soxStderr: soxExit.stderr.trim().slice(-300),
			machineStderr: machineExit.stderr.trim().slice(-300),
			cpu,
		};
		log(`drops: answerphone saved ${round(machineMs / 1000, 3)} s (${round(wallMs / 1000, 3)} s of wall time since its "recording" line), sox alone ${round(referenceMs / 1000, 3)} s (${round(soxWallMs / 1000, 3)} s since its spawn): ${round(differencePercent, 2)}%; answerphone exited ${Math.round(result.machineExitMs)} ms after SIGINT, sox ${result.soxExit}; CPU while recording: record ${round(cpu.nodePercent, 2)}% of a core, its sox ${round(cpu.soxPercent, 2)}%, sox alone ${round(cpu.referenceSoxPercent, 2)}%`);
		const bench = '9 drops';
		return {
			rows: [
				row(bench, `record, ${seconds} s of noise: saved / sox alone`, round(differencePercent, 2), {
					unit: '%',
					spread: `${round(machineMs / 1000, 2)} s against ${round(referenceMs / 1000, 2)} s; wall ${round(wallMs / 1000, 2)} s and ${round(soxWallMs / 1000, 2)} s`,
					target: 'within ±2%',
					pass: Math.abs(differencePercent) <= 2,
				}),
				row(bench, '  saved / wall time since "recording"', round(result.machineVsWallPercent, 2), {unit: '%', spread: `sox alone / its wall time: ${round(result.referenceVsWallPercent, 2)}%`}),
				row(bench, '  CPU of `record` (no screen) while recording', round(cpu.nodePercent, 2), {unit: '% of a core', spread: `its sox ${round(cpu.soxPercent, 2)}%, sox alone ${round(cpu.referenceSoxPercent, 2)}% (over ${round(cpu.windowMs / 1000, 0)} s)`}),
			],
			details: result,
		};
	} finally {
		for (const child of started) {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
			}
		}

		await noise?.stop();
		await sound.stop();
		rmSync(store, {recursive: true, force: true});
		rmSync(reference, {force: true});
		rmSync(config, {force: true});
	}
}
