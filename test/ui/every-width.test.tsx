// Every width from 40 columns up, every kind of terminal: what the screen
// keeps, how it cuts names, which characters and colours it draws with.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {Box} from 'ink';
import {afterEach, describe, expect, it} from 'vitest';
import {fitText, headerClock, wrapWords} from '../../src/ui/fit.js';
import {footerItems} from '../../src/ui/footer.js';
import {toAscii, wantsAscii} from '../../src/ui/glyphs.js';
import {HelpScreen} from '../../src/ui/help-screen.js';
import {barEntries, MailboxBar} from '../../src/ui/mailbox-bar.js';
import {MessageList} from '../../src/ui/message-list.js';
import {goodStyle, graphicColors, textColors, warnStyle} from '../../src/ui/palette.js';
import {StatusLine} from '../../src/ui/status-line.js';
import {fakeMessage} from '../helpers/messages.js';
import {render, unmountAll} from '../helpers/render.js';

const widths = Array.from({length: 61}, (_, index) => 40 + index);

afterEach(async () => {
	await unmountAll();
});

describe('names cut to fit', () => {
	it('keeps a name that fits whole, and cuts one that does not after a word, with an ellipsis', () => {
		expect(fitText('everyone', 8)).toBe('everyone');
		expect(fitText('everyone-else-long-name', 10)).toBe('everyone…');
		expect(fitText('jo and sam', 9)).toBe('jo and…');
		// One long word: cut inside it, but never without the ellipsis.
		expect(fitText('alexandria', 8)).toBe('alexand…');
		expect(fitText('alexandria', 8, '~')).toBe('alexand~');
	});

	it('shows "everyone" whole in the list at every width, and no row wider than the screen', async () => {
		const messages = [
			fakeMessage({for: 'everyone', from: 'everyone-else-in-the-house'}),
			fakeMessage({for: 'alexandra-the-great', from: 'jo'}),
		];
		for (const width of widths) {
			const list = await render(<MessageList messages={messages} selectedId={messages[0]!.id} playingId={undefined} rows={5} width={width} now={new Date(messages[0]!.createdAt)}/>);
			const rows = list.lastFrame()!.split('\n');
			expect(rows[0], `at ${width}`).toMatch(/ everyone +from everyone(?:-else(?:-in)?)?… /);
			expect(rows[1], `at ${width}`).toMatch(/ alexandr[a-z-]*… +from jo /);
			for (const row of rows) {
				expect(row.length, `at ${width}: ${row}`).toBeLessThanOrEqual(width);
			}

			list.unmount();
		}
	});

	it('fits the mailbox bar, leaving off whole mailboxes rather than cutting "everyone"', async () => {
		const order = ['everyone', 'sam', 'everyone-else-in-the-house', 'jo'];
		for (const width of widths) {
			const {names} = barEntries(order, width - 2);
			expect(names[0], `at ${width}`).toBe('everyone');
			const bar = await render(<MailboxBar order={order} messages={[]} shown={undefined} width={width}/>);
			const line = bar.lastFrame()!;
			expect(line.length, `at ${width}: ${line}`).toBeLessThanOrEqual(width - 2);
			expect(line).not.toMatch(/everyo(?!ne)/);
			bar.unmount();
		}
	});
});

describe('the footer', () => {
	it('keeps play, record, erase and quit at every width from 40, on one line', () => {
		for (const width of widths) {
			const items = footerItems(width);
			expect(items.join('  ').length, `at ${width}`).toBeLessThanOrEqual(width);
			for (const item of ['space play', 'r record', 'e erase', 'q quit']) {
				expect(items, `at ${width}`).toContain(item);
			}
		}
	});
});

describe('the header', () => {
	it('keeps the title and the clock apart at every width, shortening the clock first', () => {
		const now = new Date(2026, 10, 27, 18, 42);
		expect(headerClock(now, 'answerphone', 100)).toBe('Fri 27 Nov, 18:42');
		expect(headerClock(now, 'answerphone', 30)).toBe('27 Nov, 18:42');
		expect(headerClock(now, 'answerphone', 20)).toBe('18:42');
		for (let width = 20; width <= 100; width++) {
			const clock = headerClock(now, 'answerphone', width);
			expect(` answerphone ${clock} `.length, `at ${width}`).toBeLessThanOrEqual(width);
		}
	});
});

describe('the help and the menus', () => {
	it('wraps the help at 80 and 100 columns, cutting nothing', async () => {
		for (const width of [80, 100]) {
			const help = await render(<HelpScreen width={width}/>);
			const frame = help.lastFrame()!;
			for (const line of frame.split('\n')) {
				expect(line.length).toBeLessThanOrEqual(width);
			}

			const flowing = frame.replaceAll(/[\s│]+/g, ' ');
			expect(flowing).toContain('play new messages oldest first (else all); pause and resume');
			expect(flowing).toContain('d the built-in one');
			// Within an 80×24 terminal, with the line the screen keeps for its notice.
			expect(frame.split('\n').length).toBeLessThanOrEqual(23);
			help.unmount();
		}
	});

	it('wraps the greeting menu at 80 columns, "(Esc closes)" and all', async () => {
		const menu = await render(<Box width={78}><StatusLine mode={{kind: 'greeting-menu'}} notice={undefined} readLevel={() => undefined} width={80} recipients={[]} defaultRecipient="everyone"/></Box>);
		expect(menu.lastFrame()!.replaceAll(/\s+/g, ' ')).toContain('(Esc closes)');
	});

	it('wraps words at spaces, and breaks a word longer than the line', () => {
		expect(wrapWords('one two three', 7)).toEqual(['one two', 'three']);
		expect(wrapWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
	});
});

describe('terminals without the glyphs', () => {
	it('draws in ASCII on the Linux console and in locales that are not UTF-8', () => {
		expect(wantsAscii({TERM: 'linux', LANG: 'en_GB.UTF-8'})).toBe(true);
		expect(wantsAscii({TERM: 'xterm-256color', LANG: 'C'})).toBe(true);
		expect(wantsAscii({TERM: 'xterm-256color', LANG: 'POSIX'})).toBe(true);
		expect(wantsAscii({TERM: 'xterm-256color', LANG: 'en_GB.UTF-8', LC_CTYPE: 'en_GB.ISO-8859-1'})).toBe(true);
		expect(wantsAscii({TERM: 'xterm-256color', LANG: 'C', LC_ALL: 'en_US.utf8'})).toBe(false);
		expect(wantsAscii({TERM: 'xterm-256color', LANG: 'C.UTF-8'})).toBe(false);
		// No locale at all (many containers): the terminal is taken as UTF-8.
		expect(wantsAscii({TERM: 'xterm-256color'})).toBe(false);
		expect(wantsAscii({TERM: 'xterm-256color', ANSWERPHONE_ASCII: '1'})).toBe(true);
		expect(wantsAscii({TERM: 'linux', ANSWERPHONE_ASCII: '0'})).toBe(false);
	});

	it('stands in for every glyph with ASCII of the same width', () => {
		const drawn = '╭──── TAPE ────╮ │ (◐◓◑◒) ▭▭▭▭ (◉) │ ███ ░░ ▁▂▃▄▅▆▇█ ▶ › ❚❚ ● · … – → ← ↑ ↓ -∞ Zoë 日本 🎉';
		const ascii = toAscii(drawn);
		// eslint-disable-next-line no-control-regex -- ASCII is what is asked for
		expect(ascii).toMatch(/^[\u0000-\u007F]*$/);
		expect(ascii.startsWith('+---- TAPE ----+ | (|/-\\) ==== (o) | ### .. __--==## > > || * - . - > < ^ v -~ Zo? ???? ??')).toBe(true);
	});
});

describe('colours', () => {
	it('draws letters only in colours that read on a dark and a light background, from the 16 every terminal has', () => {
		const readable = new Set(['red', 'magenta', 'blueBright']);
		for (const color of Object.values(textColors)) {
			expect(readable).toContain(color);
		}

		// Yellow and green only behind black letters.
		for (const style of [warnStyle, goodStyle]) {
			expect(style.color).toBe('black');
			expect(['yellow', 'green']).toContain(style.backgroundColor);
		}

		const basic = new Set(['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']);
		for (const color of Object.values(graphicColors)) {
			expect(basic).toContain(color);
		}
	});

	it('names no colour anywhere on the screen but through the palette (no gray, yellow or cyan letters, no 256-colour shades)', () => {
		const sources = ['src/app.tsx', ...readdirSync('src/ui', {recursive: true, encoding: 'utf8'}).filter(file => file.endsWith('.tsx')).map(file => path.join('src/ui', file))];
		for (const file of sources) {
			const source = readFileSync(file, 'utf8');
			expect(source, file).not.toMatch(/(?:color|Color)=(?:"|\{')[^"']+["']/);
			expect(source, file).not.toMatch(/#[\da-f]{6}\b|rgb\(|ansi256/i);
		}
	});
});
