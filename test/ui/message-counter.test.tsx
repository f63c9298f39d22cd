import {describe, expect, it, vi} from 'vitest';
import {MessageCounter, terminalBlink} from '../../src/ui/counter/message-counter.js';
import {blinkIntervalMs} from '../../src/ui/counter/use-blink.js';
import {sevenSegmentRows} from '../../src/ui/counter/seven-segment.js';
import {advance, fakeTimersEachTest, render, rerender} from '../helpers/render.js';

describe('the message counter', () => {
	fakeTimersEachTest();

	it('draws the count in seven-segment digits', () => {
		expect(sevenSegmentRows(12)).toEqual([
			'  █ ███',
			'  █   █',
			'  █ ███',
			'  █ █  ',
			'  █ ███',
		]);
	});

	it('asks the terminal to blink the digits while any message is unheard, at no cost to us', async () => {
		const counter = await render(<MessageCounter blink="terminal" messages={3} unheard={1}/>);
		expect(counter.lastFrame()).toContain(`${terminalBlink.on}███`);
		// No timer: the terminal does the blinking, so an idle machine draws nothing.
		expect(vi.getTimerCount()).toBe(0);
		await rerender(counter, <MessageCounter blink="terminal" messages={3} unheard={0}/>);
		expect(counter.lastFrame()).not.toContain(terminalBlink.on);
		expect(counter.lastFrame()).toContain('███');
	});

	it('blinks by redrawing about once a second where the terminal cannot', async () => {
		const counter = await render(<MessageCounter blink="redraw" messages={3} unheard={1}/>);
		const lit = counter.lastFrame();
		expect(lit).toContain('███');
		await advance(blinkIntervalMs);
		expect(counter.lastFrame()).not.toContain('█');
		await advance(blinkIntervalMs);
		expect(counter.lastFrame()).toBe(lit);
	});

	it('stays lit when every message has been heard', async () => {
		const counter = await render(<MessageCounter blink="redraw" messages={3} unheard={0}/>);
		const lit = counter.lastFrame();
		for (let tick = 0; tick < 4; tick++) {
			await advance(blinkIntervalMs);
			expect(counter.lastFrame()).toBe(lit);
		}
	});

	it('stops blinking, lit, as soon as the last message is heard', async () => {
		const counter = await render(<MessageCounter blink="redraw" messages={2} unheard={1}/>);
		await advance(blinkIntervalMs);
		expect(counter.lastFrame()).not.toContain('█');
		await rerender(counter, <MessageCounter blink="redraw" messages={2} unheard={0}/>);
		expect(counter.lastFrame()).toContain('███');
		await advance(blinkIntervalMs * 3);
		expect(counter.lastFrame()).toContain('███');
	});

	it('has no timer at all when nothing is new', async () => {
		await render(<MessageCounter blink="redraw" messages={5} unheard={0}/>);
		expect(vi.getTimerCount()).toBe(0);
	});
});
