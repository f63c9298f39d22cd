import {Box, Text} from 'ink';
import {helpTable, type HelpedKeyBinding} from '../machine/keys.js';
import {fitText, wrapWords} from './fit.js';
import {textColors} from './palette.js';

const keysWidth = Math.max(...helpTable.map(entry => entry.keys.length));

// When even one line per key does not fit (a window under 22 rows), these go
// first, least needed first: the help itself, then the fine controls. Play,
// erase, record and quit are never left out.
const dropOrder = ['?', ', / .', '[ / ]', '- / + =', '↑ ↓ / k j', '*', 'g', 'Tab / 0–9', 'E', 's / Esc', 'b / ←', 'n / →', 'u'];

type HelpLine = {keys: string; does: string};
type HelpLayout = {columns: HelpLine[][]; closing: string};

// The border takes a row above and below, the title and the closing line one each.
const chromeRows = 4;

function entryLines(entry: HelpedKeyBinding, doesWidth: number, whole: boolean): HelpLine[] {
	// An explanation that ends in its own ellipsis ("2… housemates") is not given a second one.
	// \u2026 is …, written out as everywhere in a regular expression (scripts/bundle.mjs).
	const lines = whole ? wrapWords(entry.does, doesWidth) : [fitText(entry.does, doesWidth).replace(/\u2026+$/, '…')];
	return lines.map((does, index) => ({keys: index === 0 ? entry.keys : '', does}));
}

function closingLine(inner: number, left: number): string {
	const choices = left === 0
		? ['? or Esc closes this help. From a shell: answerphone --help', '? or Esc closes · answerphone --help', 'Esc closes']
		: [`? or Esc closes. ${left} more key${left === 1 ? '' : 's'} in a taller window`, `Esc closes · ${left} more in a taller window`, `${left} more in a taller window`];
	return fitText(choices.find(choice => choice.length <= inner) ?? choices.at(-1)!, inner);
}

/**
 * How the help fits width × rows, the frame always shorter than the window (a
 * frame as tall as the terminal flickers): every explanation wrapped whole
 * when that fits; else, in a wide window, in two columns; else one line per
 * key, wrapping whole as many as there is room for, in the table's order, and
 * cutting the rest with an ellipsis; else (under 22 rows) the least needed
 * keys left out, with a line that says how many.
 */
export function helpLayout(width: number, rows: number): HelpLayout {
	const budget = rows - 1 - chromeRows;
	// The border and padding take two columns each side; the keys, two more after them.
	const inner = width - 4;
	const doesWidth = Math.max(10, inner - keysWidth - 2);
	const whole = helpTable.flatMap(entry => entryLines(entry, doesWidth, true));
	if (whole.length <= budget) {
		return {columns: [whole], closing: closingLine(inner, 0)};
	}

	// Two columns, two spaces apart, each with room for explanations of 24 columns.
	const halfDoesWidth = Math.floor((inner - 2) / 2) - keysWidth - 2;
	if (halfDoesWidth >= 24) {
		const half = Math.ceil(helpTable.length / 2);
		const columns = [helpTable.slice(0, half), helpTable.slice(half)].map(entries => entries.flatMap(entry => entryLines(entry, halfDoesWidth, true)));
		if (Math.max(...columns.map(column => column.length)) <= budget) {
			return {columns, closing: closingLine(inner, 0)};
		}
	}

	let shown: HelpedKeyBinding[] = [...helpTable];
	for (const keys of dropOrder) {
		if (shown.length <= budget) {
			break;
		}

		shown = shown.filter(entry => entry.keys !== keys);
	}

	shown = shown.slice(0, Math.max(0, budget));
	let spare = budget - shown.length;
	const lines = shown.flatMap(entry => {
		const wrapped = entryLines(entry, doesWidth, true);
		if (wrapped.length - 1 <= spare) {
			spare -= wrapped.length - 1;
			return wrapped;
		}

		return entryLines(entry, doesWidth, false);
	});
	return {columns: [lines], closing: closingLine(inner, helpTable.length - shown.length)};
}

/** The keys and what each does, fitted to the window: see helpLayout. */
export function HelpScreen({width = 100, rows = 24}: {width?: number; rows?: number}) {
	const {columns, closing} = helpLayout(width, rows);
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
			<Text bold>Keys</Text>
			<Box gap={2}>
				{columns.map((column, columnIndex) => (
					<Box key={columnIndex} flexDirection="column" flexGrow={1} flexBasis={0}>
						{column.map((line, index) => (
							<Text key={`${line.keys} ${index}`} wrap="truncate">
								<Text bold color={textColors.key}>{line.keys.padEnd(keysWidth)}</Text>  {line.does}
							</Text>
						))}
					</Box>
				))}
			</Box>
			<Text dimColor wrap="truncate">{closing}</Text>
		</Box>
	);
}
