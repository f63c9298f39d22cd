import {describe, expect, it, vi} from 'vitest';
import {Text} from 'ink';
import {formatClockFace} from '../../src/time.js';
import {useNow} from '../../src/ui/use-now.js';
import {advance, fakeTimersEachTest, render} from '../helpers/render.js';

// The header's clock, as app.tsx asks for it.
function Clock() {
	const now = useNow(true, 60_000, {aligned: true});
	return <Text>{formatClockFace(new Date(now))}</Text>;
}

describe('the header clock', () => {
	fakeTimersEachTest(new Date(2026, 10, 30, 20, 2, 10));

	it('turns over with the minute, not up to a tick later', async () => {
		const clock = await render(<Clock/>);
		expect(clock.lastFrame()).toContain('20:02');
		// 20:03:00.1: a 30 s timer started at 20:02:10 last ran at 20:02:40.
		await advance(50_100);
		expect(clock.lastFrame()).toContain('20:03');
		// And keeps to the minute after that, one tick a minute.
		await advance(60_000);
		expect(clock.lastFrame()).toContain('20:04');
		expect(vi.getTimerCount()).toBe(1);
	});
});
