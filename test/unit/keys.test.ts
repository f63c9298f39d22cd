import {readFileSync} from 'node:fs';
import {useInput} from 'ink';
import fc from 'fast-check';
import {createElement} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {
	actionFor, anyOtherKey, bindingFor, everyMode, footerLabels, helpTable, keyTable, namedKeys, type KeyName,
} from '../../src/machine/keys.js';
import {initialState, transition, type Mode, type ModeKind, type State} from '../../src/machine/machine.js';
import {HelpScreen} from '../../src/ui/help-screen.js';
import {keyName} from '../../src/ui/keys.js';
import {fakeMessage} from '../helpers/messages.js';
import {press, render, unmountAll} from '../helpers/render.js';

const now = 50_000;

/** How a label writes a named key. */
const shownAs: Record<string, string> = {
	space: 'space', enter: 'Enter', escape: 'Esc', tab: 'Tab', delete: 'Delete', up: '↑', down: '↓', left: '←', right: '→', 'ctrl-c': 'Ctrl-C',
};

/** The keys a label names: "Tab / 0–9" is Tab and the ten digits. */
function keysInLabel(label: string): string[] {
	if (label === anyOtherKey) {
		return [anyOtherKey];
	}

	return label.split(/[ /]+/).flatMap(word => {
		const range = /^(\d)–(\d)$/.exec(word);
		if (range) {
			return Array.from({length: Number(range[2]) - Number(range[1]) + 1}, (_, index) => String(Number(range[1]) + index));
		}

		return [Object.entries(shownAs).find(([, shown]) => shown === word)?.[0] ?? word];
	});
}

/**
 * A machine in each mode with something to act on: messages heard and new,
 * one erased, nine mailboxes so every number key means someone.
 */
function machineIn(kind: ModeKind): State {
	const messages = [fakeMessage({heard: true}), fakeMessage(), fakeMessage({for: 'sam'}), fakeMessage()];
	const mailboxes = ['sam', 'jo', 'alex', 'kim', 'lee', 'max', 'noa', 'pat'];
	const loaded = transition(initialState, {type: 'tape-changed', tape: {
		messages, bin: [fakeMessage()], usedMs: 20_000, capacityMs: 1_200_000, maxMessageMs: 60_000, problems: 0, mailboxes,
	}}).state;
	const selected = loaded.selectedId!;
	const modes: Record<ModeKind, Mode> = {
		idle: {kind: 'idle'},
		recording: {kind: 'recording', target: 'message', startedAt: now - 1000, limitMs: 60_000, stopping: false},
		'greeting-menu': {kind: 'greeting-menu'},
		'playing-greeting': {kind: 'playing-greeting'},
		playing: {kind: 'playing', id: selected, startedAt: now - 3000, durationMs: 5000, pausedAt: undefined},
		'choose-recipient': {kind: 'choose-recipient'},
		'confirm-erase-heard': {kind: 'confirm-erase-heard'},
		'confirm-erase-kept': {kind: 'confirm-erase-kept', id: selected},
		help: {kind: 'help'},
	};
	return {...loaded, mode: modes[kind]};
}

afterEach(async () => {
	await unmountAll();
});

describe('the key table', () => {
	it('binds no key twice in one mode', () => {
		for (const mode of everyMode) {
			const presses = keyTable.filter(binding => binding.modes.includes(mode)).flatMap(binding => binding.presses);
			expect(presses.filter((key, index) => presses.indexOf(key) !== index), mode).toEqual([]);
		}
	});

	it('gives each key its action in every mode its line claims, and the action does something there', () => {
		for (const binding of keyTable) {
			for (const mode of binding.modes) {
				for (const key of binding.presses) {
					const action = actionFor(mode, key, now);
					expect(bindingFor(mode, key), `${key} in ${mode}`).toBe(binding);
					expect(action).toEqual(binding.action(key, now));
					const state = machineIn(mode);
					const step = transition(state, action!);
					expect(step.state !== state || step.effects.length > 0, `${key} in ${mode} does nothing`).toBe(true);
				}
			}
		}
	});

	it('names in each label exactly the keys it binds', () => {
		for (const binding of keyTable) {
			expect([...keysInLabel(binding.keys)].sort(), binding.keys).toEqual([...binding.presses].sort());
		}
	});

	it('names keys the terminal side can report: a named key or one character', () => {
		for (const key of keyTable.flatMap(binding => binding.presses)) {
			expect((namedKeys as readonly string[]).includes(key) || key.length === 1 || key === anyOtherKey, key).toBe(true);
		}
	});

	it('lets the footer show only keys the help explains', () => {
		expect(footerLabels).toEqual(helpTable.flatMap(binding => (binding.footer ? [binding.footer] : [])));
		for (const label of footerLabels) {
			const binding = helpTable.find(candidate => candidate.footer === label)!;
			expect(binding.keys.split(' / ')[0]).toBe(label.split(' ')[0]);
		}
	});

	it('agrees with the README\'s Keys table, key for key', () => {
		const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
		const section = readme.slice(readme.indexOf('## Keys'), readme.indexOf('\n## ', readme.indexOf('## Keys') + 1));
		const rows = section.split('\n').filter(line => line.startsWith('| ') && !line.startsWith('| key') && !line.startsWith('| ---'));
		expect(rows.map(row => row.split(' | ')[0]!.slice(2))).toEqual(helpTable.map(binding => binding.keys));
	});

	it('always lets a key pressed at random be answered by one line, and Ctrl-C always quits', () => {
		const keys = [...new Set(keyTable.flatMap(binding => binding.presses)), 'x', 'Z', 'F5'];
		fc.assert(fc.property(fc.array(fc.constantFrom(...keys), {maxLength: 30}), fc.constantFrom(...everyMode), (presses, start) => {
			let state = machineIn(start);
			for (const key of presses) {
				const claiming = keyTable.filter(binding => binding.modes.includes(state.mode.kind) && binding.presses.includes(key));
				expect(claiming.length).toBeLessThanOrEqual(1);
				expect(actionFor(state.mode.kind, 'ctrl-c', now)).toEqual({type: 'quit'});
				const action = actionFor(state.mode.kind, key, now);
				if (action) {
					state = transition(state, action).state;
				}
			}
		}));
	});
});

describe('the help screen', () => {
	it('draws each helped key from the table, its explanation wrapped beside it, never cut', async () => {
		const screen = await render(createElement(HelpScreen));
		const lines = (screen.lastFrame() ?? '').split('\n').map(line => line.replace(/^│ /, '').replace(/ *│$/, ''));
		const width = Math.max(...helpTable.map(binding => binding.keys.length));
		const body = lines.slice(lines.indexOf('Keys') + 1, lines.findIndex(line => line.startsWith('? or Esc')));
		// A line with its keys starts an entry; one indented under them goes on with it.
		const entries: string[] = [];
		for (const line of body) {
			if (line.startsWith(' '.repeat(width + 2)) && entries.length > 0) {
				entries[entries.length - 1] += ` ${line.trim()}`;
			} else {
				entries.push(line);
			}
		}

		expect(entries).toHaveLength(helpTable.length);
		for (const [index, binding] of helpTable.entries()) {
			expect(entries[index]).toBe(`${binding.keys.padEnd(width)}  ${binding.does}`);
		}
	});
});

describe('key names from the terminal', () => {
	it('reads Ink\'s key presses as the table names them', async () => {
		const heard: KeyName[] = [];
		function Listener() {
			useInput((input, key) => {
				heard.push(keyName(input, key));
			});
			return null;
		}

		const screen = await render(createElement(Listener));
		for (const sequence of [' ', 'p', 'E', '?', '7', '\r', '\u001B', '\t', '\u007F', '\u001B[A', '\u001B[B', '\u001B[D', '\u001B[C', '\u0003']) {
			await press(screen, sequence);
		}

		expect(heard).toEqual(['space', 'p', 'E', '?', '7', 'enter', 'escape', 'tab', 'delete', 'up', 'down', 'left', 'right', 'ctrl-c']);
	});
});
