// Issue 12, item 8: the bundle loads Yoga (Ink's layout engine) without
// fetch(), which cost the first frame ~45 ms of loading Node's fetch
// implementation (scripts/bundle.mjs, yogaWithoutFetch).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {build} from 'esbuild';
import {afterAll, describe, expect, it} from 'vitest';
import {bundleOptions} from '../../scripts/bundle.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const folder = mkdtempSync(path.join(os.tmpdir(), 'answerphone-bundle-yoga-'));
afterAll(() => {
	rmSync(folder, {recursive: true, force: true});
});

// Counts the calls to fetch() while the bundle loads, and passes them on.
const spy = path.join(folder, 'spy.mjs');
writeFileSync(spy, `const real = globalThis.fetch;
globalThis.fetchCalls = 0;
globalThis.fetch = (...args) => {
	globalThis.fetchCalls++;
	return real(...args);
};
`);
const entry = path.join(folder, 'entry.js');
writeFileSync(entry, `import Yoga from 'yoga-layout';
const node = Yoga.Node.create();
node.setWidth(42);
node.calculateLayout(undefined, undefined, Yoga.DIRECTION_LTR);
console.log(JSON.stringify({width: node.getComputedWidth(), fetchCalls: globalThis.fetchCalls}));
`);

async function bundleAndRun(name: string, inkSpeedups: boolean): Promise<{width: number; fetchCalls: number}> {
	const outdir = path.join(folder, name);
	await build({...bundleOptions(entry, outdir, {inkSpeedups}), nodePaths: [path.join(root, 'node_modules')], logLevel: 'error'});
	return JSON.parse(execFileSync(process.execPath, ['--import', spy, path.join(outdir, 'entry.js')], {encoding: 'utf8'})) as {width: number; fetchCalls: number};
}

describe('Yoga in the bundle', () => {
	it('loads and lays out without calling fetch()', async () => {
		expect(await bundleAndRun('tuned', true)).toEqual({width: 42, fetchCalls: 0});
	});

	it('calls fetch() when bundled as any Ink app is (what the speed-up avoids)', async () => {
		expect(await bundleAndRun('plain', false)).toEqual({width: 42, fetchCalls: 1});
	});
});
