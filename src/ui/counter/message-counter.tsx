import {Box, Text} from 'ink';
import {memo} from 'react';
import {sevenSegmentRows} from './seven-segment.js';
import {useBlink} from './use-blink.js';

type Props = {
	messages: number;
	unheard: number;
	/** Narrow terminals get a one-line counter instead of the big digits. */
	compact?: boolean;
};

/** The big red LED: how many messages, blinking while any is unheard. */
export const MessageCounter = memo(function MessageCounter({messages, unheard, compact = false}: Props) {
	const lit = useBlink(unheard > 0);
	const color = messages > 0 ? 'red' : 'gray';
	if (compact) {
		return <Text bold color={color}>{lit ? `[${String(messages).padStart(2, '0')}]` : '[  ]'}</Text>;
	}

	const rows = sevenSegmentRows(messages);
	return (
		<Box flexDirection="column" width={rows[0]!.length} aria-label={`${messages} messages, ${unheard} new`}>
			{rows.map((row, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} bold color={color}>{lit ? row : ' '.repeat(row.length)}</Text>
			))}
		</Box>
	);
});
