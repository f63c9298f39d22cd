// Issue 12, item 8: the bundle's Intl.Segmenter (scripts/segmenter-on-demand.mjs)
// splits text of lone characters itself; it must split as Intl does.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {OnDemandSegmenter} from '../../scripts/segmenter-on-demand.mjs';

const segmentsOf = (segmenter: Intl.Segmenter, text: string) => [...segmenter.segment(text)].map(({segment, index}) => ({segment, index}));
const containingOf = (segmenter: Intl.Segmenter, text: string, at: number) => {
	const found = segmenter.segment(text).containing(at);
	return found && {segment: found.segment, index: found.index, input: found.input};
};

// What the machine draws, and what is around it: marks that combine, CR LF,
// emoji and their joiners, surrogate pairs, variation selectors, CJK.
const screenCharacters = ['a', ' ', '\u001B', '[', '3', '1', 'm', '\n', '·', '…', '–', '←', '█', '▇', '░', '─', '│', '╭', '◉', '▭', '●', '▶'];
const othersCharacters = ['\r', '\u0301', '\u200D', '\uFE0F', '👍', '🏽', '日', '\u25FD', 'é', '\u2028', '\u0000'];

describe('OnDemandSegmenter', () => {
	it('splits into graphemes as Intl.Segmenter does, on the machine\'s text and on any other', () => {
		const real = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
		const ours = new OnDemandSegmenter(undefined, {granularity: 'grapheme'});
		const byDefault = new OnDemandSegmenter();
		fc.assert(fc.property(fc.array(fc.oneof(fc.constantFrom(...screenCharacters), fc.constantFrom(...othersCharacters)), {maxLength: 30}).map(parts => parts.join('')), fc.nat(40), (text, at) => {
			expect(segmentsOf(ours, text)).toEqual(segmentsOf(real, text));
			expect(segmentsOf(byDefault, text)).toEqual(segmentsOf(real, text));
			expect(containingOf(ours, text, at)).toEqual(containingOf(real, text, at));
		}), {numRuns: 3000});
	});

	it('gives words and sentences to Intl.Segmenter', () => {
		const text = 'Left for sam. Back at six';
		for (const granularity of ['word', 'sentence'] as const) {
			expect([...new OnDemandSegmenter('en', {granularity}).segment(text)]).toEqual([...new Intl.Segmenter('en', {granularity}).segment(text)]);
		}
	});
});
