// Issue 12, item 8: the bundle gives Ink a faster styledCharsToString
// (scripts/ansi-tokenize-fast.mjs); it must give the package's answers.
import {styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar} from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {styledCharsToString as fastStyledCharsToString} from '../../scripts/ansi-tokenize-fast.mjs';

const sgr = fc.constantFrom('0', '1', '2', '22', '3', '23', '4', '24', '5', '25', '7', '27', '31', '32', '33', '39', '91', '94', '96', '41', '49', '38;5;208', '48;2;10;20;30', '1;31');
/** Text with colours and styles turned on and off anywhere, as Ink's lines have them. */
const styledText = fc.array(fc.oneof(fc.string({unit: fc.constantFrom('a', ' ', '█', '│', '─', '▇', '日')}), sgr.map(code => `\u001B[${code}m`)), {maxLength: 30}).map(parts => parts.join(''));
const styledChars = (text: string): StyledChar[] => styledCharsFromTokens(tokenize(text));

describe('the fast styledCharsToString', () => {
	it('gives the package\'s text for any styled line', () => {
		fc.assert(fc.property(styledText, text => {
			const chars = styledChars(text);
			expect(fastStyledCharsToString(chars)).toBe(styledCharsToString(chars));
		}), {numRuns: 2000});
	});

	it('gives the package\'s text for a row put together from several lines, as Ink overlays boxes', () => {
		fc.assert(fc.property(fc.array(styledText, {minLength: 1, maxLength: 4}), fc.array(fc.nat(), {maxLength: 40}), (texts, picks) => {
			const pools = texts.map(text => styledChars(text)).filter(chars => chars.length > 0);
			fc.pre(pools.length > 0);
			const row = picks.map((pick, index) => pools[pick % pools.length]![index % pools[pick % pools.length]!.length]!);
			expect(fastStyledCharsToString(row)).toBe(styledCharsToString(row));
		}), {numRuns: 2000});
	});

	it('keeps a run of one colour in one pair of escapes', () => {
		const chars = styledChars(`\u001B[31m${'█'.repeat(50)}\u001B[39m`);
		expect(fastStyledCharsToString(chars)).toBe(`\u001B[31m${'█'.repeat(50)}\u001B[39m`);
	});
});
