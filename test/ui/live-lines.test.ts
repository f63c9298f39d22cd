import {describe, expect, it} from 'vitest';
import {LiveLines} from '../../src/ui/live-lines.js';
import {fakeTerminal} from '../helpers/render.js';

const erase3 = '\u001B[2K\u001B[1A\u001B[2K\u001B[1A\u001B[2K\u001B[G';

describe('live lines', () => {
	it('passes Ink\'s frames through and rewrites one line of the last frame in place', async () => {
		const {stdout, written} = fakeTerminal();
		const live = new LiveLines(stdout);
		live.stream.write('first frame\nstatus\n');
		live.stream.write(`${erase3}header\n\u001B[31m● REC\u001B[0m 0:01\nfooter\n`);
		expect(live.rewrite(line => line.includes('● REC'), () => '● REC 0:02')).toBe(true);
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		// Save the cursor, up two lines (from below the footer), rewrite, restore.
		expect(written().endsWith('\u001B7\u001B[2A\r● REC 0:02\u001B[K\u001B8')).toBe(true);
		expect(written()).toContain('header\n');
	});

	it('hands the line as it was drawn, styles included, to be changed', () => {
		const {stdout} = fakeTerminal();
		const live = new LiveLines(stdout);
		live.stream.write('\u001B[1m███\u001B[0m │ (◐) ▭▭▭▭ (◐) │\nlast\n');
		let drawn = '';
		live.rewrite(line => line.includes('▭▭▭▭'), line => {
			drawn = line;
			return line;
		});
		expect(drawn).toBe('\u001B[1m███\u001B[0m │ (◐) ▭▭▭▭ (◐) │');
	});

	it('does nothing when the line is not on screen', () => {
		const {stdout} = fakeTerminal();
		const live = new LiveLines(stdout);
		live.stream.write('Ready.\n');
		expect(live.rewrite(line => line.includes('● REC'), () => 'x')).toBe(false);
	});
});
