// The built machine in a real terminal (tmux): keys that arrive in one read
// all count, and the counter blinks by rewriting its own cells, which every
// terminal shows (unlike the blink attribute kitty or Alacritty ignore).
import {writeFile} from 'node:fs/promises';
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {MachineInTmux, requireTmux} from '../helpers/tmux-machine.js';
import type {TmuxScreen} from '../helpers/tmux.js';

let machine: MachineInTmux;

/** Opens the machine on the store in a 100×30 terminal, once it shows the messages. */
async function open(env: Record<string, string> = {}): Promise<TmuxScreen> {
	return machine.open(text => text.includes('from kim'), {env});
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

beforeAll(requireTmux);

beforeEach(async () => {
	machine = await MachineInTmux.create('keys-blink');
	for (const from of ['jo', 'alex', 'sam', 'kim']) {
		await machine.leave(from);
	}
});

afterEach(async () => {
	await machine.close();
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

		const ids = (JSON.parse(await machine.answerphone('list', '--json')) as Array<{id: string}>).map(message => message.id);
		await machine.answerphone('mark', ...ids, '--heard');
		await terminal.waitFor(text => text.includes('0 new · 4 messages'));
		const heard = await counterLooks(terminal, 1500);
		expect(heard.size).toBe(1);
		expect([...heard][0]).toContain('███');
	}, 30_000);

	it('with blink "off" and NO_COLOR keeps the counter steady, in reverse video while a message is new', async () => {
		await writeFile(machine.config, JSON.stringify({blink: 'off'}));
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
