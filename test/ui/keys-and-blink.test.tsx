// Keys that arrive together, and the counter blinking on its own cells.
import {describe, expect, it, vi} from 'vitest';
import {App} from '../../src/app.js';
import type {Tape} from '../../src/tape/store.js';
import {MessageCounter, reverseVideo, terminalBlink} from '../../src/ui/counter/message-counter.js';
import {sevenSegmentRows} from '../../src/ui/counter/seven-segment.js';
import {blinkIntervalMs} from '../../src/ui/counter/use-blink.js';
import {LiveLines} from '../../src/ui/live-lines.js';
import {LiveLinesContext} from '../../src/ui/live-lines-context.js';
import {pasteNotice} from '../../src/ui/use-machine-keys.js';
import {
	advance, fakeTerminal, fakeTimersEachTest, press, render, rerender, screenOnTempTapeEachTest, waitForFrame,
} from '../helpers/render.js';
import {leaveMessage} from '../helpers/store.js';

/** The row of the message list the cursor is on, counted from the list's first row. */
function cursorRow(frame: string): number {
	const rows = frame.split('\n').filter(line => /from (?:jo|alex|sam|kim)/.test(line));
	return rows.findIndex(line => /^[›▶]/.test(line));
}

describe('keys that arrive in one chunk', () => {
	let tape: Tape;
	const ports = screenOnTempTapeEachTest(fresh => {
		({tape} = fresh);
	});

	async function openWithFour() {
		for (const from of ['jo', 'alex', 'sam', 'kim']) {
			await leaveMessage(tape, {from});
		}

		const screen = await render(<App ports={ports()}/>);
		const frame = await waitForFrame(screen, text => text.includes('4 messages') && cursorRow(text) >= 0);
		return {screen, frame};
	}

	it('moves one row for each j of "jj", as a held key or SSH delivers them', async () => {
		const {screen, frame} = await openWithFour();
		const start = cursorRow(frame);
		// Two rows away, whichever end the cursor starts at.
		const [keys, by] = start <= 1 ? ['jj', 2] : ['kk', -2];
		await press(screen, keys);
		expect(cursorRow(screen.lastFrame() ?? '')).toBe(start + by);
	});

	it('ignores a paste with a notice: pasted words erase nothing', async () => {
		const {screen} = await openWithFour();
		await press(screen, 'please erase everything, then record');
		const frame = await waitForFrame(screen, text => text.includes(pasteNotice));
		expect(frame).toContain('4 messages');
		expect(frame).not.toContain('REC');
	});
});

describe('the counter, blinking on every terminal', () => {
	fakeTimersEachTest();

	it('blinks by default without the blink attribute most terminals ignore', async () => {
		const counter = await render(<MessageCounter messages={3} unheard={1}/>);
		const lit = counter.lastFrame();
		expect(lit).not.toContain(terminalBlink.on);
		await advance(blinkIntervalMs);
		expect(counter.lastFrame()).not.toContain('█');
		await advance(blinkIntervalMs);
		expect(counter.lastFrame()).toBe(lit);
	});

	it('on a real terminal rewrites only the counter\'s cells, not a frame', async () => {
		const {stdout, written} = fakeTerminal();
		const live = new LiveLines(stdout);
		const rows = sevenSegmentRows(3);
		// The frame as Ink drew it: the counter beside the cassette, a line below.
		live.stream.write(`${rows.map(row => ` \u001B[1m\u001B[31m${row}\u001B[39m\u001B[22m   │ TAPE │`).join('\n')}\nfooter\n`);
		const counter = await render(<LiveLinesContext.Provider value={live}><MessageCounter messages={3} unheard={1}/></LiveLinesContext.Provider>);
		const frame = counter.lastFrame();
		const before = written().length;
		await advance(blinkIntervalMs);
		// Up to the counter's first row, right past the padding, five rows of
		// blanks just as wide, the rest of each line untouched, cursor back.
		const dark = rows.map(row => `\r\u001B[1C${' '.repeat(row.length)}\u001B[0m`).join('\u001B[1B');
		expect(written().slice(before)).toBe(`\u001B7\u001B[6A${dark}\u001B8`);
		expect(counter.lastFrame()).toBe(frame);
		await advance(blinkIntervalMs);
		expect(written()).toContain(`\r\u001B[1C\u001B[1;31m${rows[0]}\u001B[0m\u001B[1B`);
		expect(counter.lastFrame()).toBe(frame);
		// Once every message is heard, the digits are left lit and the timer is gone.
		await advance(blinkIntervalMs);
		await rerender(counter, <LiveLinesContext.Provider value={live}><MessageCounter messages={3} unheard={0}/></LiveLinesContext.Provider>);
		expect(written().endsWith(`${rows.map(row => `\r\u001B[1C\u001B[1;31m${row}\u001B[0m`).join('\u001B[1B')}\u001B8`)).toBe(true);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('stays dark on the line the turning reels rewrite', () => {
		const {stdout, written} = fakeTerminal();
		const live = new LiveLines(stdout);
		const rows = sevenSegmentRows(3);
		live.stream.write(`${rows.map(row => ` ${row}   │ (◐) ▭▭▭▭ (◐) │`).join('\n')}\nfooter\n`);
		expect(live.paint(rows, row => ' '.repeat(rows[row]!.length))).toBe(true);
		live.rewrite(line => line.includes('▭▭▭▭'), drawn => drawn.replaceAll('◐', '◓'));
		// The whole line as Ink drew it (digits lit), then the counter's dark cells again.
		expect(written().endsWith(`\r ${rows[0]}   │ (◓) ▭▭▭▭ (◓) │\u001B[K\r\u001B[1C${' '.repeat(rows[0]!.length)}\u001B[0m\u001B8`)).toBe(true);
	});

	it('with blink "off" stays steady, in reverse video while a message is new (seen without colour too)', async () => {
		const counter = await render(<MessageCounter blink="off" messages={3} unheard={1}/>);
		expect(counter.lastFrame()).toContain(`${reverseVideo.on}███`);
		expect(vi.getTimerCount()).toBe(0);
		await rerender(counter, <MessageCounter blink="off" messages={3} unheard={0}/>);
		expect(counter.lastFrame()).not.toContain(reverseVideo.on);
		expect(counter.lastFrame()).toContain('███');
	});
});
