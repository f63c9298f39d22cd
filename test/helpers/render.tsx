// ink-testing-library under React 19: rendering, key presses and timer
// advances must run inside act() or effects and intervals do not show in
// lastFrame() (NOTES.md).
import {act, type ReactElement} from 'react';
import {cleanup, render as inkRender} from 'ink-testing-library';

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
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = rendered.lastFrame() ?? '';
		if (check(frame)) {
			return frame;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for the screen; last frame:\n${frame}`);
		}

		await act(async () => {
			await new Promise(resolve => {
				setTimeout(resolve, 20);
			});
		});
	}
}

export async function unmountAll(): Promise<void> {
	await act(async () => {
		cleanup();
	});
}
