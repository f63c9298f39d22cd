import {Box, Text, useStdout} from 'ink';
import {useEffect, useState} from 'react';
import {unheardCount} from './machine/machine.js';
import {MessageCounter} from './ui/counter/message-counter.js';
import {Footer} from './ui/footer.js';
import {HelpScreen} from './ui/help-screen.js';
import {MessageList} from './ui/message-list.js';
import type {MachinePorts} from './ui/ports.js';
import {StatusLine} from './ui/status-line.js';
import {TapeGauge} from './ui/tape-gauge.js';
import {useMachine} from './ui/use-machine.js';
import {useMachineKeys} from './ui/use-machine-keys.js';
import {useNow} from './ui/use-now.js';

/** Rows the frame uses besides the message list; the list gets the rest. */
const chromeRows = 12;

function useTerminalSize(): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const read = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => {
			setSize(read());
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}

export function App({ports}: {ports: MachinePorts}) {
	const {state, dispatch, readLevel} = useMachine(ports);
	useMachineKeys(state.mode, dispatch);
	const {columns, rows} = useTerminalSize();
	// Stamps like "Tue 16:05" only need the minute.
	const now = useNow(true, 30_000);
	const width = Math.min(columns, 100);
	const unheard = unheardCount(state);
	const compact = rows < 20 || columns < 60;
	const playingId = state.mode.kind === 'playing' ? state.mode.id : undefined;
	// One row short of the screen: a frame as tall as the terminal flickers.
	const listRows = Math.max(1, rows - chromeRows - (compact ? -4 : 0) - 1);

	if (state.mode.kind === 'help') {
		return <HelpScreen/>;
	}

	return (
		<Box flexDirection="column" width={width}>
			<Box justifyContent="space-between">
				<Text bold> answerphone</Text>
				<Text dimColor>{new Date(now).toLocaleString('en-GB', {weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'})} </Text>
			</Box>
			<Box gap={3} paddingX={1}>
				<MessageCounter messages={state.messages.length} unheard={unheard} compact={compact}/>
				<Box flexDirection="column" justifyContent="center">
					<Text>
						<Text bold color={unheard > 0 ? 'red' : undefined}>{unheard} new</Text>
						<Text dimColor> · {state.messages.length} message{state.messages.length === 1 ? '' : 's'}</Text>
					</Text>
					<TapeGauge usedMs={state.usedMs} capacityMs={state.capacityMs} width={Math.max(8, width - 45)}/>
					{state.problems > 0 && <Text color="yellow">{state.problems} unreadable file{state.problems === 1 ? '' : 's'} skipped: run answerphone doctor</Text>}
				</Box>
			</Box>
			<Box paddingX={1} marginY={1}>
				<StatusLine mode={state.mode} notice={state.notice} readLevel={readLevel} width={width}/>
			</Box>
			{state.loaded
				? <MessageList messages={state.messages} selectedId={state.selectedId} playingId={playingId} rows={listRows} width={width} now={new Date(now)}/>
				: <Text dimColor>  Loading the tape…</Text>}
			<Box borderStyle="single" borderBottom={false} borderLeft={false} borderRight={false} borderDimColor>
				<Footer width={width}/>
			</Box>
		</Box>
	);
}
