import {Box, Text, useStdout} from 'ink';
import {useEffect, useMemo, useState} from 'react';
import {
	mailboxOrder, unheardCount, visibleMessages, type Mode,
} from './machine/machine.js';
import {everyone} from './tape/message.js';
import {formatStamp} from './time.js';
import {Cassette} from './ui/cassette.js';
import {MessageCounter} from './ui/counter/message-counter.js';
import {headerClock, wrappedLines} from './ui/fit.js';
import {Footer} from './ui/footer.js';
import {HelpScreen} from './ui/help-screen.js';
import {MailboxBar} from './ui/mailbox-bar.js';
import {MessageList} from './ui/message-list.js';
import type {MachinePorts} from './ui/ports.js';
import {textColors, warnStyle} from './ui/palette.js';
import {promptText, StatusLine} from './ui/status-line.js';
import {tapeEndLine} from './ui/tape-end.js';
import {TapeGauge} from './ui/tape-gauge.js';
import {useMachine} from './ui/use-machine.js';
import {useMachineKeys} from './ui/use-machine-keys.js';
import {useNow} from './ui/use-now.js';

function terminalSize(stdout: NodeJS.WriteStream): {columns: number; rows: number} {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

function useTerminalSize(): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => terminalSize(stdout));
	useEffect(() => {
		const onResize = () => {
			setSize(terminalSize(stdout));
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}

function tapeMotion(mode: Mode): 'stopped' | 'recording' | 'playing' | 'paused' {
	if (mode.kind === 'recording') {
		return Number.isNaN(mode.startedAt) ? 'stopped' : 'recording';
	}

	if (mode.kind === 'playing') {
		return mode.pausedAt === undefined ? 'playing' : 'paused';
	}

	return 'stopped';
}

export function App({ports}: {ports: MachinePorts}) {
	const {state, dispatch, readLevel, currentMode} = useMachine(ports);
	useMachineKeys(currentMode, dispatch);
	const {columns, rows} = useTerminalSize();
	// Stamps like "Tue 16:05" only need the minute, refreshed as it turns over.
	const now = useNow(true, 60_000, {aligned: true});
	const width = Math.min(columns, 100);
	// Worked out again only when the tape changes, not on every key: with
	// 10,000 messages these passes are a good part of a key's time.
	/* eslint-disable react-hooks/exhaustive-deps -- on purpose: only the fields each pass reads, not every key's new state */
	const unheard = useMemo(() => unheardCount(state), [state.messages]);
	const shown = useMemo(() => visibleMessages(state), [state.messages, state.mailbox]);
	const order = useMemo(() => mailboxOrder(state), [state.mailboxes]);
	const tapeEnd = useMemo(() => (state.usedMs >= state.capacityMs ? tapeEndLine(state.messages, state.bin, state.capacityMs, new Date(now)) : undefined), [state.messages, state.bin, state.usedMs, state.capacityMs, now]);
	/* eslint-enable react-hooks/exhaustive-deps */
	// Below about 70×22 the big digits and the cassette give way to the messages.
	const compact = rows < 22 || columns < 70;
	const showMailboxes = state.mailboxes.length > 0;
	const playingId = state.mode.kind === 'playing' ? state.mode.id : undefined;
	const playingMessage = playingId === undefined ? undefined : state.messages.find(message => message.id === playingId);
	const stamp = playingMessage ? formatStamp(new Date(playingMessage.createdAt), new Date(now)) : undefined;
	// Rows taken by everything but the list; one short of the screen, because a
	// frame as tall as the terminal flickers.
	// A menu's prompt wraps rather than being cut: its extra lines come from the list.
	const prompt = promptText(state.mode, order, state.mailbox ?? everyone);
	const promptRows = prompt === undefined ? 1 : wrappedLines(prompt, width - 2);
	const chromeRows = (compact ? 6 : 11) + (promptRows - 1) + (showMailboxes ? 1 : 0) + (state.problems > 0 ? 1 : 0) + 2;
	const listRows = Math.max(1, rows - chromeRows - 1);

	if (state.mode.kind === 'help') {
		return <HelpScreen width={width} rows={rows}/>;
	}

	const summary = (
		<Box flexDirection="column">
			<Text>
				<Text bold color={unheard > 0 ? textColors.alert : undefined}>{unheard} new</Text>
				<Text dimColor> · {state.messages.length} message{state.messages.length === 1 ? '' : 's'}</Text>
			</Text>
			{state.loaded && <TapeGauge usedMs={state.usedMs} capacityMs={state.capacityMs} width={Math.max(24, width - (compact ? 9 : 14))} endLine={tapeEnd}/>}
		</Box>
	);

	return (
		<Box flexDirection="column" width={width}>
			<Box justifyContent="space-between">
				<Text bold> answerphone</Text>
				<Text dimColor>{headerClock(new Date(now), 'answerphone', width)} </Text>
			</Box>
			{compact
				? (
						<Box gap={2} paddingX={1}>
							<MessageCounter compact messages={state.messages.length} unheard={unheard} blink={ports.blink}/>
							{summary}
						</Box>
					)
				: (
						<Box gap={3} paddingX={1}>
							<MessageCounter messages={state.messages.length} unheard={unheard} blink={ports.blink}/>
							<Box flexDirection="column" gap={0}>
								<Cassette motion={tapeMotion(state.mode)}/>
								{summary}
							</Box>
						</Box>
					)}
			{state.problems > 0 && <Text wrap="truncate"> <Text {...warnStyle}>{state.problems} unreadable file{state.problems === 1 ? '' : 's'} skipped: run answerphone doctor</Text></Text>}
			<Box paddingX={1} marginY={compact ? 0 : 1}>
				<StatusLine mode={state.mode} notice={state.notice} readLevel={readLevel} width={width} recipients={order} defaultRecipient={state.mailbox ?? everyone} stamp={stamp}/>
			</Box>
			{showMailboxes && <Box paddingX={1}><MailboxBar order={order} messages={state.messages} shown={state.mailbox} width={width}/></Box>}
			{state.loaded
				? <MessageList messages={shown} selectedId={state.selectedId} playingId={playingId} rows={listRows} width={width} now={new Date(now)}/>
				: <Text dimColor>  Loading the tape…</Text>}
			<Box borderStyle="single" borderBottom={false} borderLeft={false} borderRight={false} borderDimColor>
				<Footer width={width}/>
			</Box>
		</Box>
	);
}
