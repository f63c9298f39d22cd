// 3b. Memory of the microphone path (Tape.beginDraft + Take, fake microphone).
import path from 'node:path';
import {benchDir, dataDir} from '../fixtures.js';
import type {MicTakeReport} from '../mic-take.js';
import {timeProcess} from '../lib/processes.js';
import {mb, row, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {median, round} from '../lib/stats.js';
import {flatVerdict} from './memory.js';

async function runMicTake(seconds: number, store: string): Promise<MicTakeReport> {
	const result = await timeProcess(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(benchDir, 'mic-take.ts'), String(seconds), store], {keepStdout: true, cwd: path.dirname(benchDir)});
	return JSON.parse(result.stdout) as MicTakeReport;
}

export async function micBench({log, quick}: SuiteContext): Promise<SuiteResult> {
	const runs = quick ? 1 : 3;
	const lengths = [60, 1200] as const;
	const results: Record<typeof lengths[number], MicTakeReport[]> = {60: [], 1200: []};
	for (let index = 0; index < runs; index++) {
		for (const seconds of lengths) {
			const result = await runMicTake(seconds, path.join(dataDir, `mic-store-${process.pid}`));
			if (result.status !== 'saved' || Math.abs(result.savedMs - (seconds * 1000)) > 1000) {
				throw new Error(`mic take of ${seconds} s: ${result.status}, ${result.savedMs} ms`);
			}

			results[seconds].push(result);
			log(`memory: mic ${seconds / 60} min run ${index + 1}/${runs}: heap ${round(result.before.heapKb / 1024)}→${round(result.after.heapKb / 1024)} MB, RSS ${round(mb(result.before.rssKb))}→${round(mb(result.after.rssKb))} MB, peak ${round(mb(result.hwmKb))} MB (${round(mb(result.takePeakRssKb))} MB before the commit), at most ${result.peakQueuedKb} kB queued, pushed in ${result.pushedMs} ms, commit ${result.commitMs} ms`);
		}
	}

	const pick = (seconds: typeof lengths[number], get: (result: MicTakeReport) => number) => median(results[seconds].map(get));
	const short = pick(60, result => result.hwmKb);
	const long = pick(1200, result => result.hwmKb);
	const heapGrowthKb = pick(1200, result => result.after.heapKb - result.before.heapKb);
	const takeShort = pick(60, result => result.takePeakRssKb);
	const takeLong = pick(1200, result => result.takePeakRssKb);
	const commitMs = pick(1200, result => result.commitMs);
	const verdict = flatVerdict(short, long);
	// Where RSS stood halfway through the 20 minutes against the end: a
	// plateau means any growth is bounded, not proportional to the length.
	const halfway = pick(1200, result => {
		const late = result.timeline.filter(sample => sample.audioS >= 600);
		return late[0]?.rssKb ?? Number.NaN;
	});
	const end = pick(1200, result => result.timeline.filter(sample => sample.phase === 'take').at(-1)?.rssKb ?? Number.NaN);
	// The same process after its first minute against its end: no start-up
	// differences between processes in it.
	const inRunGrowthKb = pick(1200, result => {
		const takeSamples = result.timeline.filter(sample => sample.phase === 'take');
		const afterMinute = takeSamples.find(sample => sample.audioS >= 60);
		return (takeSamples.at(-1)?.rssKb ?? Number.NaN) - (afterMinute?.rssKb ?? Number.NaN);
	});
	return {
		rows: [
			row('3 memory', 'mic Take: JS heap growth over 20 min (after GC)', round(heapGrowthKb / 1024, 2), {unit: 'MB', target: '≤ 1 MB', pass: heapGrowthKb <= 1024}),
			row('3 memory', 'mic Take: peak RSS, 1 min', round(mb(short)), {unit: 'MB', spread: `${results[60].map(result => round(mb(result.hwmKb))).join(', ')} MB`}),
			row('3 memory', 'mic Take: peak RSS, 20 min', round(mb(long)), {unit: 'MB', spread: `${results[1200].map(result => round(mb(result.hwmKb))).join(', ')} MB; RSS at 10 min ${round(mb(halfway))}, at 20 min ${round(mb(end))}`}),
			row('3 memory', '  20 min / 1 min peak', round(verdict.ratio, 3), {unit: `× (${verdict.growthKb >= 0 ? '+' : ''}${round(mb(verdict.growthKb))} MB)`, target: '≤ 1.10× or ≤ +5 MB', pass: verdict.pass}),
			row('3 memory', '  RSS at 20 min − at 1 min, one process', round(mb(inRunGrowthKb), 1), {unit: 'MB', spread: 'holding the audio would add ~36 MB'}),
			row('3 memory', '  the same before the commit', round(takeLong / takeShort, 3), {unit: `× (${round(mb(takeShort))} → ${round(mb(takeLong))} MB)`, spread: `commit of 20 min takes ${Math.round(commitMs)} ms`}),
		],
		details: {
			shortPeakKb: short,
			longPeakKb: long,
			heapGrowthKb,
			takePeakKb: {60: takeShort, 1200: takeLong},
			commitMs,
			rssAt10MinKb: halfway,
			inRunGrowthKb,
			rssAt20MinKb: end,
			...verdict,
			runs: Object.fromEntries(Object.entries(results).map(([seconds, list]) => [seconds, list.map(({timeline, ...rest}) => ({...rest, timeline: timeline.map(sample => [sample.audioS, sample.rssKb, sample.anonKb, sample.phase])}))])),
		},
	};
}
