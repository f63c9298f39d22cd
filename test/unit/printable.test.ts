// Text from the store is untrusted: whoever can write the folder must not be
// able to drive a reader's terminal through a name or a file name.
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {hasInvisible, printable} from '../../src/printable.js';
import {checkName, isSafeName, isShowableName, nameKey, parseMeta} from '../../src/tape/message.js';

const escape = '\u001B';
const hostile = {
	'OSC 0 retitle': `${escape}]0;pwned\u0007`,
	'OSC 52 clipboard': `${escape}]52;c;cm0gLXJmIH4=\u0007`,
	'hidden text': `${escape}[8mhidden`,
	'newline forging a row': 'jo\n20261127-000000-000-aaaaaa NEW',
	'bidi override': 'sam\u202Eevil',
	'zero-width space': 'sa\u200Bm',
	'C1 CSI': 'jo\u009B31m',
	'byte-order mark': 'j\uFEFFo',
};

describe('printable', () => {
	test.each(Object.entries(hostile))('makes a %s visible and harmless', (_what, text) => {
		const shown = printable(text);
		expect(hasInvisible(shown)).toBe(false);
		expect(shown).not.toContain(escape);
		expect(shown).not.toContain('\n');
		expect(shown.length).toBeGreaterThan(0);
	});

	test('leaves plain names alone, accents and emoji included', () => {
		for (const name of ['sam', 'Zoë', 'José María', '山田', 'jo 🎸']) {
			expect(printable(name)).toBe(name);
		}
	});

	test('control characters become one-cell pictures, so columns stay aligned', () => {
		expect(printable('a\u001Bb\nc\u007F')).toBe('a\u241Bb\u240Ac\u2421');
	});

	test('nothing printable ever holds a control or invisible character', () => {
		fc.assert(fc.property(fc.string({unit: 'binary'}), text => {
			expect(hasInvisible(printable(text))).toBe(false);
		}));
	});
});

describe('names, on input and on read alike', () => {
	test.each(Object.entries(hostile))('a name with a %s is refused', (_what, text) => {
		expect(() => checkName(text)).toThrow(/control or an invisible character/);
		expect(isSafeName(text)).toBe(false);
	});

	test('the refusal itself shows the name harmlessly', () => {
		try {
			checkName(hostile['OSC 0 retitle']);
			expect.unreachable();
		} catch (error) {
			expect((error as Error).message).not.toContain(escape);
		}
	});

	test('a name mixing alphabets, which could pass for another, is refused', () => {
		// A Cyrillic ѕ (U+0455) and a Latin "am".
		expect(() => checkName('\u0455am')).toThrow(/mixes alphabets/);
		expect(checkName('Алёна')).toBe('Алёна');
	});

	test('a name read from the store is shown unless it is dangerous on a terminal', () => {
		expect(isShowableName('al\\ex')).toBe(true);
		expect(isShowableName('Zoë "the voice"')).toBe(true);
		for (const text of Object.values(hostile)) {
			expect(isShowableName(text)).toBe(false);
		}
	});

	test('names a reader could not tell apart share a key', () => {
		expect(nameKey('ｓａｍ')).toBe(nameKey('sam'));
		expect(nameKey('Sam')).toBe(nameKey('sam'));
		expect(nameKey('jo')).not.toBe(nameKey('sam'));
	});

	test('metadata whose for or from is not a usable name is set aside, not shown', () => {
		const id = '20261127-090000-000-aaaaaa';
		const base = {id, for: 'everyone', from: 'jo', createdAt: '2026-11-27T09:00:00.000Z', durationMs: 2000};
		expect(parseMeta(base, id).ok).toBe(true);
		expect(parseMeta({...base, from: hostile['newline forging a row']}, id)).toEqual({ok: false, reason: 'metadata field "from" is not a usable name'});
		expect(parseMeta({...base, for: hostile['OSC 52 clipboard']}, id)).toEqual({ok: false, reason: 'metadata field "for" is not a usable name'});
	});
});
