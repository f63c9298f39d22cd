// 2. Importing a 20-minute WAV with `record --input FILE`.
import {createReadStream, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import type {MessageMeta} from '../../src/tape/message.js';
import {dataDir, freshStore, noiseWav} from '../fixtures.js';
import {timeProcess} from '../lib/processes.js';
import {row, spreadOf, type Row, type SuiteContext, type SuiteResult} from '../lib/report.js';
import {median, nowMs, repeat, round, summary} from '../lib/stats.js';

export async function importBench({cli, log, quick}: SuiteContext): Promise<SuiteResult> {
	const seconds = 1200;
	const inputs = [
		{name: 'noise-20m-44k-stereo', label: '44.1 kHz stereo', rate: 44_100, channels: 2},
		{name: 'noise-20m-16k-mono', label: '16 kHz mono', rate: 16_000, channels: 1},
	];
	const runs = quick ? 2 : 5;
	const rows: Row[] = [];
	const details: Record<string, unknown> = {};
	for (const input of inputs) {
		const started = nowMs();
		const {file, cached} = noiseWav(input.name, {seconds, rate: input.rate, channels: input.channels});
		log(`import: ${input.label} WAV ${cached ? 'cached' : `made in ${Math.round(nowMs() - started)} ms`}`);
		// Read it once so every run starts with the file in the page cache.
		await pipeline(createReadStream(file), async (source: AsyncIterable<Buffer>) => {
			for await (const _ of source) {
				// Drained, not kept: only the page cache is wanted.
			}
		});
		const store = path.join(dataDir, `import-store-${input.name}`);
		rmSync(store, {recursive: true, force: true});
		await timeProcess(process.execPath, [cli, 'settings', '--store', store, '--tape', '30m', '--max-message', '25m']);
		const imports = await repeat(runs, quick ? 10_000 : 30_000, async index => {
			freshStore(store);
			const result = await timeProcess(process.execPath, [cli, 'record', '--input', file, '--store', store, '--from', 'bench'], {keepStdout: true, cpu: true});
			const id = result.stdout.trim();
			const meta = JSON.parse(readFileSync(path.join(store, 'messages', `${id}.json`), 'utf8')) as MessageMeta;
			if (Math.abs(meta.durationMs - (seconds * 1000)) > 1000) {
				throw new Error(`imported ${meta.durationMs} ms, expected ${seconds * 1000}`);
			}

			log(`import: ${input.label} run ${index + 1}/${runs} ${Math.round(result.ms)} ms wall (${round(seconds / (result.ms / 1000), 0)}× real time), ${Math.round(result.cpuMs ?? Number.NaN)} ms CPU with sox`);
			return result;
		}, 2);

		freshStore(store);
		// What one sox alone needs for the same conversion (the arguments of
		// src/audio/import.ts, without the split across cores), into a pipe
		// that Node drains.
		const soxRuns = await repeat(3, 10_000, () => timeProcess('sox', [
			'-V1', '--no-show-progress', '--no-dither', '--buffer', '131072', file, '--type', 'raw', '--rate', '16000', '--channels', '1',
			'--encoding', 'signed-integer', '--bits', '16', '--endian', 'little', '-', 'channels', '1', 'rate', '16000',
		], {cpu: true}), 1);

		const stats = summary(imports.map(result => result.ms));
		const cpu = median(imports.map(result => result.cpuMs));
		const soxStats = summary(soxRuns.map(result => result.ms));
		const soxCpu = median(soxRuns.map(result => result.cpuMs));
		const speed = seconds / (stats.median / 1000);
		const soxSpeed = seconds / (soxStats.median / 1000);
		rows.push(
			row('2 import', `record --input, 20 min ${input.label}`, round(speed, 0), {unit: '× real time', spread: `${round(stats.median / 1000, 2)} s wall, ${round(cpu / 1000, 2)} s CPU; ${spreadOf(stats, 0, ' ms')}`, target: '≥ 500×', pass: speed >= 500}),
			row('2 import', `  one sox converting alone (reference)`, round(soxSpeed, 0), {unit: '× real time', spread: `${round(soxStats.median / 1000, 2)} s wall, ${round(soxCpu / 1000, 2)} s CPU (n=${soxStats.runs})`}),
		);
		details[input.name] = {
			wallMs: imports.map(result => result.ms),
			cpuMs: imports.map(result => result.cpuMs),
			stats,
			speedX: speed,
			soxAloneMs: soxRuns.map(result => result.ms),
			soxAloneCpuMs: soxRuns.map(result => result.cpuMs),
			soxStats,
			soxSpeedX: soxSpeed,
		};
		rmSync(store, {recursive: true, force: true});
	}

	return {rows, details};
}
