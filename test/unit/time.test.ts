import {describe, expect, it} from 'vitest';
import {formatClock, formatDuration, parseDuration} from '../../src/time.js';

describe('durations', () => {
	it.each([
		['20m', 1_200_000], ['90s', 90_000], ['1m30s', 90_000], ['1h', 3_600_000], ['500ms', 500], ['45', 45_000], ['1.5s', 1500],
	])('reads %s', (text, ms) => {
		expect(parseDuration(text)).toBe(ms);
	});

	it.each(['', 'm', '20x', '1m 30s', '-5s', 'twenty'])('refuses %j', text => {
		expect(() => parseDuration(text)).toThrow(/not a duration/);
	});

	it('shows a tape counter', () => {
		expect(formatClock(0)).toBe('0:00');
		expect(formatClock(8999)).toBe('0:08');
		expect(formatClock(728_000)).toBe('12:08');
		expect(formatClock(3_723_000)).toBe('1:02:03');
	});

	it('writes settings back the way they are typed', () => {
		expect(formatDuration(1_200_000)).toBe('20m');
		expect(formatDuration(90_000)).toBe('1m30s');
		expect(formatDuration(60_000)).toBe('1m');
		expect(formatDuration(1000)).toBe('1s');
	});
});
