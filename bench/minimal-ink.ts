// The yardstick for the machine: the smallest Ink app, loaded unbundled from
// node_modules. run.ts turns it into plain JavaScript first (minimal-ink.mjs
// beside the copy of dist/), so that no TypeScript loader's start-up is timed.
//
//   node minimal-ink.mjs           renders one line, then exits (first-frame bench)
//   node minimal-ink.mjs --blink   a line that blinks twice a second, like the
//                                  machine's counter, until killed (idle CPU bench)
//   node minimal-ink.mjs --keys    counts the keys it is sent, until killed
//                                  (the floor under the key latency bench)
import React from 'react';
import {render, Text, useInput} from 'ink';

const h = React.createElement;

if (process.argv.includes('--blink')) {
	function Blink() {
		const [lit, setLit] = React.useState(true);
		React.useEffect(() => {
			const timer = setInterval(() => {
				setLit(previous => !previous);
			}, 500);
			return () => {
				clearInterval(timer);
			};
		}, []);
		return h(Text, {color: lit ? 'red' : 'gray'}, 'minimal ink ready: 3 NEW');
	}

	render(h(Blink));
} else if (process.argv.includes('--keys')) {
	function Keys() {
		const [count, setCount] = React.useState(0);
		useInput(() => {
			setCount(previous => previous + 1);
		});
		return h(Text, null, `minimal ink ready: key ${count}`);
	}

	render(h(Keys));
} else {
	const {unmount, waitUntilExit} = render(h(Text, null, 'minimal ink ready'));
	// Let the first frame reach the terminal, then leave.
	setTimeout(() => {
		unmount();
	}, 50);
	await waitUntilExit();
}
