// 10. The household's login line and prompt: `answerphone status --login`
// on a 10,000-message store, against Node's own start-up in the same run
// (the line runs at every login, so it may cost little more than Node
// starting), and the prompt's segment, `cat STORE/status/NAME`, against
// `cat` of any one-line file (a prompt runs it at every command).
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {dataDir, listStore} from '../fixtures.js';
import {timeProcess} from '../lib/processes.js';
import {row, spreadOf, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {median, repeat, round, summary} from '../lib/stats.js';

export async function loginBench({cli, log, quick}: SuiteContext): Promise<SuiteResult> {
	const count = 10_000;
	const {dir} = listStore(count);
	// The store named as a login shell has it (the environment; a flag would
	// send it the full way), and no config file of the developer's.
	const env = {
		...process.env,
		ANSWERPHONE_STORE: dir,
		ANSWERPHONE_AS: 'sam',
		ANSWERPHONE_CONFIG: path.join(dataDir, 'no-config.json'),
		ANSWERPHONE_SYSTEM_CONFIG: path.join(dataDir, 'no-system-config.json'),
		ANSWERPHONE_CACHE: path.join(dataDir, 'login-cache'),
	};
	const fullWay = () => timeProcess(process.execPath, [cli, 'status', '--login', '--as', 'sam'], {env, keepStdout: true, cpu: true});
	const quickWay = () => timeProcess(process.execPath, [cli, 'status', '--login'], {env, keepStdout: true, cpu: true});
	const node = () => timeProcess(process.execPath, ['-e', '0'], {cpu: true});

	// The full way (a flag sends it there) reads every message and brings
	// the status files up to date; the quick way must then say the same.
	const full = await fullWay();
	const check = await quickWay();
	if (full.stdout === '' || check.stdout !== full.stdout) {
		throw new Error(`status --login said ${JSON.stringify(check.stdout)}, the full way ${JSON.stringify(full.stdout)}`);
	}

	log(`login: ${full.stdout.trim()}`);
	const runs = quick ? 5 : 20;
	const login: number[] = [];
	const loginCpu: number[] = [];
	const floor: number[] = [];
	const floorCpu: number[] = [];
	await repeat(runs, quick ? 10_000 : 40_000, async index => {
		// Alternate, so that any drift in the machine's load hits both alike.
		const line = await quickWay();
		login.push(line.ms);
		loginCpu.push(line.cpuMs ?? Number.NaN);
		const start = await node();
		floor.push(start.ms);
		floorCpu.push(start.cpuMs ?? Number.NaN);
		log(`login: run ${index + 1}/${runs}: status --login ${Math.round(line.ms)} ms, node -e 0 ${Math.round(start.ms)} ms`);
	}, 5);
	const fullRuns = await repeat(quick ? 1 : 3, 20_000, async () => fullWay(), 1);

	// The prompt: one small file each, read the same way, at the same depth.
	// A cat is a millisecond, less than spawning from here varies by under
	// load: each figure is a shell's loop of 50, batches alternating.
	const statusFile = path.join(dir, 'status', 'sam');
	const oneLine = path.join(dataDir, 'one-line', 'status', 'line.txt');
	mkdirSync(path.dirname(oneLine), {recursive: true});
	writeFileSync(oneLine, readFileSync(statusFile));
	const perCat = 50;
	const cats = async (file: string) => (await timeProcess('/bin/sh', ['-c', `i=0; while [ $i -lt ${perCat} ]; do cat "$0" >/dev/null; i=$((i+1)); done`, file])).ms / perCat;
	const prompt: number[] = [];
	const plain: number[] = [];
	await repeat(quick ? 6 : 20, 30_000, async () => {
		prompt.push(await cats(statusFile));
		plain.push(await cats(oneLine));
	}, 6);

	const loginStats = summary(login);
	const floorStats = summary(floor);
	const fullStats = summary(fullRuns.map(run => run.ms));
	const promptStats = summary(prompt);
	const plainStats = summary(plain);
	const loginRatio = loginStats.median / floorStats.median;
	const promptRatio = promptStats.median / plainStats.median;
	return {
		rows: [
			row('10 login', `status --login, ${count.toLocaleString('en')} messages ÷ node -e 0`, round(loginRatio, 2), {unit: '×', spread: `${round(loginStats.median, 0)} ms vs ${round(floorStats.median, 0)} ms; CPU ${round(median(loginCpu), 0)} vs ${round(median(floorCpu), 0)} ms (${round(median(loginCpu) / median(floorCpu), 2)}×) (n=${loginStats.runs})`, target: '≤ 1.3', pass: loginRatio <= 1.3}),
			row('10 login', 'status --login, the full way (reference)', round(fullStats.median, 0), {unit: 'ms', spread: `${spreadOf(fullStats)}; CPU ${round(median(fullRuns.map(run => run.cpuMs)), 0)} ms`}),
			// The same read of the same bytes: equal within the noise of two cats (5%).
			row('10 login', 'prompt: cat status/NAME ÷ cat a one-line file', round(promptRatio, 2), {unit: '×', spread: `${round(promptStats.median, 2)} ms vs ${round(plainStats.median, 2)} ms a cat (n=${promptStats.runs}×${perCat})`, target: '≤ 1.0 (±5%)', pass: promptRatio <= 1.05}),
		],
		details: {
			messages: count,
			line: full.stdout,
			loginMs: login,
			loginCpuMs: loginCpu,
			nodeFloorMs: floor,
			nodeFloorCpuMs: floorCpu,
			fullWayMs: fullRuns.map(run => run.ms),
			promptMs: prompt,
			oneLineCatMs: plain,
			loginStats,
			floorStats,
			fullStats,
			promptStats,
			plainStats,
		},
	};
}
