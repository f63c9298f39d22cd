// ink-testing-library under React 19: rendering, key presses and timer
// advances must run inside act() or effects and intervals do not show in
// lastFrame() (NOTES.md).
import {act, type ReactElement} from 'react';
import {cleanup, render as inkRender} from 'ink-testing-library';
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
		pause: async ms => act(async () => {
			await new Promise(resolve => {
				setTimeout(resolve, ms);
			});
		}),
	});
}

export async function unmountAll(): Promise<void> {
	await act(async () => {
		cleanup();
	});
}
