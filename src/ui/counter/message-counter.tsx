import {Box, Text} from 'ink';
import {memo, useContext} from 'react';
import {LiveLinesContext} from '../live-lines-context.js';
import {textColors} from '../palette.js';
import type {BlinkMode} from './blink-mode.js';
import {sevenSegmentRows} from './seven-segment.js';
import {useBlink} from './use-blink.js';

export type {BlinkMode} from './blink-mode.js';

// Written as raw codes, not Ink's styles: NO_COLOR turns Ink's styles off
// altogether (bold and reverse too), and then blinking or reverse video is
// what still tells a new message from an old one.
const blinkOn = '\u001B[5m';
const blinkOff = '\u001B[25m';
const reverseOn = '\u001B[7m';
const reverseOff = '\u001B[27m';

type Props = {
	messages: number;
	unheard: number;
	blink?: BlinkMode;
	/** Narrow terminals get a one-line counter instead of the big digits. */
	compact?: boolean;
};

/** The counter's rows of text, lit. */
function counterRows(messages: number, compact: boolean): string[] {
	return compact ? [`[${String(messages).padStart(2, '0')}]`] : sevenSegmentRows(messages);
}

/** The big red LED: how many messages, blinking while any is unheard. */
export const MessageCounter = memo(function MessageCounter({messages, unheard, blink = 'redraw', compact = false}: Props) {
	const blinking = unheard > 0;
	const rows = counterRows(messages, compact);
	const live = useContext(LiveLinesContext);
	// On a real terminal only the counter's own cells are rewritten, about
	// once a second (LiveLines): no Ink frame, so blinking costs next to no
	// CPU. Where they cannot be (tests, a frame taller than the screen), React
	// draws them lit and unlit instead.
	const lit = useBlink(blinking && blink === 'redraw', on => live?.paint(rows, (row, drawn) => (on ? litCells(rows[row]!, drawn) : ' '.repeat(rows[row]!.length))) ?? false);
	// An empty tape's "00" in the terminal's own colour: gray letters fade on white.
	const color = messages > 0 ? textColors.alert : undefined;
	const show = (text: string) => {
		if (blinking && blink === 'terminal') {
			return `${blinkOn}${text}${blinkOff}`;
		}

		if (blinking && blink === 'off') {
			return `${reverseOn}${text}${reverseOff}`;
		}

		return lit ? text : ' '.repeat(text.length);
	};

	if (compact) {
		return <Text bold color={color}>{show(rows[0]!)}</Text>;
	}

	return (
		<Box flexDirection="column" width={rows[0]!.length} aria-label={`${messages} messages, ${unheard} new`}>
			{rows.map((row, index) => (
				// The rows of the digits never move: the index is their identity.
				<Text key={index} bold color={color}>{show(row)}</Text>
			))}
		</Box>
	);
});

/** The digits as Ink draws them: bold red, or plain where Ink draws without styles (NO_COLOR). */
function litCells(text: string, drawn: string): string {
	return drawn.includes('\u001B[') ? `\u001B[1;31m${text}` : text;
}

export const terminalBlink = {on: blinkOn, off: blinkOff};
export const reverseVideo = {on: reverseOn, off: reverseOff};
