// Each piece of the screen on its own.
import {afterEach, describe, expect, it, vi} from 'vitest';
import {Cassette, reelTurnMs} from '../../src/ui/cassette.js';
import {Footer} from '../../src/ui/footer.js';
import {MailboxBar} from '../../src/ui/mailbox-bar.js';
import {drawWaveform, MessageList, visibleWindow} from '../../src/ui/message-list.js';
import {meterRefreshMs, StatusLine} from '../../src/ui/status-line.js';
import {gaugeColor, TapeGauge} from '../../src/ui/tape-gauge.js';
import {fakeMessage} from '../helpers/messages.js';
import {advance, fakeTimersEachTest, render, unmountAll} from '../helpers/render.js';

afterEach(async () => {
	await unmountAll();
});

describe('the tape gauge', () => {
	it('shows time left against the capacity, exactly', async () => {
		const gauge = await render(<TapeGauge usedMs={472_000} capacityMs={1_200_000} width={60}/>);
		expect(gauge.lastFrame()).toContain('12:08 left of 20:00');
		expect(gauge.lastFrame()!.split('\n')[0]!.length).toBeLessThanOrEqual(60);
	});

	it('goes from green to amber to red, and warns below 3 minutes', async () => {
		expect(gaugeColor(15 * 60_000, 1_200_000)).toBe('green');
		expect(gaugeColor(5 * 60_000, 1_200_000)).toBe('yellow');
		expect(gaugeColor(2 * 60_000, 1_200_000)).toBe('red');
		const low = await render(<TapeGauge usedMs={18 * 60_000} capacityMs={1_200_000} width={60}/>);
		expect(low.lastFrame()).toContain('LOW TAPE');
		const full = await render(<TapeGauge usedMs={1_200_000} capacityMs={1_200_000} width={60}/>);
		expect(full.lastFrame()).toContain('TAPE END');
		const roomy = await render(<TapeGauge usedMs={60_000} capacityMs={1_200_000} width={60}/>);
		expect(roomy.lastFrame()).not.toMatch(/LOW TAPE|TAPE END/);
		// A tiny tape is not "low" while it is empty.
		const tiny = await render(<TapeGauge usedMs={0} capacityMs={120_000} width={60}/>);
		expect(tiny.lastFrame()).not.toContain('LOW TAPE');
	});
});

describe('the cassette', () => {
	fakeTimersEachTest();

	async function framesOver(motion: 'stopped' | 'recording' | 'playing' | 'paused'): Promise<Set<string>> {
		const cassette = await render(<Cassette motion={motion}/>);
		const frames = new Set<string>();
		for (let tick = 0; tick < 4; tick++) {
			frames.add(cassette.lastFrame()!);

			await advance(reelTurnMs);
		}

		return frames;
	}

	it('turns its reels while recording or playing', async () => {
		expect((await framesOver('recording')).size).toBe(4);
		expect((await framesOver('playing')).size).toBe(4);
	});

	it('stands still otherwise, with no timer', async () => {
		expect((await framesOver('stopped')).size).toBe(1);
		expect((await framesOver('paused')).size).toBe(1);
		expect(vi.getTimerCount()).toBe(0);
	});
});

describe('the message list', () => {
	it('draws only the rows that fit, keeping the cursor in view', async () => {
		const messages = Array.from({length: 10_000}, (_, index) => fakeMessage({id: `20260101-000000-000-${String(index).padStart(6, '0').replaceAll(/\d/g, digit => 'abcdefghij'[Number(digit)]!)}`}));
		const cursor = messages[5000]!;
		const list = await render(<MessageList messages={messages} selectedId={cursor.id} playingId={undefined} rows={10} width={100} now={new Date('2026-01-02T00:00:00Z')}/>);
		const lines = list.lastFrame()!.split('\n');
		expect(lines).toHaveLength(11);
		expect(lines.some(line => /^› +5001 /.test(line))).toBe(true);
		expect(lines.at(-1)).toContain('of 10000');
		expect(visibleWindow(10_000, 9999, 10)).toEqual({start: 9990, end: 10_000});
		expect(visibleWindow(3, 0, 10)).toEqual({start: 0, end: 3});
	});

	it('shows who, when, how long, new, kept and recovered, and the waveform', async () => {
		const message = fakeMessage({for: 'sam', from: 'jo', durationMs: 21_000, keep: true, recovered: true, waveform: [0, 3, 7]});
		const list = await render(<MessageList messages={[message]} selectedId={undefined} playingId={message.id} rows={5} width={100} now={new Date(message.createdAt)}/>);
		const row = list.lastFrame()!;
		expect(row).toMatch(/▶ 1 NEW \*\s+sam\s+from jo/);
		expect(row).toContain('0:21');
		expect(row).toContain('recovered');
		expect(row).toContain(drawWaveform([0, 3, 7]));
		expect(drawWaveform([0, 3, 7])).toBe('▁▄█');
	});
});

describe('the mailbox bar', () => {
	it('gives every mailbox its own new count', async () => {
		const messages = [fakeMessage({for: 'sam'}), fakeMessage({for: 'sam'}), fakeMessage({for: 'jo', heard: true}), fakeMessage()];
		const bar = await render(<MailboxBar order={['everyone', 'sam', 'jo']} messages={messages} shown="sam"/>);
		expect(bar.lastFrame()).toContain('0 all · 1 everyone 1 · 2 sam 2 · 3 jo 0');
	});
});

describe('the footer', () => {
	it('keeps to one line, dropping keys rather than wrapping, and always offers help (at 40 columns a bare ?)', async () => {
		for (const width of [100, 60, 40]) {
			const footer = await render(<Footer width={width}/>);
			const line = footer.lastFrame()!;
			expect(line.split('\n')).toHaveLength(1);
			expect(line.length).toBeLessThanOrEqual(width);
			expect(line).toMatch(width > 40 ? /\? help/ : / {2}\? {2}/);
		}
	});
});

describe('the status line', () => {
	fakeTimersEachTest(100_000);

	it('counts a recording from its start time, with the level meter', async () => {
		const status = await render(<StatusLine mode={{kind: 'recording', target: 'message', startedAt: 100_000, limitMs: 60_000, stopping: false}} notice={undefined} readLevel={() => ({peakDb: -6, rmsDb: -18})} width={100} recipients={[]} defaultRecipient="everyone"/>);
		await advance(12_000 + meterRefreshMs);
		expect(status.lastFrame()).toMatch(/● REC\s+0:12 \/ 1:00/);
		expect(status.lastFrame()).toContain('-18 dB');
	});

	it('shows where playback is, and holds still while paused', async () => {
		const status = await render(<StatusLine mode={{kind: 'playing', id: 'x', startedAt: 100_000, durationMs: 20_000, pausedAt: 105_000}} notice={undefined} readLevel={() => undefined} width={100} recipients={[]} defaultRecipient="everyone"/>);
		await advance(10_000);
		expect(status.lastFrame()).toContain('PAUSED');
		expect(status.lastFrame()).toContain('0:05 / 0:20');
	});
});
