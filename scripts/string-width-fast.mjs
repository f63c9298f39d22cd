// string-width with one more fast path, put in place of the package for
// everything bundled (Ink, wrap-ansi, cli-truncate, widest-line: see
// bundle.mjs). string-width measures any text beyond printable ASCII by
// grapheme (Intl.Segmenter) and emoji regexes: its first such call costs
// ~50 ms and each 60-cell bar ~0.4 ms, and the machine's first frame is drawn
// from box-drawing lines, block bars and the LED digits. Those characters are
// one cell each (East Asian Width narrow or ambiguous, never emoji on their
// own), so a string made only of them is as wide as it is long: the same
// answer, without the segmenter. Anything else goes to string-width itself.
import stringWidth from '../node_modules/string-width/index.js';

/** Printable ASCII, the middle dot, dashes, quotes and … (U+2010–2027), ←↑→↓, box drawing, block elements and geometric shapes up to U+25FC (U+25FD and U+25FE are emoji). */
const oneCellEach = /^[\u0020-\u007E\u00B7\u2010-\u2027\u2190-\u2193\u2500-\u25FC]*$/;
/** Colours and styles (SGR), which take no cells: Ink measures its styled lines. */
// eslint-disable-next-line no-control-regex -- the escape is what is looked for
const styles = /\u001B\[[\d;]*m/g;

export default function fastStringWidth(input, options = {}) {
	// Ambiguous characters count as two cells when asked: then string-width decides.
	if (typeof input === 'string' && options.ambiguousIsNarrow !== false) {
		const text = options.countAnsiEscapeCodes || !input.includes('\u001B') ? input : input.replaceAll(styles, '');
		if (oneCellEach.test(text)) {
			return text.length;
		}
	}

	return stringWidth(input, options);
}
