// Issue 12, item 5: what the screen says while a stamp is spoken, what the
// TAPE END banner names, a key during the greeting, and the cursor after undo.
import {beforeEach, describe, expect, it} from 'vitest';
import {App} from '../../src/app.js';
import type {Tape} from '../../src/tape/store.js';
import {fakeMicrophone, type FakeSpeaker} from '../helpers/fake-audio.js';
import {passTime, press, render, screenOnTempTapeEachTest, waitForFrame} from '../helpers/render.js';
import {leaveMessage} from '../helpers/store.js';

let tape: Tape;
let speaker: FakeSpeaker;
const ports = screenOnTempTapeEachTest(fresh => {
	({tape, speaker} = fresh);
});

describe('the spoken stamp', () => {
	it('shows as its own state, and the message\'s progress starts at 0:00 after it', async () => {
		await leaveMessage(tape, {from: 'jo'}, 4000);
		const speech = {
			async render() {
				return '/stamps/1.wav';
			},
			async dispose() {},
		};
		const screen = await render(<App ports={ports({speech})}/>);
		await waitForFrame(screen, text => text.includes('1 new'));
		await press(screen, ' ');
		await waitForFrame(screen, () => speaker.played.length === 1);
		// The stamp takes its time; the message's clock must not run meanwhile.
		await passTime(1400);
		const during = screen.lastFrame() ?? '';
		expect(during).toMatch(/STAMP \w{3} \d\d:\d\d/);
		expect(during).toContain('0:00 / 0:04');
		expect(during).not.toContain('▶ PLAY');
		speaker.finish();
		await waitForFrame(screen, () => speaker.played.length === 2);
		const started = await waitForFrame(screen, text => text.includes('▶ PLAY'));
		expect(started).toContain('0:00 / 0:04');
		expect(started).not.toContain('STAMP');
	});
});

describe('the TAPE END banner', () => {
	beforeEach(async () => {
		await tape.updateSettings({tapeMs: 4000, maxMessageMs: 2000, minMessageMs: 0});
	});

	it('names the heard message the next recording overwrites', async () => {
		const older = await leaveMessage(tape, {from: 'jo'}, 2000);
		await leaveMessage(tape, {from: 'alex'}, 2000);
		await tape.mark([older], true);
		const screen = await render(<App ports={ports()}/>);
		const frame = await waitForFrame(screen, text => text.includes('TAPE END'));
		expect(frame).toMatch(/TAPE END: the next message overwrites a heard one from jo/);
	});

	it('says an unheard message goes when none is heard, from whoever holds the most tape', async () => {
		await leaveMessage(tape, {from: 'jo'}, 1000);
		await leaveMessage(tape, {from: 'alex'}, 1000);
		await leaveMessage(tape, {from: 'alex'}, 2000);
		const screen = await render(<App ports={ports()}/>);
		const frame = await waitForFrame(screen, text => text.includes('TAPE END'));
		expect(frame).toMatch(/overwrites an UNHEARD one from alex/);
	});

	it('says TAPE FULL when every message is kept', async () => {
		const ids = [await leaveMessage(tape, {from: 'jo'}, 2000), await leaveMessage(tape, {from: 'alex'}, 2000)];
		await tape.keep(ids, true);
		const screen = await render(<App ports={ports()}/>);
		const frame = await waitForFrame(screen, text => text.includes('TAPE FULL'));
		expect(frame).not.toContain('TAPE END');
		expect(frame).not.toContain('overwrite the oldest heard');
	});
});

describe('a key during the greeting', () => {
	async function greetingOnTape(): Promise<string> {
		const draft = await tape.beginGreetingDraft();
		draft.write(Buffer.alloc(32_000, 1));
		await draft.commit();
		return (await tape.customGreeting())!;
	}

	it.each([[' '], ['r'], ['\r'], ['p']])('%j skips to the beep, and the recording goes on', async key => {
		const greeting = await greetingOnTape();
		const microphone = fakeMicrophone();
		const screen = await render(<App ports={ports({microphone, quickMemo: false})}/>);
		await waitForFrame(screen, text => text.includes('No messages'));
		await press(screen, 'r');
		await waitForFrame(screen, () => speaker.played.includes(greeting));
		expect(speaker.sounds).toEqual([]);
		await press(screen, key);
		// The greeting (which the fake plays until told) was cut short: the beep, then the microphone.
		await waitForFrame(screen, () => speaker.sounds.includes('beep.wav'), 2000);
		await waitForFrame(screen, text => {
			microphone.speak(100);
			return text.includes('speak now');
		}, 2000);
		expect(screen.lastFrame()).not.toContain('Cancelled');
		await press(screen, 's');
		await waitForFrame(screen, text => /Hang-up|Saved|Cancelled/.test(text));
	});

	it('s still cancels', async () => {
		const greeting = await greetingOnTape();
		const screen = await render(<App ports={ports({quickMemo: false})}/>);
		await waitForFrame(screen, text => text.includes('No messages'));
		await press(screen, 'r');
		await waitForFrame(screen, () => speaker.played.includes(greeting));
		await press(screen, 's');
		await waitForFrame(screen, text => text.includes('Cancelled'));
		expect(speaker.sounds).not.toContain('beep.wav');
	});
});

describe('undo', () => {
	it('puts the cursor on the restored message, after the store has caught up', async () => {
		await leaveMessage(tape, {from: 'ann'});
		await leaveMessage(tape, {from: 'bob'});
		await leaveMessage(tape, {from: 'cat'});
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('cat'));
		await press(screen, 'j');
		await waitForFrame(screen, text => /› +2 NEW +everyone +from bob/.test(text));
		await press(screen, 'e');
		await waitForFrame(screen, text => !text.includes('bob'));
		await passTime(300);
		await press(screen, 'u');
		await waitForFrame(screen, text => text.includes('Restored.'));
		// Rescans after the erase and the undo land; the cursor stays on bob.
		await passTime(600);
		expect(screen.lastFrame()).toMatch(/› +2 NEW +everyone +from bob/);
	});

	it('shows the restored message even when the mailbox shown is another one', async () => {
		await tape.changeMailboxes(() => ['sam', 'jo']);
		await leaveMessage(tape, {from: 'ann', for: 'sam'});
		await leaveMessage(tape, {from: 'bob', for: 'jo'});
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('bob'));
		await press(screen, '2');
		await waitForFrame(screen, text => !text.includes('bob'));
		await press(screen, 'e');
		await waitForFrame(screen, text => !text.includes('ann'));
		await press(screen, '3');
		await waitForFrame(screen, text => text.includes('bob'));
		await press(screen, 'u');
		await waitForFrame(screen, text => text.includes('Restored.'));
		await passTime(600);
		expect(screen.lastFrame()).toMatch(/› +\d NEW +sam +from ann/);
	});
});
