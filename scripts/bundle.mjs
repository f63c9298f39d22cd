// Bundles the CLI into dist/ with esbuild. One bundled file loads far faster
// than Ink's hundreds of modules; code splitting keeps the screen (Ink and
// React) out of the scripted commands, which never draw it.
//
//   node scripts/bundle.mjs               bundle now (install, pack, test)
//   node scripts/bundle.mjs --if-changed  only when a source is newer than dist/
import {readdirSync, realpathSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {readFile, rename, rm} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** Written last into dist/, dated when the bundling began: a source saved during it still counts as newer. */
const stamp = path.join(root, 'dist', '.bundled');

/**
 * Everything the bundle is made of. Folders count too: deleting or renaming
 * a file changes its folder's time, not any remaining file's. The lock files
 * change when a dependency (bundled into dist/) does.
 */
const inputs = ['src', 'assets', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'scripts/bundle.mjs', 'scripts/string-width-fast.mjs', 'scripts/ansi-tokenize-fast.mjs', 'scripts/no-devtools.mjs', 'scripts/no-command-here.mjs', 'scripts/segmenter-on-demand.mjs'];

function newestChange(file) {
	let info;
	try {
		info = statSync(file);
	} catch {
		return 0;
	}

	let newest = info.mtimeMs;
	if (info.isDirectory()) {
		for (const name of readdirSync(file)) {
			newest = Math.max(newest, newestChange(path.join(file, name)));
		}
	}

	return newest;
}

/** True when dist/ was bundled after the last change to any input (a walk of about a hundred files: milliseconds). */
export function bundleIsFresh() {
	let bundledAt;
	try {
		bundledAt = statSync(stamp).mtimeMs;
	} catch {
		return false;
	}

	return inputs.every(input => newestChange(path.join(root, input)) < bundledAt);
}

/**
 * The machine's first frame paid ~45 ms for Yoga (Ink's layout engine) to
 * turn its WebAssembly from a base64 data: URL into bytes through fetch(),
 * which loads and compiles Node's whole fetch implementation (undici) just
 * for that: yoga-layout's loader (Emscripten) takes that way whenever fetch
 * exists. Hidden from that one module, the loader decodes the string itself:
 * 31 ms instead of 76 ms for `import('yoga-layout')` here. Should a later
 * yoga-layout change its loader, this only stops saving the time.
 */
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async ({path: file}) => ({
			contents: `const fetch = undefined;\n${await readFile(file, 'utf8')}`,
			loader: 'js',
		}));
	},
};

/**
 * string-width builds its RGI emoji pattern when it loads: 13.5 ms of the
 * screen's start (Node 20 compiles /^\p{RGI_Emoji}$/v, a property of strings,
 * as the expression is made), though the machine's text takes the fast path
 * of string-width-fast.mjs and seldom reaches it. Here it is built at its
 * first use. Should a later string-width write it otherwise, the build stops
 * and says so.
 */
const stringWidthEmojiOnDemand = {
	name: 'string-width-emoji-on-demand',
	setup(build) {
		build.onLoad({filter: /[\\/]string-width[\\/]index\.js$/}, async ({path: file}) => {
			const eager = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
			const contents = await readFile(file, 'utf8');
			if (!contents.includes(eager)) {
				throw new Error(`${file} no longer has "${eager}": see stringWidthEmojiOnDemand in scripts/bundle.mjs`);
			}

			const onDemand = 'let rgiEmojiPattern; const rgiEmojiRegex = {test: text => (rgiEmojiPattern ??= /^\\p{RGI_Emoji}$/v).test(text)};';
			return {contents: contents.replace(eager, onDemand), loader: 'js'};
		});
	},
};

/**
 * How the CLI is bundled. The benchmarks bundle their minimal Ink app the
 * same way (bench/run.ts), so that the first frames they compare are both
 * from one bundled file: with inkSpeedups false, as any Ink app bundled
 * with esbuild would be (the yardstick), and with them, for reference.
 */
export function bundleOptions(entry, outdir, {inkSpeedups = true} = {}) {
	return {
		entryPoints: [entry],
		outdir,
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		jsx: 'automatic',
		minify: true,
		sourcemap: false,
		legalComments: 'none',
		chunkNames: 'chunks/[name]-[hash]',
		// node-record-lpcm16 loads its recorders with a computed require(), which
		// a bundler cannot follow; it is tiny, so it stays in node_modules (and
		// is the one runtime dependency an installed answerphone needs).
		// react-devtools-core is an optional import of Ink's that we never use.
		external: ['node-record-lpcm16', 'react-devtools-core'],
		define: {'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"', ...(inkSpeedups ? {'Intl.Segmenter': 'OnDemandSegmenter'} : {})},
		// Escaped in strings, but not in regular expressions: one other
		// character there and Node decodes the whole file as UTF-16 (~2 ms more
		// for the screen's 600 kB). So src/ writes such characters as \u
		// escapes in its regular expressions (test/e2e/screen-bundle.test.ts
		// checks dist/).
		charset: 'ascii',
		// The first frame measured ~100 ms of string-width on box-drawing and
		// block characters (see string-width-fast.mjs); the bundle takes the
		// same widths from a faster path.
		alias: inkSpeedups ? {
			'string-width': path.join(root, 'scripts', 'string-width-fast.mjs'),
			// ~11 ms of every full frame went to restyling text character by
			// character (see ansi-tokenize-fast.mjs).
			'@alcalzone/ansi-tokenize': path.join(root, 'scripts', 'ansi-tokenize-fast.mjs'),
		} : {},
		plugins: inkSpeedups ? [yogaWithoutFetch, stringWidthEmojiOnDemand] : [],
		// Loading ICU's grapheme rules cost 14 ms of the first frame, for lines
		// that need none of them (see segmenter-on-demand.mjs).
		inject: inkSpeedups ? [path.join(root, 'scripts', 'segmenter-on-demand.mjs')] : [],
		// The CommonJS dependencies bundled into ESM still call require() for
		// Node's own modules and read __filename.
		banner: {js: [
			'import {createRequire as __answerphoneRequire} from \'node:module\';',
			'import {fileURLToPath as __answerphonePath} from \'node:url\';',
			'const require=__answerphoneRequire(import.meta.url);',
			'const __filename=__answerphonePath(import.meta.url);',
			'const __dirname=__answerphonePath(new URL(\'.\', import.meta.url));',
		].join('')},
		logLevel: 'warning',
	};
}

/**
 * The screen's bundle: the whole command line (src/main.tsx) in one file,
 * dist/screen.js, which cli.tsx loads when the machine opens. Split into
 * chunks, the screen's start read 17 files one level of imports after the
 * other, each a trip through Node's thread pool: ~15 ms of its first frame
 * on 2 busy cores. The scripted commands keep the split files, which never
 * load Ink and React.
 */
export function screenBundleOptions(outdir) {
	const split = bundleOptions(path.join(root, 'src', 'main.tsx'), outdir);
	return {
		...split,
		splitting: false,
		entryNames: 'screen',
		plugins: [...split.plugins, inkWithoutDevtools, noCommandsOnTheScreen],
	};
}

/**
 * The commands main.tsx loads for a verb (list, record, doctor…) never run
 * from the screen's bundle: cli.tsx sends every command line that names a
 * verb to the split files (src/opens-the-screen.ts). Left out, they are 30 kB
 * less to parse at every start (~5 ms); no-command-here.mjs stands in.
 */
const noCommandsOnTheScreen = {
	name: 'no-commands-on-the-screen',
	setup(build) {
		build.onResolve({filter: /^\.\/commands\/(?:record|list|status|settings|play|change|export|greeting|mailbox|doctor|setup|completion)\.js$/}, ({importer}) => (importer === path.join(root, 'src', 'main.tsx') ? {path: path.join(root, 'scripts', 'no-command-here.mjs')} : undefined));
	},
};

/**
 * Ink imports its developer tools only when DEV=true. Bundled into the
 * screen's one file, they would stand in its imports (react-devtools-core,
 * not installed) and bring 49 kB of WebSocket code to parse at every start:
 * no-devtools.mjs stands in for them.
 */
const inkWithoutDevtools = {
	name: 'ink-without-devtools',
	setup(build) {
		build.onResolve({filter: /^\.\/devtools\.js$/}, ({importer}) => (/[\\/]ink[\\/]build[\\/]reconciler\.js$/.test(importer) ? {path: path.join(root, 'scripts', 'no-devtools.mjs')} : undefined));
	},
};

export async function bundle() {
	// Loaded here, not at the top: `npm start` on a fresh bundle never needs it.
	const {build} = await import('esbuild').catch(() => {
		// `npm install -g .` in a clone nobody ran `npm install` in ends here.
		console.error('answerphone: esbuild is missing; run `npm install` in this folder first (the bundle is made with the development dependencies)');
		process.exit(1);
	});
	const startedAt = new Date();
	// Built beside dist/ and swapped in at the end, so a test or a bench running
	// the old build meanwhile never finds dist/ half-written or missing.
	const next = path.join(root, `dist.next-${process.pid}`);
	await rm(next, {recursive: true, force: true});
	await Promise.all([
		build(bundleOptions(path.join(root, 'src/cli.tsx'), next)),
		build(screenBundleOptions(next)),
	]).catch(async error => {
		await rm(next, {recursive: true, force: true});
		// esbuild has printed the errors itself, each with its place in the source.
		if (Array.isArray(error?.errors)) {
			process.exit(1);
		}

		throw error;
	});
	writeFileSync(path.join(next, '.bundled'), '');
	utimesSync(path.join(next, '.bundled'), startedAt, startedAt);
	const previous = path.join(root, `dist.old-${process.pid}`);
	await rename(path.join(root, 'dist'), previous).catch(() => undefined);
	await rename(next, path.join(root, 'dist'));
	await rm(previous, {recursive: true, force: true});
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
	if (!(process.argv.includes('--if-changed') && bundleIsFresh())) {
		await bundle();
	}
}
