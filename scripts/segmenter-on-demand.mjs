// Intl.Segmenter for everything bundled (see bundle.mjs), made when first
// needed for text it cannot split itself. The first Intl.Segmenter a process
// makes loads ICU's break rules: 14 ms, paid as the screen loads by
// string-width, slice-ansi and @alcalzone/ansi-tokenize, which each make one
// at the top of their module. Ink splits every line of every frame into
// graphemes, and the machine's lines are ASCII, box drawing, blocks and a few
// signs, where each UTF-16 unit is a grapheme of its own: those are split
// here, the same way, and anything else goes to a real Intl.Segmenter.

// The bundle reads every other Intl.Segmenter as OnDemandSegmenter.
const RealSegmenter = globalThis.Intl.Segmenter;

/**
 * Characters that are each a grapheme of their own, whatever is around them:
 * ASCII but CR (CR LF is one grapheme), the middle dot, dashes, quotes and …
 * (U+2010–2027), arrows, box drawing, block elements and geometric shapes up
 * to U+25FC (none combines, extends or joins).
 */
// eslint-disable-next-line no-control-regex -- control characters are graphemes of their own too
const alone = /^[\u0000-\u000C\u000E-\u007F\u00B7\u2010-\u2027\u2190-\u2193\u2500-\u25FC]*$/;

/** The segments of a text whose every unit is a grapheme, shaped as Intl's. */
class UnitSegments {
	constructor(input) {
		this.input = input;
	}

	containing(index = 0) {
		const at = Math.trunc(Number(index) || 0);
		return at >= 0 && at < this.input.length ? {segment: this.input[at], index: at, input: this.input} : undefined;
	}

	* [Symbol.iterator]() {
		for (let index = 0; index < this.input.length; index++) {
			yield {segment: this.input[index], index, input: this.input};
		}
	}
}

export class OnDemandSegmenter {
	#locales;
	#options;
	#real;

	constructor(locales, options) {
		this.#locales = locales;
		this.#options = options;
	}

	#segmenter() {
		this.#real ??= new RealSegmenter(this.#locales, this.#options);
		return this.#real;
	}

	segment(input) {
		const text = String(input);
		if ((this.#options?.granularity ?? 'grapheme') === 'grapheme' && alone.test(text)) {
			return new UnitSegments(text);
		}

		return this.#segmenter().segment(text);
	}

	resolvedOptions() {
		return this.#segmenter().resolvedOptions();
	}
}
