import {describe, expect, it} from 'vitest';
import {App} from '../../src/app.js';
import {beepSettleMs} from '../../src/audio/call.js';
import type {Tape} from '../../src/tape/store.js';
import type {MachinePorts} from '../../src/ui/ports.js';
import {helpTable as keyTable} from '../../src/machine/keys.js';
import {
	fakeMicrophone, missingMicrophone, missingSpeaker, type FakeMicrophone, type FakeSpeaker,
} from '../helpers/fake-audio.js';
import {
	passTime, press, render, screenOnTempTapeEachTest, waitForFrame, type Rendered,
} from '../helpers/render.js';
import {leaveMessage} from '../helpers/store.js';
import {TimedOut, waitFor} from '../helpers/wait-for.js';

let tape: Tape;
let speaker: FakeSpeaker;
const ports = screenOnTempTapeEachTest(fresh => {
	({tape, speaker} = fresh);
});

/** Heard, as a new look at the store sees it (merged from the message's state files). */
async function heard(id: string): Promise<boolean> {
	const message = (await tape.resolveId(id, {inBin: true}));
	return message.heard;
}

/** Waits until the greeting and beep are over and the microphone's sound is being kept. */
async function afterTheBeep(screen: Rendered, microphone: FakeMicrophone): Promise<void> {
	await waitForFrame(screen, () => microphone.isOpen());
	await passTime(beepSettleMs + 50);
}

/** An empty machine on screen with a microphone of its own, and r pressed: a recording for everyone begins. */
async function pressRecord(overrides: Partial<MachinePorts> = {}): Promise<{screen: Rendered; microphone: FakeMicrophone}> {
	const microphone = fakeMicrophone();
	const screen = await render(<App ports={ports({microphone, ...overrides})}/>);
	await waitForFrame(screen, text => text.includes('No messages'));
	await press(screen, 'r');
	return {screen, microphone};
}

/** Polls until check() holds: file writes land a moment after the screen changes. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<boolean> {
	return waitFor('the check to hold', check, {timeoutMs, intervalMs: 20}).then(() => true, (error: unknown) => {
		if (error instanceof TimedOut) {
			return false;
		}

		throw error;
	});
}

describe('the machine on screen', () => {
	it('shows the count, the tape left and the messages', async () => {
		await leaveMessage(tape, {from: 'jo', for: 'sam'}, 3000);
		await leaveMessage(tape, {from: 'alex'}, 2000);
		const screen = await render(<App ports={ports()}/>);
		const frame = await waitForFrame(screen, text => text.includes('alex'));
		expect(frame).toContain('2 new · 2 messages');
		expect(frame).toContain('19:55 left of 20:00');
		expect(frame).toMatch(/NEW\s+sam\s+from jo/);
		expect(frame).toMatch(/NEW\s+everyone\s+from alex/);
	});

	it('shows every footer key, and the rest in help', async () => {
		const screen = await render(<App ports={ports()}/>);
		const frame = await waitForFrame(screen, text => text.includes('No messages'));
		for (const entry of keyTable.filter(entry => entry.footer)) {
			expect(frame).toContain(entry.footer);
		}

		await press(screen, '?');
		const help = screen.lastFrame() ?? '';
		for (const entry of keyTable) {
			expect(help).toContain(entry.keys);
		}

		await press(screen, '?');
		expect(screen.lastFrame()).toContain('No messages');
	});

	it('space plays the oldest new message and marks it heard when it ends', async () => {
		const first = await leaveMessage(tape, {from: 'jo'});
		await leaveMessage(tape, {from: 'alex'});
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('2 new'));
		await press(screen, ' ');
		await waitForFrame(screen, text => text.includes('▶ PLAY'));
		expect(speaker.played).toEqual([`${tape.messagesDir}/${first}.wav`]);
		speaker.finish();
		// It goes on to the next new message, and the first one is now heard.
		await waitForFrame(screen, text => text.includes('1 new'));
		expect(await eventually(async () => heard(first))).toBe(true);
		expect(speaker.played).toHaveLength(2);
	});

	it('s stops playing without marking the message heard', async () => {
		const id = await leaveMessage(tape);
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('1 new'));
		await press(screen, 'p');
		await waitForFrame(screen, text => text.includes('▶ PLAY'));
		await press(screen, 's');
		await waitForFrame(screen, text => !text.includes('▶ PLAY'));
		expect(speaker.stopped).toBe(1);
		expect(await heard(id)).toBe(false);
	});

	it('space pauses and resumes the player', async () => {
		await leaveMessage(tape);
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('1 new'));
		await press(screen, ' ');
		await waitForFrame(screen, text => text.includes('▶ PLAY'));
		await press(screen, ' ');
		await waitForFrame(screen, text => text.includes('PAUSED'));
		expect(speaker.paused).toBe(true);
		await press(screen, ' ');
		await waitForFrame(screen, text => text.includes('▶ PLAY'));
		expect(speaker.paused).toBe(false);
		expect(speaker.played).toHaveLength(1);
	});

	it('b goes back to the previous message at the start of one', async () => {
		const first = await leaveMessage(tape, {from: 'jo'});
		await leaveMessage(tape, {from: 'alex'});
		await tape.mark([first], true);
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('1 new'));
		await press(screen, ' ');
		await waitForFrame(screen, text => /▶\s+2/.test(text));
		await press(screen, 'b');
		await waitForFrame(screen, text => /▶\s+1/.test(text));
		expect(speaker.played.at(-1)).toBe(`${tape.messagesDir}/${first}.wav`);
	});

	it('* keeps the message and marks it in the list', async () => {
		const id = await leaveMessage(tape);
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('1 new'));
		await press(screen, '*');
		await waitForFrame(screen, text => text.includes('Kept') && /NEW \*/.test(text));
		expect(await eventually(async () => (await tape.snapshot()).messages.find(message => message.id === id)?.keep === true)).toBe(true);
	});

	it('asks who a message is for, shows each mailbox\'s new count, and Tab filters', async () => {
		await tape.changeMailboxes(() => ['sam', 'jo']);
		await leaveMessage(tape, {from: 'alex', for: 'sam'});
		const microphone = fakeMicrophone();
		const screen = await render(<App ports={ports({microphone})}/>);
		await waitForFrame(screen, text => text.includes('everyone 0 · 2 sam 1 · 3 jo 0'));
		await press(screen, 'r');
		await waitForFrame(screen, text => text.includes('Leave a message for:'));
		await press(screen, '3');
		await afterTheBeep(screen, microphone);
		microphone.speak(1200);
		await press(screen, 'r');
		// The new count comes from the store's watcher, which may see the saved
		// message before the recorder tells the machine it has ended: until
		// "Saved" the machine is still recording and Tab does nothing.
		await waitForFrame(screen, text => text.includes('3 jo 1') && text.includes('Saved message'));
		expect((await tape.snapshot()).messages.map(message => message.for)).toEqual(['sam', 'jo']);
		await press(screen, '\t');
		await press(screen, '\t');
		const samOnly = await waitForFrame(screen, text => text.includes('Showing messages for sam'));
		expect(samOnly).toContain('from alex');
		expect(samOnly).not.toMatch(/NEW\s+jo/);
	});

	it('n moves to the next message, and skips while playing', async () => {
		await leaveMessage(tape, {from: 'jo'});
		await leaveMessage(tape, {from: 'alex'});
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('2 new'));
		await press(screen, 'p');
		await press(screen, 'n');
		await waitForFrame(screen, text => /▶\s+2/.test(text));
		expect(speaker.played).toHaveLength(2);
		expect(speaker.stopped).toBe(1);
	});

	it('e erases to the undo bin and u brings the message back', async () => {
		await leaveMessage(tape, {from: 'jo'});
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('1 message'));
		await press(screen, 'e');
		await waitForFrame(screen, text => text.includes('0 messages') && text.includes('Press u to undo'));
		// The screen shows the erase at once; the store follows a moment later.
		expect(await eventually(async () => (await tape.snapshot()).bin.length === 1)).toBe(true);
		await press(screen, 'u');
		await waitForFrame(screen, text => text.includes('1 message') && text.includes('from jo'));
		expect(await eventually(async () => (await tape.snapshot()).bin.length === 0)).toBe(true);
	});

	it('an erase is never undone on screen while the store catches up, so u right after always restores', async () => {
		// The race behind "Nothing to undo." one time in ten: the look after
		// the erase's write was told bare ids instead of file names, took the
		// message as unchanged and showed it live again, with an empty bin.
		await leaveMessage(tape, {from: 'jo'});
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('1 message'));
		for (let round = 0; round < 5; round++) {
			const firstFrameAfterErase = screen.frames.length;
			await press(screen, 'e');
			await waitForFrame(screen, text => text.includes('0 messages') && text.includes('Press u to undo'));
			expect(await eventually(async () => (await tape.snapshot()).bin.length === 1)).toBe(true);
			// Long enough for the write's own look and a poll or two to land.
			await passTime(300);
			const shownLive = screen.frames.slice(firstFrameAfterErase).filter(frame => frame.includes('0 new · 1 message'));
			expect(shownLive).toEqual([]);
			await press(screen, 'u');
			await waitForFrame(screen, text => text.includes('Restored.') && text.includes('1 message'));
			expect(await eventually(async () => (await tape.snapshot()).bin.length === 0)).toBe(true);
		}
	});

	it('e then u at once: the undo is never lost to a reading of the tape from before the erase', async () => {
		const id = await leaveMessage(tape, {from: 'jo'});
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('1 message'));
		// A change from elsewhere starts a rescan just before the keys.
		await tape.mark([id], true);
		await press(screen, 'e', 0);
		await press(screen, 'u', 0);
		await waitForFrame(screen, text => text.includes('Restored.'));
		expect(await eventually(async () => {
			const snapshot = await tape.snapshot();
			return snapshot.messages.length === 1 && snapshot.bin.length === 0;
		})).toBe(true);
		await waitForFrame(screen, text => text.includes('1 message') && text.includes('from jo'));
	});

	it('E erases every heard message after a yes', async () => {
		const heardId = await leaveMessage(tape, {from: 'jo'});
		await tape.mark([heardId], true);
		await leaveMessage(tape, {from: 'alex'});
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('2 messages'));
		await press(screen, 'E');
		expect(screen.lastFrame()).toContain('Erase all heard messages? y / n');
		await press(screen, 'y');
		await waitForFrame(screen, text => text.includes('1 message') && !text.includes('from jo'));
	});

	it('r records from the microphone and r again saves the message', async () => {
		const {screen, microphone} = await pressRecord();
		await afterTheBeep(screen, microphone);
		microphone.speak(1500);
		await waitForFrame(screen, text => text.includes('● REC'));
		await press(screen, 'r');
		await waitForFrame(screen, text => text.includes('Saved message 0:01'));
		const {messages} = await tape.snapshot();
		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({from: 'sam', for: 'everyone', durationMs: 1500});
		await waitForFrame(screen, text => text.includes('1 new · 1 message'));
	});

	it('with quickMemo false, plays the greeting, then the beep, then records only what was said', async () => {
		const {screen, microphone} = await pressRecord({quickMemo: false});
		await waitForFrame(screen, () => microphone.isOpen());
		// Sound before the beep has finished is dropped, not kept.
		await waitForFrame(screen, () => microphone.isOpen());
		microphone.speak(500);
		await afterTheBeep(screen, microphone);
		expect(speaker.sounds).toEqual(['greeting.wav', 'beep.wav']);
		microphone.speak(2000, 0);
		microphone.speak(1000);
		microphone.speak(2000, 0);
		await press(screen, 'r');
		await waitForFrame(screen, text => text.includes('Saved message'));
		// One second of voice and 0.3 s of silence either side.
		expect((await tape.snapshot()).messages[0]!.durationMs).toBe(1600);
	});

	it('r leaves a memo straight after the beep by default: no greeting at the screen', async () => {
		const {screen, microphone} = await pressRecord();
		await afterTheBeep(screen, microphone);
		expect(speaker.sounds).toEqual(['beep.wav']);
		await press(screen, 's');
		await waitForFrame(screen, text => text.includes('Cancelled') || text.includes('Hang-up') || text.includes('Saved'));
	});

	it('skips the greeting for quick memos', async () => {
		const {screen, microphone} = await pressRecord({quickMemo: true});
		await waitForFrame(screen, () => microphone.isOpen());
		await press(screen, 's');
		await waitForFrame(screen, text => text.includes('Cancelled') || text.includes('Hang-up'));
		expect(speaker.sounds).toEqual(['beep.wav']);
	});

	it('says the day and time before each message', async () => {
		const id = await leaveMessage(tape);
		const spoken: string[] = [];
		const speech = {
			async render(text: string) {
				spoken.push(text);
				return `/stamps/${spoken.length}.wav`;
			},
			async dispose() {},
		};
		const screen = await render(<App ports={ports({speech})}/>);
		await waitForFrame(screen, text => text.includes('1 new'));
		await press(screen, ' ');
		await waitForFrame(screen, () => speaker.played.length === 1);
		expect(spoken.at(-1)).toMatch(/^Message 1\. \w+day, \d{1,2}:\d\d [AP]M\.$/);
		expect(speaker.played[0]).toMatch(/^\/stamps\//);
		speaker.finish();
		await waitForFrame(screen, () => speaker.played.length === 2);
		expect(speaker.played[1]).toBe(`${tape.messagesDir}/${id}.wav`);
	});

	it('g opens the greeting menu and plays the greeting', async () => {
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('No messages'));
		await press(screen, 'g');
		await waitForFrame(screen, text => text.includes('Greeting:') && text.includes('record your own'));
		await press(screen, 'p');
		await waitForFrame(screen, () => speaker.sounds.includes('greeting.wav'));
		await waitForFrame(screen, text => text.includes('Ready.'));
	});

	it('drops a hang-up and says so', async () => {
		const {screen, microphone} = await pressRecord();
		await afterTheBeep(screen, microphone);
		microphone.speak(300);
		await press(screen, '\r');
		await waitForFrame(screen, text => text.includes('Hang-up'));
		expect((await tape.snapshot()).messages).toHaveLength(0);
	});

	it('q during a recording saves it before quitting', async () => {
		const {screen, microphone} = await pressRecord();
		await afterTheBeep(screen, microphone);
		microphone.speak(2000);
		await press(screen, 'q');
		expect(await eventually(async () => (await tape.snapshot()).messages.length === 1)).toBe(true);
	});

	it('says how to install SoX when r is pressed without it, and still plays', async () => {
		await leaveMessage(tape);
		const screen = await render(<App ports={ports({microphone: missingMicrophone()})}/>);
		await waitForFrame(screen, text => text.includes('1 new'));
		await press(screen, 'r');
		await waitForFrame(screen, text => text.includes('sox is not installed'));
		await press(screen, ' ');
		await waitForFrame(screen, text => text.includes('▶ PLAY'));
	});

	it('says why a message cannot be played and leaves it new', async () => {
		const id = await leaveMessage(tape);
		const screen = await render(<App ports={ports({speaker: missingSpeaker()})}/>);
		await waitForFrame(screen, text => text.includes('1 new'));
		await press(screen, ' ');
		await waitForFrame(screen, text => text.includes('no audio player found'));
		expect(await heard(id)).toBe(false);
	});

	it('shows a message left from another terminal within a second', async () => {
		const screen = await render(<App ports={ports()}/>);
		await waitForFrame(screen, text => text.includes('No messages'));
		const started = Date.now();
		await leaveMessage(tape, {from: 'elsewhere'});
		await waitForFrame(screen, text => text.includes('from elsewhere') && text.includes('1 new'), 1000);
		expect(Date.now() - started).toBeLessThan(1000);
	});
});
