import {describe, expect, it} from 'vitest';
import {keyPresses, longestTyping} from '../../src/ui/keys.js';

const none = {ctrl: false, return: false, escape: false, tab: false, delete: false, upArrow: false, downArrow: false, leftArrow: false, rightArrow: false};

describe('one read of the terminal, as key presses', () => {
	it('counts every key of a chunk: a held j over SSH moves once per repeat', () => {
		expect(keyPresses('jj', none)).toEqual({keys: ['j', 'j']});
		expect(keyPresses('jjjjjjjjjjjj', none)).toEqual({keys: Array.from({length: 12}, () => 'j')});
	});

	it('keeps keys typed ahead while a frame draws, in order', () => {
		expect(keyPresses('Ey', none)).toEqual({keys: ['E', 'y']});
		expect(keyPresses('r2\r', none)).toEqual({keys: ['r', '2', 'enter']});
		expect(keyPresses('j k', none)).toEqual({keys: ['j', 'space', 'k']});
	});

	it('names control characters in a chunk as Ink names them alone', () => {
		expect(keyPresses('\r\r', none)).toEqual({keys: ['enter', 'enter']});
		expect(keyPresses('\t\t', none)).toEqual({keys: ['tab', 'tab']});
		expect(keyPresses('e\u007F', none)).toEqual({keys: ['e', 'delete']});
		expect(keyPresses('j\u0003', none)).toEqual({keys: ['j', 'ctrl-c']});
	});

	it('leaves a single key and Ink\'s parsed keys as they were', () => {
		expect(keyPresses('j', none)).toEqual({keys: ['j']});
		expect(keyPresses(' ', none)).toEqual({keys: ['space']});
		expect(keyPresses('', {...none, downArrow: true})).toEqual({keys: ['down']});
		expect(keyPresses('c', {...none, ctrl: true})).toEqual({keys: ['ctrl-c']});
		expect(keyPresses('', {...none, return: true})).toEqual({keys: ['enter']});
	});

	it('never splits a character: surrogate pairs and combining accents are one key each', () => {
		expect(keyPresses('😀😀', none)).toEqual({keys: ['😀', '😀']});
		expect(keyPresses('e\u0301e', none)).toEqual({keys: ['e\u0301', 'e']});
		expect(keyPresses('日本', none)).toEqual({keys: ['日', '本']});
	});

	it('ignores a paste whole: more than a few different keys at once is not typing', () => {
		expect(keyPresses('hello there', none)).toEqual({paste: 'hello there'});
		expect(keyPresses('erase', none)).toEqual({paste: 'erase'});
		expect(keyPresses('x'.repeat(longestTyping) + 'y', none)).toEqual({paste: 'xxxy'});
		expect(keyPresses('abc', none)).toEqual({keys: ['a', 'b', 'c']});
	});

	it('still quits on Ctrl-C inside a paste', () => {
		expect(keyPresses('some text\u0003', none)).toEqual({keys: ['ctrl-c']});
	});
});
