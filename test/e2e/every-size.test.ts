// The built machine in a real terminal (tmux) of every size and kind: a
// window made narrower, 40 to 100 columns, the help and the menus at 80×24
// and 100 columns, the Linux console and a locale that is not UTF-8.
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {MachineInTmux, requireTmux} from '../helpers/tmux-machine.js';
import type {TmuxScreen} from '../helpers/tmux.js';

let machine: MachineInTmux;

/** Opens the machine on the store, once it shows the messages. */
async function open(columns: number, rows: number, env: Record<string, string> = {}): Promise<TmuxScreen> {
	return machine.open(text => text.includes('from jo'), {columns, rows, env});
}

/** The screen's text in one line, as a reader follows wrapped lines. */
function flowing(text: string): string {
	return text.replaceAll(/[\s│]+/g, ' ');
}

beforeAll(requireTmux);

beforeEach(async () => {
	machine = await MachineInTmux.create('every-size', {housemates: ['sam', 'everyone-else-in-the-house']});
	await machine.leave('jo');
	await machine.leave('alexandra-the-great', 'sam');
});

afterEach(async () => {
	await machine.close();
});

describe('the machine in a window of any width', () => {
	it('leaves nothing of the wider frame behind when the window narrows, and keeps play, record, erase, quit and whole names', async () => {
		const terminal = await open(100, 30);
		for (const columns of [80, 60, 40]) {
			terminal.resize(columns);
			// The frame for the new width, and only it, on the screen: the title on
			// the first line, once, one list, one tape (stale lines stay for good).
			const text = await terminal.waitFor(shown => {
				const lines = shown.split('\n');
				return /^ answerphone +\S/.test(lines[0]!) && lines.some(line => line.startsWith('space play') && line.length <= columns)
					&& lines.filter(line => line.includes('answerphone')).length === 1
					&& lines.filter(line => line.includes('from jo')).length === 1
					&& lines.filter(line => line.includes('TAPE')).length === (columns >= 70 ? 2 : 1);
			}, 5000);
			const lines = text.split('\n');
			const footer = lines.find(line => line.startsWith('space play'))!;
			for (const key of ['space play', 'e erase', 'r record', 'q quit']) {
				expect(footer).toContain(key);
			}

			// "everyone" whole; a long name cut after a word (inside one only
			// when its first word alone is too long), always with an ellipsis.
			const rows = lines.filter(line => / from /.test(line));
			expect(rows[0]).toMatch(/ everyone +from jo /);
			expect(rows[1]).toMatch(columns >= 60 ? / sam +from alexandra(?:-the)?… / : / sam +from alexandr… /);
		}
	}, 40_000);

	it('wraps the help at 100 columns and at 80×24 instead of cutting it, within the screen', async () => {
		const wide = await open(100, 30);
		wide.keys('?');
		const help = await wide.waitFor(text => text.includes('Keys'));
		expect(flowing(help)).toContain('play new messages oldest first (else all); pause and resume');
		// Nothing cut at the edge of the box.
		expect(help).not.toMatch(/…\s*│$/m);
		wide.kill();

		const small = await open(80, 24);
		small.keys('?');
		const text = await small.waitFor(shown => shown.includes('Keys'));
		const lines = text.split('\n');
		// The top of the box is on screen: nothing scrolled off.
		expect(lines[0]).toMatch(/^╭─+╮$/);
		expect(text).not.toMatch(/…\s*│$/m);
		expect(flowing(text)).toContain('the greeting: p play it, r record your own, d the built-in one');
		expect(text).toContain('? or Esc closes this help');
	}, 30_000);

	it('wraps the greeting menu and the recipient prompt at 80 columns instead of cutting them', async () => {
		const terminal = await open(80, 24);
		terminal.keys('g');
		const menu = await terminal.waitFor(text => text.includes('Greeting:'));
		expect(flowing(menu)).toContain('d back to the built-in one (Esc closes)');
		expect(menu.split('\n')[0]).toMatch(/^ answerphone/);
		terminal.keys('Escape');
		await terminal.waitFor(text => !text.includes('Greeting:'));
		terminal.keys('r');
		const prompt = await terminal.waitFor(text => text.includes('Leave a message for'));
		expect(flowing(prompt)).toContain('3 everyone-else-in-the-house (Esc cancels)');
		expect(prompt.split('\n')[0]).toMatch(/^ answerphone/);
	}, 30_000);
});

describe('the machine where the font or the locale lacks the glyphs', () => {
	for (const [name, env] of [['the Linux console (TERM=linux)', {TERM: 'linux'}], ['a C locale', {LANG: 'C', LC_ALL: 'C'}], ['a POSIX LC_CTYPE', {LC_CTYPE: 'POSIX', LC_ALL: ''}]] as const) {
		it(`draws in plain ASCII on ${name}, the counter and the help too`, async () => {
			const terminal = await open(100, 30, env);
			const ascii = /^[\u0020-\u007E\n]*$/;
			const text = terminal.capture();
			expect(text).toMatch(ascii);
			// The digits are there, drawn with #, and the cassette's box with + - |.
			expect(text.split('\n')[1]).toMatch(/^ ### ###/);
			expect(text).toContain('+---- TAPE ----+');
			terminal.keys('?');
			const help = await terminal.waitFor(shown => shown.includes('Keys'));
			expect(help).toMatch(ascii);
			expect(help).toContain('n / >');
		}, 30_000);
	}
});
