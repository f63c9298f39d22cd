import {Box, Text} from 'ink';
import {memo} from 'react';
import type {Message} from '../tape/message.js';
import {printable} from '../printable.js';
import {formatClock, formatStamp} from '../time.js';
import {fitColumn} from './fit.js';
import {graphicColors, textColors, warnStyle} from './palette.js';

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

/**
 * A name column is never narrower than "everyone", the mailbox every store
 * has, and has room for "everyone…" (a longer name that starts with it)
 * before it has room for the date.
 */
const narrowestName = 8;
const roomyName = 9;
const widestName = 16;

/**
 * The columns a row of width columns has room for: the names as wide as
 * fits (never under 8), the date and time, the waveform. The fixed parts:
 * marker, number, NEW, keep mark, " from ", duration.
 */
export function listColumns(width: number, numberWidth: number): {nameWidth: number; stamp: boolean; waveform: boolean} {
	const fixed = 2 + numberWidth + 1 + 3 + 2 + 1 + ' from '.length + 1 + 5;
	const stampWidth = 13;
	const waveformWidth = 14;
	const stamp = fixed + stampWidth + 2 * roomyName <= width;
	const waveform = width >= 76 && fixed + stampWidth + waveformWidth + 2 * roomyName <= width;
	const spare = width - fixed - (stamp ? stampWidth : 0) - (waveform ? waveformWidth : 0);
	return {nameWidth: Math.max(narrowestName, Math.min(widestName, Math.floor(spare / 2))), stamp, waveform};
}

export const MessageList = memo(function MessageList({messages, selectedId, playingId, rows, width, now}: Props) {
	if (messages.length === 0) {
		return <Text dimColor>  No messages.</Text>;
	}

	const cursor = Math.max(0, messages.findIndex(message => message.id === selectedId));
	const {start, end} = visibleWindow(messages.length, cursor, rows);
	const numberWidth = String(messages.length).length;
	const {nameWidth, stamp, waveform} = listColumns(width, numberWidth);
	return (
		<Box flexDirection="column">
			{messages.slice(start, end).map((message, offset) => {
				const index = start + offset;
				const selected = message.id === selectedId;
				const marker = message.id === playingId ? '▶' : (selected ? '›' : ' ');
				return (
					<Text key={message.id} inverse={selected} wrap="truncate">
						<Text color={message.id === playingId ? graphicColors.playing : undefined}>{marker} </Text>
						<Text>{String(index + 1).padStart(numberWidth)} </Text>
						<Text bold color={textColors.alert}>{message.heard ? '   ' : 'NEW'}</Text>
						<Text>{message.keep ? ' *' : '  '}</Text>
						<Text> {fitColumn(printable(message.for), nameWidth)}</Text>
						<Text dimColor> from </Text>
						<Text>{fitColumn(printable(message.from), nameWidth)}</Text>
						{stamp && <Text> {formatStamp(new Date(message.createdAt), now).padStart(12)}</Text>}
						<Text> {formatClock(message.durationMs).padStart(5)}</Text>
						{waveform && <Text color={graphicColors.waveform}>  {drawWaveform(message.waveform)}</Text>}
						{message.recovered && <Text> <Text {...warnStyle}>recovered</Text></Text>}
					</Text>
				);
			})}
			{messages.length > end - start && <Text dimColor>  {start + 1}–{end} of {messages.length}</Text>}
		</Box>
	);
});
