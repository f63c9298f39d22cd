// Starting, watching and killing tape-child processes. The child script is
// bundled once per test file: a bundled file starts in about a tenth of the
// time tsx needs, and crash tests start dozens of children.
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {afterAll, afterEach, beforeAll} from 'vitest';
import type {ChildConfig, ChildEvent} from './tape-child.js';

export type {ChildConfig, ChildEvent, ReadState, StoreOp} from './tape-child.js';

export async function bundleChild(): Promise<{script: string; remove: () => Promise<void>}> {
	const folder = await mkdtemp(path.join(tmpdir(), 'answerphone-child-'));
	const script = path.join(folder, 'tape-child.mjs');
	await build({
		entryPoints: [fileURLToPath(new URL('tape-child.ts', import.meta.url))],
		outfile: script,
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'esm',
		logLevel: 'error',
		// The CommonJS dependencies (proper-lockfile) still
		// call require() for Node's own modules and read __filename once bundled
		// into ESM, as in scripts/bundle.mjs.
		banner: {js: [
			'import {createRequire as __childRequire} from \'node:module\';',
			'import {fileURLToPath as __childPath} from \'node:url\';',
			'const require = __childRequire(import.meta.url);',
			'const __filename = __childPath(import.meta.url);',
		].join('\n')},
	});
	return {script, remove: async () => rm(folder, {recursive: true, force: true})};
}

export class Child {
	readonly events: ChildEvent[] = [];
	readonly exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
	stderr = '';
	private readonly process: ChildProcess;
	private pending = '';
	private closed = false;
	private readonly listeners = new Set<() => void>();

	constructor(script: string, config: ChildConfig) {
		this.process = spawn(process.execPath, [script, JSON.stringify(config)], {stdio: [config.mode === 'serve' ? 'pipe' : 'ignore', 'pipe', 'pipe']});
		this.process.stdout!.setEncoding('utf8').on('data', (text: string) => {
			const lines = (this.pending + text).split('\n');
			this.pending = lines.pop() ?? '';
			for (const line of lines) {
				this.events.push(JSON.parse(line) as ChildEvent);
			}

			for (const listener of this.listeners) {
				listener();
			}
		});
		this.process.stderr!.setEncoding('utf8').on('data', (text: string) => {
			this.stderr = (this.stderr + text).slice(-4000);
		});
		// 'close', not 'exit': by then every line the child wrote has been read.
		this.exited = new Promise(resolve => {
			this.process.on('close', (code, signal) => {
				this.closed = true;
				for (const listener of this.listeners) {
					listener();
				}

				resolve({code, signal});
			});
		});
	}

	get pid(): number {
		return this.process.pid!;
	}

	/** Resolves with the first event (counting those already seen, from index since on) that matches. */
	async waitFor(match: (event: ChildEvent) => boolean, timeoutMs = 10_000, since = 0): Promise<ChildEvent> {
		return new Promise((resolve, reject) => {
			const check = () => {
				const found = this.events.find((event, index) => index >= since && match(event));
				if (found) {
					this.listeners.delete(check);
					clearTimeout(timer);
					resolve(found);
				} else if (this.closed) {
					this.listeners.delete(check);
					clearTimeout(timer);
					reject(new Error(`child ended before the awaited event; events: ${JSON.stringify(this.events.slice(-5))}; stderr: ${this.stderr}`));
				}
			};

			const timer = setTimeout(() => {
				this.listeners.delete(check);
				reject(new Error(`timed out waiting for the child; events: ${JSON.stringify(this.events.slice(-5))}; stderr: ${this.stderr}`));
			}, timeoutMs);
			this.listeners.add(check);
			check();
		});
	}

	/** Hands a serving child (mode 'serve') its next round; undefined ends it. */
	send(config: ChildConfig | undefined): void {
		if (config === undefined) {
			this.process.stdin!.end();
		} else {
			this.process.stdin!.write(JSON.stringify(config) + '\n');
		}
	}

	/** SIGKILL, the one signal a process cannot tidy up after; resolves once it is gone. */
	async kill(): Promise<void> {
		this.process.kill('SIGKILL');
		await this.exited;
	}

	/** Throws with the child's own words if it failed. */
	assertNoError(): void {
		const failure = this.events.find(event => event.event === 'error');
		if (failure) {
			throw new Error(`child failed: ${JSON.stringify(failure)}`);
		}
	}
}

/**
 * For a test file that runs child processes against temporary stores: the
 * child script is bundled once for the file, and every folder pushed onto
 * `folders` is removed after each test.
 */
export function useTapeChildren(): {script: () => string; folders: string[]} {
	let script = '';
	let removeBundle: () => Promise<void> = async () => undefined;
	const folders: string[] = [];
	beforeAll(async () => {
		({script, remove: removeBundle} = await bundleChild());
	});
	afterAll(async () => removeBundle());
	afterEach(async () => {
		await Promise.all(folders.splice(0).map(async folder => rm(folder, {recursive: true, force: true})));
	});
	return {script: () => script, folders};
}
