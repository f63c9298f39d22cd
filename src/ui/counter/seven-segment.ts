// Digits drawn as a seven-segment LED, five rows tall, like the counter on
// the front of the old machines.
const font: Record<string, readonly string[]> = {
	0: ['███', '█ █', '█ █', '█ █', '███'],
	1: ['  █', '  █', '  █', '  █', '  █'],
	2: ['███', '  █', '███', '█  ', '███'],
	3: ['███', '  █', '███', '  █', '███'],
	4: ['█ █', '█ █', '███', '  █', '  █'],
	5: ['███', '█  ', '███', '  █', '███'],
	6: ['███', '█  ', '███', '█ █', '███'],
	7: ['███', '  █', '  █', '  █', '  █'],
	8: ['███', '█ █', '███', '█ █', '███'],
	9: ['███', '█ █', '███', '  █', '███'],
};

export const digitRows = 5;

/** The rows of a number drawn in seven-segment digits, at least two digits wide like the real counter. */
export function sevenSegmentRows(value: number): string[] {
	const digits = String(Math.min(Math.max(0, Math.floor(value)), 99)).padStart(2, '0').split('');
	return Array.from({length: digitRows}, (_, row) => digits.map(digit => font[digit]![row]).join(' '));
}
