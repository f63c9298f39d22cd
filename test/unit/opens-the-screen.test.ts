// Which command lines load the screen's one-file bundle (src/opens-the-screen.ts):
// a guess that may only ever cost time, so it must send every verb and the help elsewhere.
import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {verbs} from '../../src/commands/verbs.js';
import {opensTheScreen} from '../../src/opens-the-screen.js';

const terminal = {stdin: process.stdin.isTTY, stdout: process.stdout.isTTY};
function onTerminal(stdin: boolean, stdout: boolean): void {
	process.stdin.isTTY = stdin;
	process.stdout.isTTY = stdout;
}

afterEach(() => {
	onTerminal(terminal.stdin, terminal.stdout);
});

describe('opensTheScreen', () => {
	it('is the machine on a terminal, with or without flags', () => {
		onTerminal(true, true);
		expect(opensTheScreen([])).toBe(true);
		expect(opensTheScreen(['--store', '/tmp/tape', '--as', 'sam'])).toBe(true);
	});

	it('knows every verb the command line runs (the screen\'s bundle has none of their code)', () => {
		const cases = [...readFileSync('src/main.tsx', 'utf8').matchAll(/^\t\tcase '([a-z]+)':/gm)].map(match => match[1]);
		expect(cases.length).toBeGreaterThan(10);
		expect(cases.filter(verb => !Object.hasOwn(verbs, verb!))).toEqual([]);
	});

	it('is not a verb, the help or the version', () => {
		onTerminal(true, true);
		for (const verb of Object.keys(verbs)) {
			expect(opensTheScreen([verb]), verb).toBe(false);
			expect(opensTheScreen(['--store', '/tmp/tape', verb, 'x']), verb).toBe(false);
		}

		for (const flag of ['-h', '--help', '-v', '--version']) {
			expect(opensTheScreen([flag]), flag).toBe(false);
		}
	});

	it('is not without a terminal on both sides', () => {
		onTerminal(false, true);
		expect(opensTheScreen([])).toBe(false);
		onTerminal(true, false);
		expect(opensTheScreen([])).toBe(false);
	});
});
