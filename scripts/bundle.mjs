// Bundles the CLI into dist/ with esbuild. One bundled file loads far faster
// than Ink's hundreds of modules; code splitting keeps the screen (Ink and
// React) out of the scripted commands, which never draw it.
import {build} from 'esbuild';
import {rename, rm} from 'node:fs/promises';

// Built beside dist/ and swapped in at the end, so a test or a bench running
// the old build meanwhile never finds dist/ half-written or missing.
const next = `dist.next-${process.pid}`;
await rm(next, {recursive: true, force: true});
await build({
	entryPoints: ['src/cli.tsx'],
	outdir: next,
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
	// a bundler cannot follow; it is tiny, so it stays in node_modules.
	// react-devtools-core is an optional import of Ink's that we never use.
	external: ['node-record-lpcm16', 'react-devtools-core'],
	define: {'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"'},
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
});
const previous = `dist.old-${process.pid}`;
await rename('dist', previous).catch(() => undefined);
await rename(next, 'dist');
await rm(previous, {recursive: true, force: true});
