// Issue 12, item 8: what the bundle changes in Ink's dependencies for a
// faster first frame (scripts/bundle.mjs): each measured there, each
// checked here on a bundle made the same way and run by Node.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {build} from 'esbuild';
import stringWidth from 'string-width';
import {afterAll, describe, expect, it} from 'vitest';
import {bundleOptions} from '../../scripts/bundle.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const folder = mkdtempSync(path.join(os.tmpdir(), 'answerphone-bundle-speedups-'));
afterAll(() => {
	rmSync(folder, {recursive: true, force: true});
});

// Counts what the bundle asks of fetch() and how often it builds string-width's
// emoji pattern, and passes both on.
const spy = path.join(folder, 'spy.mjs');
writeFileSync(spy, `const realFetch = globalThis.fetch;
globalThis.seen = {fetchCalls: 0, emojiPatterns: 0};
globalThis.fetch = (...args) => {
	globalThis.seen.fetchCalls++;
	return realFetch(...args);
};
globalThis.seen.segmenters = 0;
const RealSegmenter = Intl.Segmenter;
Intl.Segmenter = new Proxy(RealSegmenter, {
	construct(target, args) {
		globalThis.seen.segmenters++;
		return Reflect.construct(target, args);
	},
});
const RealRegExp = globalThis.RegExp;
globalThis.RegExp = new Proxy(RealRegExp, {
	construct(target, args) {
		if (String(args[0]).includes('RGI_Emoji')) {
			globalThis.seen.emojiPatterns++;
		}

		return Reflect.construct(target, args);
	},
});
`);

type Seen = {fetchCalls: number; emojiPatterns: number; segmenters: number};

async function bundleAndRun(name: string, source: string, inkSpeedups: boolean): Promise<Seen & Record<string, unknown>> {
	const entry = path.join(folder, `${name}.js`);
	writeFileSync(entry, source);
	const outdir = path.join(folder, name);
	await build({...bundleOptions(entry, outdir, {inkSpeedups}), nodePaths: [path.join(root, 'node_modules')], logLevel: 'error'});
	return JSON.parse(execFileSync(process.execPath, ['--import', spy, path.join(outdir, `${name}.js`)], {encoding: 'utf8'})) as Seen & Record<string, unknown>;
}

const yoga = `import Yoga from 'yoga-layout';
const node = Yoga.Node.create();
node.setWidth(42);
node.calculateLayout(undefined, undefined, Yoga.DIRECTION_LTR);
console.log(JSON.stringify({width: node.getComputedWidth(), ...globalThis.seen}));
`;

const emoji = ['👍', '👍🏽', '👨‍👩‍👧', '🇫🇷', '1\u20E3', '☺', '☺\uFE0F', '日本', 'a\u0301'];
const widths = `import stringWidth from 'string-width';
const atLoad = globalThis.seen.emojiPatterns;
const widths = ${JSON.stringify(emoji)}.map(text => stringWidth(text));
console.log(JSON.stringify({atLoad, widths, ...globalThis.seen}));
`;

describe('Yoga in the bundle', () => {
	it('loads and lays out without calling fetch()', async () => {
		expect(await bundleAndRun('yoga-tuned', yoga, true)).toMatchObject({width: 42, fetchCalls: 0});
	});

	it('calls fetch() when bundled as any Ink app is (what the speed-up avoids)', async () => {
		expect(await bundleAndRun('yoga-plain', yoga, false)).toMatchObject({width: 42, fetchCalls: 1});
	});
});

describe('string-width in the bundle', () => {
	it('builds its emoji pattern at the first text that needs it, not as it loads, and measures as string-width does', async () => {
		const seen = await bundleAndRun('width-tuned', widths, true);
		expect(seen).toMatchObject({atLoad: 0, emojiPatterns: 1, widths: emoji.map(text => stringWidth(text))});
	});

	it('builds it as it loads when bundled as any Ink app is', async () => {
		expect(await bundleAndRun('width-plain', widths, false)).toMatchObject({atLoad: 1, widths: emoji.map(text => stringWidth(text))});
	});
});

const frameLine = `import stringWidth from 'string-width';
import sliceAnsi from 'slice-ansi';
import {styledCharsFromTokens, styledCharsToString, tokenize} from '@alcalzone/ansi-tokenize';
const line = '\\u001B[2m╭──── TAPE ────╮\\u001B[22m ███ █ █ ▇▇▆ · 0:04 … ←';
const out = [stringWidth(line), sliceAnsi(line, 2, 12), styledCharsToString(styledCharsFromTokens(tokenize(line)))];
const atFrame = globalThis.seen.segmenters;
out.push(stringWidth('👍🏽 e\\u0301'));
console.log(JSON.stringify({atFrame, out, ...globalThis.seen}));
`;

describe('Intl.Segmenter in the bundle', () => {
	it('is not made for the lines the machine draws, only for other text', async () => {
		const tuned = await bundleAndRun('segmenter-tuned', frameLine, true);
		const plain = await bundleAndRun('segmenter-plain', frameLine, false);
		expect(tuned).toMatchObject({atFrame: 0, segmenters: 1, out: plain['out']});
		expect(plain['atFrame']).toBeGreaterThanOrEqual(3);
	});
});
