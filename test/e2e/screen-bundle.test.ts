// Issue 12, item 8: the machine's screen loads from one file, dist/screen.js
// (scripts/bundle.mjs, src/opens-the-screen.ts), not from the split chunks
// the scripted commands use: its first frame read 17 files one after another.
import {execFileSync} from 'node:child_process';
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {TmuxScreen} from '../helpers/tmux.js';
import {cli, requireTmux} from '../helpers/tmux-machine.js';
import {writeToneWav} from '../helpers/pcm.js';

const folders: string[] = [];
let screen: TmuxScreen | undefined;

beforeAll(() => {
	requireTmux();
});

afterEach(() => {
	screen?.kill();
	screen = undefined;
	for (const folder of folders.splice(0)) {
		rmSync(folder, {recursive: true, force: true});
	}
});

describe('the screen\'s bundle', () => {
	it('opens the machine without the split chunks of the command line and the screen, which a command needs', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'answerphone-screen-bundle-'));
		folders.push(dir);
		const store = path.join(dir, 'store');
		const wav = path.join(dir, 'tone.wav');
		await writeToneWav(wav, 2000);
		execFileSync('node', [cli, 'record', '--input', wav, '--from', 'jo', '--store', store]);
		// A copy of dist/ without main.tsx's and open-machine.tsx's chunks, in
		// the project (whose package.json makes .js files modules).
		const copy = mkdtempSync(path.join(path.dirname(cli), '..', 'dist.screen-only-'));
		folders.push(copy);
		cpSync(path.dirname(cli), copy, {recursive: true});
		const split = readdirSync(path.join(copy, 'chunks')).filter(name => /^(main|open-machine)-\w+\.js$/.test(name));
		expect(split).toHaveLength(2);
		for (const name of split) {
			rmSync(path.join(copy, 'chunks', name));
		}

		screen = TmuxScreen.start(`node ${path.join(copy, 'cli.js')} --store ${store}`);
		const shown = await screen.waitFor(text => text.includes(' from jo'));
		expect(shown).toContain('TAPE');
		screen.keys('q');
		expect(await screen.waitFor(text => text.includes('EXITED:'))).toContain('EXITED:0');
		expect(() => execFileSync('node', [path.join(copy, 'cli.js'), 'list', '--store', store], {stdio: 'pipe'})).toThrow(/chunks\/main-/);
		// What looks like the screen but is a mistake is told as the command line tells it.
		screen.kill();
		screen = TmuxScreen.start(`node ${path.join(copy, 'cli.js')} --store ${store} lsit`);
		expect(await screen.waitFor(text => text.includes('EXITED:'))).toMatch(/unknown command "lsit" \(answerphone --help\)\s+EXITED:2/);
	});

	it('is ASCII, as every file of dist/ (one other character and Node reads a whole file as UTF-16)', () => {
		const dist = path.dirname(cli);
		const files = ['cli.js', 'screen.js', ...readdirSync(path.join(dist, 'chunks')).map(name => path.join('chunks', name))];
		for (const file of files) {
			// eslint-disable-next-line no-control-regex -- what is looked for is anything but ASCII
			expect(readFileSync(path.join(dist, file), 'latin1').search(/[^\u0000-\u007F]/), `the first byte beyond ASCII in ${file}`).toBe(-1);
		}
	});
});
