// The built machine in a real terminal (tmux): keys that arrive in one read
// all count, and the counter blinks by rewriting its own cells, which every
// terminal shows (unlike the blink attribute kitty or Alacritty ignore).
import {execFile} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {TmuxScreen} from '../helpers/tmux.js';
import {writeToneWav} from '../helpers/pcm.js';

const run = promisify(execFile);
const cli = path.resolve('dist/cli.js');
let dir: string;
let store: string;
let config: string;
let screen: TmuxScreen | undefined;

async function answerphone(...args: string[]): Promise<string> {
	const {stdout} = await run('node', [cli, ...args], {env: {...process.env, ANSWERPHONE_STORE: store, ANSWERPHONE_CONFIG: config}});
	return stdout.trim();
}

/** Opens the machine on the store in a 100×30 terminal, once it shows the messages. */
async function open(env: Record<string, string> = {}): Promise<TmuxScreen> {
	screen = TmuxScreen.start(`node ${cli}`, {columns: 100, rows: 30, env: {ANSWERPHONE_STORE: store, ANSWERPHONE_CONFIG: config, PATH: process.env['PATH'] ?? '', ...env}});
	await screen.waitFor(text => text.includes('from kim'));
	return screen;
}

/** The row of the message list the cursor is on, counted from the list's first row. */
function cursorRow(text: string): number {
	return text.split('\n').filter(line => /from (?:jo|alex|sam|kim)/.test(line)).findIndex(line => /^[›▶]/.test(line));
}

/** The counter's cells: the first nine columns of the five rows below the title. */
function counterCells(text: string): string {
	return text.split('\n').slice(1, 6).map(line => [...line].slice(0, 9).join('')).join('\n');
}

/** Every different look of the counter over ms, sampled ten times a second. */
async function counterLooks(terminal: TmuxScreen, ms: number, capture = () => terminal.capture()): Promise<Set<string>> {
	const looks = new Set<string>();
	for (let waited = 0; waited < ms; waited += 100) {
		looks.add(counterCells(capture()));
		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}

	return looks;
}

beforeAll(() => {
	if (!findProgram('tmux')) {
		throw new Error('tmux is not installed (apt-get install tmux)');
	}
});

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'answerphone-keys-blink-'));
	store = path.join(dir, 'store');
	config = path.join(dir, 'config.json');
	const wav = path.join(dir, 'two-seconds.wav');
	await writeToneWav(wav, 2000);
	for (const from of ['jo', 'alex', 'sam', 'kim']) {
		await answerphone('record', '--input', wav, '--from', from);
	}
});

afterEach(async () => {
	screen?.kill();
	screen = undefined;
	await rm(dir, {recursive: true, force: true});
});

describe('the machine in tmux', () => {
	it('moves two rows for "jj" sent in one read, as SSH or a held key sends them', async () => {
		const terminal = await open();
		const start = cursorRow(terminal.capture());
		expect(start).toBeGreaterThanOrEqual(0);
		const [keys, by] = start <= 1 ? ['jj', 2] : ['kk', -2];
		terminal.keys('-l', keys);
		await terminal.waitFor(text => cursorRow(text) === start + by, 5000);
	}, 30_000);

	it('blinks the counter\'s cells while a message is new, and stops, lit, once all are heard', async () => {
		const terminal = await open();
		// Two captures 0.6 s apart differ in the counter's cells: drawn, then erased.
		const first = counterCells(terminal.capture());
		await new Promise(resolve => {
			setTimeout(resolve, 600);
		});
		expect(counterCells(terminal.capture())).not.toBe(first);
		const looks = await counterLooks(terminal, 1500);
		expect([...looks].some(look => look.includes('███'))).toBe(true);
		expect([...looks].some(look => look.trim() === '')).toBe(true);
		// Lit, the digits are still the red LED, drawn in place of Ink's frame.
		// eslint-disable-next-line no-control-regex -- the styles are stripped to find the digits
		const styled = await waitForStyled(terminal, text => counterCells(text.replaceAll(/\u001B\[[\d;]*m/g, '')).includes('███'));
		// eslint-disable-next-line no-control-regex -- the colour is what is looked for
		expect(styled.split('\n')[1]).toMatch(/\u001B\[[\d;]*31[\d;]*m/);

		const ids = (JSON.parse(await answerphone('list', '--json')) as Array<{id: string}>).map(message => message.id);
		await answerphone('mark', ...ids, '--heard');
		await terminal.waitFor(text => text.includes('0 new · 4 messages'));
		const heard = await counterLooks(terminal, 1500);
		expect(heard.size).toBe(1);
		expect([...heard][0]).toContain('███');
	}, 30_000);

	it('with blink "off" and NO_COLOR keeps the counter steady, in reverse video while a message is new', async () => {
		await writeFile(config, JSON.stringify({blink: 'off'}));
		const terminal = await open({NO_COLOR: '1'});
		const looks = await counterLooks(terminal, 1500);
		expect(looks.size).toBe(1);
		expect([...looks][0]).toContain('███');
		// eslint-disable-next-line no-control-regex -- reverse video is what is looked for
		expect(terminal.captureStyled().split('\n')[1]).toMatch(/\u001B\[(?:[\d;]*;)?7(?:;[\d;]*)?m/);
	}, 30_000);
});

async function waitForStyled(terminal: TmuxScreen, check: (styled: string) => boolean): Promise<string> {
	for (let tries = 0; tries < 30; tries++) {
		const styled = terminal.captureStyled();
		if (check(styled)) {
			return styled;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	throw new Error('the counter never showed lit');
}
