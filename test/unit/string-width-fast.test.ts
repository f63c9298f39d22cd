// Issue 12, item 8: the bundle measures text with a faster string-width
// (scripts/string-width-fast.mjs); it must give string-width's answers.
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import fastStringWidth from '../../scripts/string-width-fast.mjs';

describe('the fast string-width', () => {
	it('agrees with string-width on every character of its fast path, and around it', () => {
		for (let code = 0; code <= 0x2_7FF; code++) {
			const text = String.fromCodePoint(code);
			expect(fastStringWidth(text), `U+${code.toString(16)}`).toBe(stringWidth(text));
			expect(fastStringWidth(text, {ambiguousIsNarrow: false}), `U+${code.toString(16)} wide`).toBe(stringWidth(text, {ambiguousIsNarrow: false}));
		}
	});

	it('agrees on what the screen draws, and on text it passes on', () => {
		for (const text of ['█'.repeat(40) + '░'.repeat(20), '╭──── TAPE ────╮', '│ (◐) ▭▭▭▭ (◐) │', ' ███ ███ ', '▶ PLAY  0:03 / 0:04', 'for: 0 all · 1 everyone', '日本', '👍', '▶️', '\u001B[31m█\u001B[0m', '\u001B[2m│ \u001B[22m(◉)\u001B[2m ▭▭▭▭ \u001B[22m(◉)\u001B[2m │\u001B[22m', '\u001B]8;;x\u0007link\u001B]8;;\u0007', '\u001B[31', '  Loading the tape…', 'é', 'e\u0301', '']) {
			expect(fastStringWidth(text), text).toBe(stringWidth(text));
			expect(fastStringWidth(text, {countAnsiEscapeCodes: true}), text).toBe(stringWidth(text, {countAnsiEscapeCodes: true}));
		}
	});
});
