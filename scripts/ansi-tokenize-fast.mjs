// @alcalzone/ansi-tokenize with one more fast path, put in place of the
// package for Ink (see bundle.mjs). Ink turns every line of every frame back
// into text with styledCharsToString, which asks diffAnsiCodes, character by
// character, how to go from the previous character's styles to this one's:
// three Sets and four arrays each time, ~11 ms of the machine's first frame
// (100×30 cells of coloured box drawing; the minimal Ink app prints one
// plain line). Between two characters styled alike, most of them, the answer
// is always nothing: only that is skipped, everything else is the package's.
import {ansiCodesToString, diffAnsiCodes} from '../node_modules/@alcalzone/ansi-tokenize/build/index.js';

export * from '../node_modules/@alcalzone/ansi-tokenize/build/index.js';

/** The same codes in the same order: then diffAnsiCodes(from, to) is empty. */
function sameStyles(from, to) {
	if (from === to) {
		return true;
	}

	if (from.length !== to.length) {
		return false;
	}

	for (let index = 0; index < from.length; index++) {
		if (from[index].code !== to[index].code || from[index].endCode !== to[index].endCode) {
			return false;
		}
	}

	return true;
}

export function styledCharsToString(chars) {
	let text = '';
	for (let index = 0; index < chars.length; index++) {
		const char = chars[index];
		if (index === 0) {
			text += ansiCodesToString(char.styles);
		} else {
			const previous = chars[index - 1].styles;
			if (!sameStyles(previous, char.styles)) {
				text += ansiCodesToString(diffAnsiCodes(previous, char.styles));
			}
		}

		text += char.value;
		// The styles still on are ended with the line.
		if (index === chars.length - 1 && char.styles.length > 0) {
			text += ansiCodesToString(diffAnsiCodes(char.styles, []));
		}
	}

	return text;
}
