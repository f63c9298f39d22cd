// The help screen in windows of every shape: never as tall as the window (a
// frame that fills the terminal is pushed off its top and flickers), the
// title always on top, and the keys a newcomer needs first always there.
import {afterEach, describe, expect, it} from 'vitest';
import {helpTable} from '../../src/machine/keys.js';
import {HelpScreen} from '../../src/ui/help-screen.js';
import {render, unmountAll} from '../helpers/render.js';

afterEach(async () => {
	await unmountAll();
});

const keysWidth = Math.max(...helpTable.map(entry => entry.keys.length));
const sizes: Array<[number, number]> = [[40, 30], [60, 24], [80, 24], [100, 24], [40, 22], [70, 20], [100, 19], [100, 16], [60, 12], [40, 10]];

describe('the help fits the window', () => {
	it('is shorter than the window at every size, with the title on top and play, erase, record and quit in it', async () => {
		for (const [width, rows] of sizes) {
			const help = await render(<HelpScreen width={width} rows={rows}/>);
			const lines = help.lastFrame()!.split('\n');
			expect(lines.length, `at ${width}×${rows}`).toBeLessThan(rows);
			expect(lines[1], `at ${width}×${rows}`).toMatch(/Keys/);
			for (const line of lines) {
				expect(line.length, `at ${width}×${rows}: ${line}`).toBeLessThanOrEqual(width);
			}

			// In one column or two (a wide, short window).
			for (const keys of ['space / p', 'e / Delete', 'r', 'q']) {
				expect(lines.some(line => line.includes(` ${keys.padEnd(keysWidth)}  `)), `${keys} at ${width}×${rows}`).toBe(true);
			}

			help.unmount();
		}
	});

	it('shows every key from 22 rows up, and says how many it left out below that', async () => {
		for (const [width, rows] of sizes) {
			const help = await render(<HelpScreen width={width} rows={rows}/>);
			const frame = help.lastFrame()!;
			const shown = helpTable.filter(entry => frame.includes(` ${entry.keys.padEnd(keysWidth)}  `)).length;
			if (rows >= 22) {
				expect(shown, `at ${width}×${rows}`).toBe(helpTable.length);
			} else if (shown < helpTable.length) {
				expect(frame, `at ${width}×${rows}`).toContain(`${helpTable.length - shown} more`);
			}

			help.unmount();
		}
	});

	it('wraps an explanation whole where there is room, and cuts one only where there is not', async () => {
		const help = await render(<HelpScreen width={40} rows={30}/>);
		const flowing = help.lastFrame()!.replaceAll(/[\s│]+/g, ' ');
		expect(flowing).toContain('play new messages oldest first (else all); pause and resume');
		expect(flowing).not.toContain('……');
	});
});
