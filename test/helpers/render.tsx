// ink-testing-library under React 19: rendering, key presses and timer
// advances must run inside act() or effects and intervals do not show in
// lastFrame() (NOTES.md).
import {PassThrough} from 'node:stream';
import type {WriteStream} from 'node:tty';
import {act, type ReactElement} from 'react';
import {cleanup, render as inkRender} from 'ink-testing-library';
import {afterEach, beforeEach, vi} from 'vitest';
import type {Tape} from '../../src/tape/store.js';
import type {MachinePorts} from '../../src/ui/ports.js';
import {fakeMicrophone, fakeSpeaker, type FakeSpeaker} from './fake-audio.js';
import {tempTapeEachTest} from './store.js';
import {waitFor} from './wait-for.js';

declare global {

	var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

globalThis.IS_REACT_ACT_ENVIRONMENT = true;

export type Rendered = ReturnType<typeof inkRender>;

export async function render(element: ReactElement): Promise<Rendered> {
	let rendered: Rendered | undefined;
	await act(async () => {
		rendered = inkRender(element);
	});
	return rendered!;
}

/** Draws the screen again with new props, as React would on a change. */
export async function rerender(rendered: Rendered, element: ReactElement): Promise<void> {
	await act(async () => {
		rendered.rerender(element);
	});
}

export async function press(rendered: Rendered, keys: string, settleMs = 30): Promise<void> {
	await act(async () => {
		rendered.stdin.write(keys);
		// Ink holds a lone Escape for 20 ms before deciding it is not a sequence.
		await new Promise(resolve => {
			setTimeout(resolve, settleMs);
		});
	});
}

/** Waits (in real time) until the frame satisfies check, letting effects and file I/O run. */
export async function waitForFrame(rendered: Rendered, check: (frame: string) => boolean, timeoutMs = 5000): Promise<string> {
	let frame = '';
	return waitFor('the screen', () => {
		frame = rendered.lastFrame() ?? '';
		return check(frame) ? frame : undefined;
	}, {
		timeoutMs,
		intervalMs: 20,
		lastSeen: () => `last frame:\n${frame}`,
		pause: passTime,
	});
}

/** Lets ms of real time go by inside act(), so what the screen does meanwhile shows in lastFrame(). */
export async function passTime(ms: number): Promise<void> {
	await act(async () => {
		await new Promise(resolve => {
			setTimeout(resolve, ms);
		});
	});
}

export async function unmountAll(): Promise<void> {
	await act(async () => {
		cleanup();
	});
}

export type ScreenFixture = {tape: Tape; dir: string; speaker: FakeSpeaker};

/**
 * tempTapeEachTest for screens, with a fake speaker of the test's own: each
 * test's screens are unmounted before its store is removed. Returns ports():
 * what the test gives the App, on that store and speaker, with a fresh fake
 * microphone, sam at the machine and a quick poll, unless overrides say else.
 */
export function screenOnTempTapeEachTest(setUp: (fresh: ScreenFixture) => void | Promise<void>): (overrides?: Partial<MachinePorts>) => MachinePorts {
	let current: ScreenFixture | undefined;
	tempTapeEachTest(async fresh => {
		current = {...fresh, speaker: fakeSpeaker()};
		await setUp(current);
	}, unmountAll);
	return (overrides = {}) => {
		if (current === undefined) {
			throw new Error('ports() is for use inside a test: the store is made before each one');
		}

		return {tape: current.tape, microphone: fakeMicrophone(), speaker: current.speaker, from: 'sam', pollMs: 100, ...overrides};
	};
}

/**
 * Vitest's fake timers for each test of the describe block this is called in
 * (the clock set to now, when given); the test's screens are unmounted before
 * the real timers come back.
 */
export function fakeTimersEachTest(now?: number | Date): void {
	beforeEach(() => {
		vi.useFakeTimers(now === undefined ? undefined : {now});
	});

	afterEach(async () => {
		await unmountAll();
		vi.useRealTimers();
	});
}

/** Moves the fake clock on by ms inside act(), so what its timers draw shows in lastFrame(). */
export async function advance(ms: number): Promise<void> {
	await act(async () => {
		await vi.advanceTimersByTimeAsync(ms);
	});
}

/** A terminal that only records what is written to it. */
export function fakeTerminal(): {stdout: WriteStream; written: () => string} {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString();
	});
	Object.assign(stream, {columns: 80, rows: 24, isTTY: true});
	return {stdout: stream as unknown as WriteStream, written: () => text};
}
