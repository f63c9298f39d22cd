// Which characters the terminal can show, decided once, here. The screen is
// drawn with box-drawing lines, blocks and symbols; the Linux console's font
// has few of them (no rounded corners, reels or waveform bars), and a terminal
// in a locale that is not UTF-8 shows each of their bytes as a wrong letter.
// There every character goes out as plain ASCII, one for one, so that what Ink
// laid out keeps its columns.

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether to draw in plain ASCII: ANSWERPHONE_ASCII=1 (or 0 to refuse),
 * else on the Linux console (TERM=linux), or in a locale that is set and is
 * not UTF-8 (LC_ALL, then LC_CTYPE, then LANG, as the C library reads them;
 * C and POSIX are ASCII). No locale at all, as in many containers, is taken
 * as UTF-8: the terminal, not the process, decides what shows, and those
 * terminals are UTF-8.
 */
export function wantsAscii(env: Env): boolean {
	const forced = env['ANSWERPHONE_ASCII'];
	if (forced === '1' || forced === '0') {
		return forced === '1';
	}

	if (env['TERM'] === 'linux') {
		return true;
	}

	const locale = [env['LC_ALL'], env['LC_CTYPE'], env['LANG']].find(value => value !== undefined && value !== '');
	return locale !== undefined && !/utf-?8/i.test(locale);
}

// Each glyph the screen draws, and its stand-in of the same width.
const stand: Record<string, string> = {
	'█': '#', '░': '.', '▁': '_', '▂': '_', '▃': '-', '▄': '-', '▅': '=', '▆': '=', '▇': '#',
	'─': '-', '━': '-', '│': '|', '┃': '|', '╭': '+', '╮': '+', '╰': '+', '╯': '+', '┌': '+', '┐': '+', '└': '+', '┘': '+',
	'◐': '|', '◓': '/', '◑': '-', '◒': '\\', '◉': 'o', '▭': '=', '▶': '>', '›': '>', '❚': '|', '●': '*',
	'·': '-', '…': '.', '–': '-', '—': '-', '→': '>', '←': '<', '↑': '^', '↓': 'v', '∞': '~', '×': 'x', '°': 'o',
	'\u00A0': ' ',
};

// Characters two columns wide (East Asian wide, most emoji): two stand-ins,
// so the columns after them stay where Ink put them.
const wide = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;
// Characters of no width: combining marks, joiners, variation selectors.
const zeroWidth = /[\p{M}\u200B-\u200F\u2060\uFEFF]/u;

/** text with every character outside ASCII replaced by a stand-in of the same width ('?' for the unknown). */
export function toAscii(text: string): string {
	// eslint-disable-next-line no-control-regex -- the test for "all ASCII already", the common case
	if (/^[\u0000-\u007F]*$/.test(text)) {
		return text;
	}

	let out = '';
	for (const character of text) {
		if (character.codePointAt(0)! < 0x80) {
			out += character;
		} else if (stand[character] !== undefined) {
			out += stand[character];
		} else if (zeroWidth.test(character)) {
			continue;
		} else {
			out += wide.test(character) ? '??' : '?';
		}
	}

	return out;
}

/** This process's choice: the screen writes through toAscii when true. */
export const asciiOnly = wantsAscii(process.env);

/** What a name cut short ends with. */
export const ellipsis = asciiOnly ? '~' : '…';
