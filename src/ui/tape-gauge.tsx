import {Box, Text} from 'ink';
import {memo} from 'react';
import {lowTapeMs} from '../tape/settings.js';
import {formatClock} from '../time.js';
import {textColors} from './palette.js';

/** width: the whole line, label and figures included. */
/** endLine: what the TAPE END banner says (see tape-end.ts), worked out from the messages by the caller. */
type Props = {usedMs: number; capacityMs: number; width: number; endLine?: string};

export function gaugeColor(freeMs: number, capacityMs: number): 'green' | 'yellow' | 'red' {
	if (freeMs < lowTapeMs || freeMs < capacityMs * 0.1) {
		return 'red';
	}

	return freeMs < capacityMs / 3 ? 'yellow' : 'green';
}

/** Used and free tape against the capacity, green to amber to red, with the low-tape warning. */
export const TapeGauge = memo(function TapeGauge({usedMs, capacityMs, width, endLine}: Props) {
	const freeMs = Math.max(0, capacityMs - usedMs);
	const figures = ` ${formatClock(freeMs)} left of ${formatClock(capacityMs)}`;
	const barWidth = Math.max(4, width - 'TAPE '.length - figures.length);
	// Any message at all shows as at least one cell: an empty-looking gauge on a
	// tape with messages would read as "nothing recorded".
	const filled = capacityMs > 0 && usedMs > 0 ? Math.min(barWidth, Math.max(1, Math.round((usedMs / capacityMs) * barWidth))) : 0;
	const color = gaugeColor(freeMs, capacityMs);
	return (
		<Box flexDirection="column">
			<Text>
				<Text dimColor>TAPE </Text>
				<Text color={color}>{'█'.repeat(filled)}</Text>
				<Text dimColor>{'░'.repeat(barWidth - filled)}</Text>
				<Text>{figures}</Text>
			</Text>
			{freeMs < Math.min(lowTapeMs, capacityMs / 4) && (
				<Text color={textColors.alert} bold>
					{freeMs === 0 ? endLine ?? 'TAPE END' : 'LOW TAPE: erase heard messages to make room (E)'}
				</Text>
			)}
		</Box>
	);
});
