import {Box, Text} from 'ink';
import {helpTable} from '../machine/keys.js';

export function HelpScreen() {
	const width = Math.max(...helpTable.map(entry => entry.keys.length));
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Text bold>Keys</Text>
			{helpTable.map(entry => (
				<Text key={entry.keys} wrap="truncate">
					<Text bold color="cyan">{entry.keys.padEnd(width)}</Text>  {entry.does}
				</Text>
			))}
			<Text dimColor>? or Esc closes this help. From a shell: answerphone --help</Text>
		</Box>
	);
}
