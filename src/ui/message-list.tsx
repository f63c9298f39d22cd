import {Box, Text} from 'ink';
import {memo} from 'react';
import type {Message} from '../tape/message.js';
import {printable} from '../printable.js';
import {formatClock, formatStamp} from '../time.js';

type Props = {
	messages: readonly Message[];
	selectedId: string | undefined;
	playingId: string | undefined;
	/** Rows available: only the messages that fit are rendered, so 10,000 cost no more than 10. */
	rows: number;
	width: number;
	now: Date;
};

const bars = '▁▂▃▄▅▆▇█';

export function drawWaveform(levels: readonly number[]): string {
	return levels.map(level => bars[Math.max(0, Math.min(7, level))]).join('');
}

/** Which slice of the list to show so that the cursor stays in view. */
export function visibleWindow(total: number, cursor: number, rows: number): {start: number; end: number} {
	const size = Math.max(1, rows);
	if (total <= size) {
		return {start: 0, end: total};
	}

	const start = Math.min(Math.max(0, cursor - Math.floor(size / 2)), total - size);
	return {start, end: start + size};
}

export const MessageList = memo(function MessageList({messages, selectedId, playingId, rows, width, now}: Props) {
	if (messages.length === 0) {
		return <Text dimColor>  No messages.</Text>;
	}

	const cursor = Math.max(0, messages.findIndex(message => message.id === selectedId));
	const {start, end} = visibleWindow(messages.length, cursor, rows);
	const numberWidth = String(messages.length).length;
	const nameWidth = width >= 70 ? 10 : 6;
	return (
		<Box flexDirection="column">
			{messages.slice(start, end).map((message, offset) => {
				const index = start + offset;
				const selected = message.id === selectedId;
				const marker = message.id === playingId ? '▶' : (selected ? '›' : ' ');
				return (
					<Text key={message.id} inverse={selected} wrap="truncate">
						<Text color={message.id === playingId ? 'green' : undefined}>{marker} </Text>
						<Text>{String(index + 1).padStart(numberWidth)} </Text>
						<Text bold color="red">{message.heard ? '   ' : 'NEW'}</Text>
						<Text>{message.keep ? ' *' : '  '}</Text>
						<Text> {printable(message.for).slice(0, nameWidth).padEnd(nameWidth)}</Text>
						<Text dimColor> from </Text>
						<Text>{printable(message.from).slice(0, nameWidth).padEnd(nameWidth)}</Text>
						<Text> {formatStamp(new Date(message.createdAt), now).padStart(12)}</Text>
						<Text> {formatClock(message.durationMs).padStart(5)}</Text>
						{width >= 76 && <Text color="cyan">  {drawWaveform(message.waveform)}</Text>}
						{message.recovered && <Text color="yellow"> recovered</Text>}
					</Text>
				);
			})}
			{messages.length > end - start && <Text dimColor>  {start + 1}–{end} of {messages.length}</Text>}
		</Box>
	);
});
