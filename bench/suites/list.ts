// 1. `list --json` on 10,000 messages, as a whole process.
import path from 'node:path';
import {listStore} from '../fixtures.js';
import {timeProcess} from '../lib/processes.js';
import {row, spreadOf, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {median, nowMs, repeat, round, summary} from '../lib/stats.js';

export async function listBench({cli, log, quick}: SuiteContext): Promise<SuiteResult> {
	const count = 10_000;
	const started = nowMs();
	const {dir, cached} = listStore(count);
	log(`list: store of ${count} messages ${cached ? 'cached' : `written in ${Math.round(nowMs() - started)} ms`} at ${path.relative(process.cwd(), dir)}`);
	const runs = quick ? 3 : 10;
	const list = () => timeProcess(process.execPath, [cli, 'list', '--json', '--store', dir], {cpu: true});

	// Node's own start-up on this machine: the floor under any command.
	const floor = await repeat(runs, 5000, () => timeProcess(process.execPath, ['-e', '0'], {cpu: true}));

	// The first run also checks the output really is the 10,000 messages (a
	// change to the metadata format that made the store skip them shows here).
	const check = await timeProcess(process.execPath, [cli, 'list', '--json', '--store', dir], {keepStdout: true});
	const listed = JSON.parse(check.stdout) as unknown[];
	if (listed.length !== count || check.stderr.trim() !== '') {
		throw new Error(`list --json gave ${listed.length} messages, expected ${count}: ${check.stderr.trim()}`);
	}

	const runsDone = await repeat(runs, quick ? 10_000 : 40_000, async index => {
		const result = await list();
		log(`list: run ${index + 1}/${runs} ${Math.round(result.ms)} ms wall, ${Math.round(result.cpuMs ?? Number.NaN)} ms CPU`);
		return result;
	});
	const status = await repeat(3, 10_000, () => timeProcess(process.execPath, [cli, 'status', '--store', dir], {cpu: true}), 1);

	const stats = summary(runsDone.map(result => result.ms));
	const cpuStats = summary(runsDone.map(result => result.cpuMs));
	const floorStats = summary(floor.map(result => result.ms));
	const floorCpu = median(floor.map(result => result.cpuMs));
	const statusStats = summary(status.map(result => result.ms));
	const statusCpu = median(status.map(result => result.cpuMs));
	return {
		rows: [
			row('1 list', `list --json, ${count.toLocaleString('en')} messages`, round(stats.median, 0), {unit: 'ms', spread: `${spreadOf(stats)}; CPU ${round(cpuStats.median, 0)} ms`, target: '< 300 ms', pass: stats.median < 300}),
			row('1 list', `status, same store (reference)`, round(statusStats.median, 0), {unit: 'ms', spread: `${spreadOf(statusStats)}; CPU ${round(statusCpu, 0)} ms`}),
			row('1 list', 'node -e 0 (start-up floor)', round(floorStats.median, 0), {unit: 'ms', spread: `${spreadOf(floorStats)}; CPU ${round(floorCpu, 0)} ms`}),
		],
		details: {
			messages: count,
			outputBytes: check.stdoutBytes,
			listMs: runsDone.map(result => result.ms),
			listCpuMs: runsDone.map(result => result.cpuMs),
			statusMs: status.map(result => result.ms),
			statusCpuMs: status.map(result => result.cpuMs),
			nodeFloorMs: floor.map(result => result.ms),
			nodeFloorCpuMs: floor.map(result => result.cpuMs),
			stats,
			cpuStats,
			statusStats,
			floorStats,
		},
	};
}
