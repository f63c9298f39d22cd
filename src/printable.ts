// Text from the store (names, file names, reasons) is written by whoever can
// write the folder: a housemate, a synced computer. Shown raw, a control or
// escape character in it would drive the reader's terminal (retitle it, write
// its clipboard with OSC 52, hide rows), a newline would forge a row, and a
// bidi override would show a name backwards. Everything shown passes here.

/**
 * Controls (C0, DEL, C1), format characters (bidi overrides and isolates,
 * zero-width joiners and spaces, the byte-order mark) and line or paragraph
 * separators: nothing a name needs, everything a trick does.
 */
const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const invisibleEverywhere = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Whether text holds a character that is a control, invisible or reorders what follows. */
export function hasInvisible(text: string): boolean {
	return invisible.test(text);
}

function visibleForm(character: string): string {
	const code = character.codePointAt(0) ?? 0;
	// C0 controls and DEL have pictures of their own (␛, ␊, ␡): one cell each,
	// so columns stay aligned and the reader still sees something was there.
	if (code < 0x20) {
		return String.fromCodePoint(0x24_00 + code);
	}

	if (code === 0x7F) {
		return '\u2421';
	}

	return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** The text with every control and invisible character made visible and harmless. */
export function printable(text: string): string {
	// Nearly every name is plain: one test, no copy (listing 10,000 messages
	// passes each name through here).
	return invisible.test(text) ? text.replaceAll(invisibleEverywhere, visibleForm) : text;
}
