// Text fitted to the columns there are: names cut where a reader can still
// read them, the clock shortened before it touches the title, prompts wrapped.
import {formatClockFace} from '../time.js';
import {ellipsis} from './glyphs.js';

const wordBreak = /[\s\-_./@]/;

/**
 * text in at most width columns: whole when it fits, else cut with an
 * ellipsis after its last whole word that fits ("everyone-else" in 10:
 * "everyone…"). A name of one long word, or whose last fitting word ends too
 * early to say much, is cut inside the word, still with the ellipsis.
 */
export function fitText(text: string, width: number, mark = ellipsis): string {
	const characters = [...text];
	if (characters.length <= width) {
		return text;
	}

	const room = width - mark.length;
	if (room < 1) {
		return characters.slice(0, Math.max(0, width)).join('');
	}

	// The last break at or before room: the words before it fit.
	let cut = -1;
	for (let index = room; index > 0; index--) {
		if (wordBreak.test(characters[index]!)) {
			cut = index;
			break;
		}
	}

	let head = characters.slice(0, cut >= Math.ceil(room / 2) ? cut : room).join('');
	head = head.replace(/[\s\-_./@]+$/, '');
	return head + mark;
}

/** fitText, padded to exactly width columns: a column of a table. */
export function fitColumn(text: string, width: number): string {
	return fitText(text, width).padEnd(width);
}

/**
 * The clock for a header of width columns beside a title: "Fri 27 Nov,
 * 18:42", else without the weekday, else the time alone, so that at least
 * one space stays between them (and one at each edge).
 */
export function headerClock(now: Date, title: string, width: number): string {
	const full = formatClockFace(now);
	const withoutWeekday = full.slice(full.indexOf(' ') + 1);
	const time = full.slice(full.lastIndexOf(' ') + 1);
	const choices = [full, withoutWeekday, time];
	return choices.find(choice => 1 + title.length + 1 + choice.length + 1 <= width) ?? '';
}

/** text wrapped at spaces into lines of at most width columns (a longer word is broken). */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line === '') {
			line = word;
		} else if ([...line].length + 1 + [...word].length <= width) {
			line += ` ${word}`;
		} else {
			lines.push(line);
			line = word;
		}

		while (width >= 1 && [...line].length > width) {
			lines.push([...line].slice(0, width).join(''));
			line = [...line].slice(width).join('');
		}
	}

	lines.push(line);
	return lines;
}

/** How many lines text takes wrapped at spaces in width columns, as Ink wraps it. */
export function wrappedLines(text: string, width: number): number {
	return wrapWords(text, Math.max(1, width)).length;
}
