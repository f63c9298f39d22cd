// answerphone's benchmarks, against the targets in the project's issues.
//
//   npm run bench                      build, then run them all (a few minutes on 2 cores)
//   npx tsx bench/run.ts [--only list,import,memory,mic,frame,idle,keylatency,playlatency,reccpu,drops,login] [--quick] [--strict]
//
// Needs Node and sox (plus util-linux `script` for the pseudo-terminal, tsx
// from devDependencies, which runs the bench and the microphone-path memory
// check, and for the real-sound suites pulseaudio, pactl, paplay and
// espeak-ng: they start a PulseAudio server of their own with a null sink,
// test/helpers/pulse.ts). Prints
// a table of medians with a pass/fail mark per target and writes every
// figure to bench/.data/results.json. Fixtures (a 10,000-message store, two
// 20-minute WAVs) are made once and cached in bench/.data/.
//
// dist/ is copied to bench/.data/dist-PID first and the copy is what runs:
// other people rebuild dist/ while working, and a rebuild mid-benchmark would
// fail or mix builds.
import {execFileSync} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {build, transform} from 'esbuild';
import {bundleOptions} from '../scripts/bundle.mjs';
import {benchDir, dataDir} from './fixtures.js';
import type {Row, Suite} from './lib/report.js';
import {dropsBench} from './suites/drops.js';
import {frameBench} from './suites/frame.js';
import {idleBench} from './suites/idle.js';
import {importBench} from './suites/import.js';
import {keyLatencyBench} from './suites/keys.js';
import {listBench} from './suites/list.js';
import {loginBench} from './suites/login.js';
import {memoryBench} from './suites/memory.js';
import {micBench} from './suites/mic.js';
import {playLatencyBench} from './suites/play.js';
import {recCpuBench} from './suites/reccpu.js';

const suites: Record<string, Suite> = {
	list: listBench,
	import: importBench,
	memory: memoryBench,
	mic: micBench,
	frame: frameBench,
	idle: idleBench,
	keylatency: keyLatencyBench,
	playlatency: playLatencyBench,
	reccpu: recCpuBench,
	drops: dropsBench,
	login: loginBench,
};

const {values: flags} = parseArgs({
	options: {
		only: {type: 'string'},
		quick: {type: 'boolean', default: false},
		strict: {type: 'boolean', default: false},
		quiet: {type: 'boolean', default: false},
	},
});
const chosen = flags.only ? flags.only.split(',').map(name => name.trim()) : Object.keys(suites);
for (const name of chosen) {
	if (!(name in suites)) {
		console.error(`bench: unknown suite "${name}" (${Object.keys(suites).join(', ')})`);
		process.exit(2);
	}
}

const root = path.dirname(benchDir);
const builtCli = path.join(root, 'dist', 'cli.js');
if (!existsSync(builtCli)) {
	console.error('bench: dist/cli.js is missing: run `npm run build` (or `npm run bench`, which builds first)');
	process.exit(2);
}

mkdirSync(dataDir, {recursive: true});
// One copy per run, so that two people benchmarking at once never delete
// each other's; copies left by runs that were killed are swept here.
for (const name of readdirSync(dataDir)) {
	const owner = /^dist-(\d+)$/.exec(name);
	if (owner && !isAlive(Number(owner[1]))) {
		rmSync(path.join(dataDir, name), {recursive: true, force: true});
	}
}

const distCopy = path.join(dataDir, `dist-${process.pid}`);
cpSync(path.join(root, 'dist'), distCopy, {recursive: true});
// The built-in sounds (the beep) are looked for in assets/ a few folders
// above the bundle's chunks: inside the copy is one of those places.
cpSync(path.join(root, 'assets'), path.join(distCopy, 'assets'), {recursive: true});
const cli = path.join(distCopy, 'cli.js');
// The yardstick app as plain JavaScript (types stripped, imports left to
// node_modules as they are), so that its start-up is Node's and Ink's alone.
const minimalInk = path.join(distCopy, 'minimal-ink.mjs');
const minimalSource = path.join(benchDir, 'minimal-ink.ts');
writeFileSync(minimalInk, (await transform(readFileSync(minimalSource, 'utf8'), {loader: 'ts', format: 'esm', target: 'node20', sourcefile: minimalSource})).code);
// The same app bundled as the CLI is (scripts/bundle.mjs), into folders of
// its own: the fair yardstick for the machine's first frame, both one file
// with React and Ink inside. The yardstick is bundled as any Ink app would
// be, without the machine's speed-ups to Ink's dependencies; bundled with
// them too, it shows how much of the machine's lead they are.
const minimalBundleDir = mkdtempSync(path.join(os.tmpdir(), 'answerphone-minimal-ink-'));
await build({...bundleOptions(minimalSource, path.join(minimalBundleDir, 'plain'), {inkSpeedups: false}), logLevel: 'error'});
await build({...bundleOptions(minimalSource, path.join(minimalBundleDir, 'tuned')), logLevel: 'error'});
// As dist/ has the project's package.json above it: without one, Node would
// first guess whether the files are modules (~2 ms here).
writeFileSync(path.join(minimalBundleDir, 'package.json'), '{"type": "module"}\n');
const minimalInkBundled = path.join(minimalBundleDir, 'plain', 'minimal-ink.js');
const minimalInkTuned = path.join(minimalBundleDir, 'tuned', 'minimal-ink.js');

function isAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) {
		return false;
	}

	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

const log = flags.quiet ? () => undefined : (line: string) => {
	process.stderr.write(`  · ${line}\n`);
};

function tryRun(command: string, args: string[]): string | undefined {
	try {
		return execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], cwd: root}).trim();
	} catch {
		return undefined;
	}
}

const machine = {
	node: process.version,
	cores: os.availableParallelism?.() ?? os.cpus().length,
	cpu: os.cpus()[0]?.model.trim(),
	memoryGb: Math.round(os.totalmem() / (1024 ** 3)),
	kernel: `${os.type()} ${os.release()}`,
	loadAverage: os.loadavg().map(load => Number(load.toFixed(2))),
	sox: tryRun('sox', ['--version'])?.replace(/^sox:\s*/, ''),
	commit: tryRun('git', ['rev-parse', '--short', 'HEAD']),
	dirty: (tryRun('git', ['status', '--porcelain', '--', 'src']) ?? '') !== '',
};

console.log('answerphone benchmarks');
console.log(`node ${machine.node} · ${machine.cores} cores (${machine.cpu}) · ${machine.memoryGb} GB · ${machine.kernel}`);
console.log(`${machine.sox ?? 'sox missing!'} · commit ${machine.commit ?? '?'}${machine.dirty ? ' + uncommitted src/ changes' : ''} · load average ${machine.loadAverage.join(' ')}`);
if (flags.quick) {
	console.log('quick mode: fewer runs, figures are rough');
}

console.log('');

const rows: Row[] = [];
const details: Record<string, unknown> = {};
const failures: Array<{suite: string; error: string}> = [];
const started = Date.now();
for (const name of chosen) {
	const suiteStarted = Date.now();
	process.stderr.write(`${name}…\n`);
	try {
		const result = await suites[name]!({cli, minimalInk, minimalInkBundled, minimalInkTuned, log, quick: flags.quick, root});
		rows.push(...result.rows);
		details[name] = result.details;
	} catch (caught) {
		const error = caught as Error;
		failures.push({suite: name, error: error.message});
		rows.push({bench: name, measure: 'FAILED TO RUN', value: '', unit: '', spread: error.message.slice(0, 120), target: '', pass: false});
		details[name] = {error: error.message, stack: error.stack};
	}

	process.stderr.write(`${name} done in ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s\n`);
}

// The table.
const mark = (pass: boolean | null) => (pass === null ? '' : (pass ? 'PASS' : 'FAIL'));
const header = ['bench', 'measure', 'median', '', 'target', '', 'spread / notes'];
const table = rows.map(entry => [entry.bench, entry.measure, String(entry.value), entry.unit, entry.target, mark(entry.pass), entry.spread]);
const widths = header.map((title, column) => Math.max(title.length, ...table.map(line => line[column]!.length)));
const format = (line: string[]) => line.map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
console.log('');
console.log(format(header));
console.log(widths.map(width => '─'.repeat(width)).join('  '));
let previous = '';
for (const line of table) {
	if (previous !== '' && line[0] !== previous) {
		console.log('');
	}

	previous = line[0]!;
	console.log(format(line));
}

const loadAverageAtEnd = os.loadavg().map(load => Number(load.toFixed(2)));
const judged = rows.filter(entry => entry.pass !== null);
const passed = judged.filter(entry => entry.pass).length;
console.log('');
console.log(`${passed}/${judged.length} targets met · ${((Date.now() - started) / 1000).toFixed(0)} s · load average now ${loadAverageAtEnd.join(' ')} · figures in ${path.relative(process.cwd(), path.join(dataDir, 'results.json'))}`);

writeFileSync(path.join(dataDir, 'results.json'), JSON.stringify({
	date: new Date().toISOString(),
	machine: {...machine, loadAverageAtEnd},
	quick: flags.quick,
	summary: rows,
	failures,
	details,
}, null, 2) + '\n');
rmSync(distCopy, {recursive: true, force: true});
rmSync(minimalBundleDir, {recursive: true, force: true});

process.exitCode = failures.length > 0 ? 1 : (flags.strict && passed < judged.length ? 1 : 0);
