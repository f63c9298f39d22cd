import {Box, Text} from 'ink';
import {helpTable} from '../machine/keys.js';
import {wrapWords} from './fit.js';
import {textColors} from './palette.js';

const keysWidth = Math.max(...helpTable.map(entry => entry.keys.length));

/** The keys, each explanation wrapped beside its keys (never cut), in width columns. */
export function HelpScreen({width = 100}: {width?: number}) {
	// The border and padding take two columns each side; the keys, two more after them.
	const doesWidth = Math.max(20, width - 4 - keysWidth - 2);
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
			<Text bold>Keys</Text>
			{helpTable.map(entry => wrapWords(entry.does, doesWidth).map((line, index) => (
				<Text key={`${entry.keys} ${index}`}>
					<Text bold color={textColors.key}>{(index === 0 ? entry.keys : '').padEnd(keysWidth)}</Text>  {line}
				</Text>
			)))}
			<Text dimColor>? or Esc closes this help. From a shell: answerphone --help</Text>
		</Box>
	);
}
