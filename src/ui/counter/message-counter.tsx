import {Box, Text} from 'ink';
import {memo} from 'react';
import {sevenSegmentRows} from './seven-segment.js';
import {useBlink} from './use-blink.js';

/**
 * terminal: the terminal blinks the digits itself (the SGR blink attribute),
 * which costs nothing while the machine sits waiting; redrawing a whole Ink
 * frame twice a second would cost several percent of a core on a small box.
 * redraw: the digits are drawn and erased by a timer, for terminals that
 * ignore the blink attribute.
 */
export type BlinkMode = 'terminal' | 'redraw';

const blinkOn = '\u001B[5m';
const blinkOff = '\u001B[25m';

type Props = {
	messages: number;
	unheard: number;
	blink?: BlinkMode;
	/** Narrow terminals get a one-line counter instead of the big digits. */
	compact?: boolean;
};

/** The big red LED: how many messages, blinking while any is unheard. */
export const MessageCounter = memo(function MessageCounter({messages, unheard, blink = 'terminal', compact = false}: Props) {
	const blinking = unheard > 0;
	const lit = useBlink(blinking && blink === 'redraw');
	const color = messages > 0 ? 'red' : 'gray';
	const show = (text: string) => {
		if (blinking && blink === 'terminal') {
			return `${blinkOn}${text}${blinkOff}`;
		}

		return lit ? text : ' '.repeat(text.length);
	};

	if (compact) {
		return <Text bold color={color}>{show(`[${String(messages).padStart(2, '0')}]`)}</Text>;
	}

	const rows = sevenSegmentRows(messages);
	return (
		<Box flexDirection="column" width={rows[0]!.length} aria-label={`${messages} messages, ${unheard} new`}>
			{rows.map((row, index) => (
				// The rows of the digits never move: the index is their identity.
				<Text key={index} bold color={color}>{show(row)}</Text>
			))}
		</Box>
	);
});

export const terminalBlink = {on: blinkOn, off: blinkOff};
