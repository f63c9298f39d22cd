import {Box, Text} from 'ink';
import {useCallback, useContext, useEffect, useState} from 'react';
import type {Level} from '../pcm/level.js';
import {limitWarningMs} from '../audio/take.js';
import {positionMs, type Mode, type State} from '../machine/machine.js';
import {printable} from '../printable.js';
import {formatClock} from '../time.js';
import {LiveLinesContext} from './live-lines-context.js';
import {goodStyle, graphicColors, sgr, textColors, warnStyle} from './palette.js';
import {useNow} from './use-now.js';

/** The meter is refreshed 12 times a second from the latest level, never once per audio chunk. */
export const meterRefreshMs = 83;
/**
 * Playback progress moves a cell of its bar every second or so: four redraws
 * a second show it smoothly, and each redraw of the whole frame costs CPU.
 */
export const progressRefreshMs = 250;

type Props = {
	mode: Mode;
	notice: State['notice'];
	/** Reads the recorder's latest level; called on the meter's own timer. */
	readLevel: () => Level | undefined;
	width: number;
	/** Who a new message can be for, in number-key order, and who Enter picks. */
	recipients: readonly string[];
	defaultRecipient: string;
	/** When the message playing was left ("Tue 16:05"), shown while its stamp is spoken. */
	stamp?: string;
};

function bar(fraction: number, width: number): string {
	const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
	return '█'.repeat(filled) + '░'.repeat(width - filled);
}

// Good news in the terminal's own colour: green letters fade on white.
const noticeStyles = {info: {}, good: {}, warn: warnStyle, error: {color: textColors.alert}} as const;

/**
 * The menus' prompts as plain text, to know how many lines they wrap to;
 * undefined in modes without one.
 */
export function promptText(mode: Mode, recipients: readonly string[], defaultRecipient: string): string | undefined {
	if (mode.kind === 'greeting-menu') {
		return 'Greeting: p play · r record your own · d back to the built-in one  (Esc closes)';
	}

	if (mode.kind === 'choose-recipient') {
		return `Leave a message for: Enter ${printable(defaultRecipient)}${recipients.slice(0, 9).map((name, index) => ` · ${index + 1} ${printable(name)}`).join('')}  (Esc cancels)`;
	}

	return undefined;
}

/** The recording line's parts, drawn by React or (between frames) straight onto the terminal. */
function recordingParts(mode: Extract<Mode, {kind: 'recording'}>, now: number, level: Level | undefined, width: number) {
	const elapsedMs = Math.max(0, now - mode.startedAt);
	const db = level ? Math.round(level.rmsDb) : -96;
	return {
		label: `● REC${mode.target === 'greeting' ? ' GREETING' : ''} `,
		clock: ` ${formatClock(elapsedMs)} / ${formatClock(mode.limitMs)}`,
		nearLimit: mode.limitMs - elapsedMs <= limitWarningMs,
		meter: `  ${bar((db + 60) / 60, Math.max(6, Math.min(20, width - 40)))}`,
		db: ` ${db <= -96 ? '-∞' : db} dB`,
	};
}

/** Whether Ink drew the line in colour: rewritten, it stays as Ink would have drawn it (NO_COLOR, TERM=dumb, …). */
function hasColour(drawn: string): boolean {
	return drawn.includes('\u001B[');
}

/** The same line as SGR codes, for rewriting it in place; plain where colour is off. */
function recordingLineAnsi(parts: ReturnType<typeof recordingParts>, colour: boolean): string {
	const style = (code: string, text: string) => (colour ? `\u001B[${code}m${text}\u001B[0m` : text);
	return ` ${style(sgr.alert, parts.label)}${parts.nearLimit ? style(sgr.warn, parts.clock) : parts.clock}${style(sgr.meter, parts.meter)}${style(sgr.dim, parts.db)}`;
}

/**
 * While recording on a real terminal, the meter and the clock are rewritten in
 * place 12 times a second (LiveLines), and React draws the line only when the
 * recording starts or ends. Without a live terminal (tests), React redraws it.
 */
function useLiveRecordingLine(mode: Mode, readLevel: () => Level | undefined, width: number, redraw: () => void): boolean {
	const live = useContext(LiveLinesContext);
	const active = live !== undefined && mode.kind === 'recording' && !Number.isNaN(mode.startedAt);
	useEffect(() => {
		if (!active || mode.kind !== 'recording') {
			return;
		}

		const timer = setInterval(() => {
			const parts = recordingParts(mode, Date.now(), readLevel(), width);
			if (!live.rewrite(line => line.includes('● REC'), drawn => recordingLineAnsi(parts, hasColour(drawn)))) {
				redraw();
			}
		}, meterRefreshMs);
		return () => {
			clearInterval(timer);
		};
	}, [active, live, mode, readLevel, width, redraw]);
	return active;
}

/** The playing line's parts, drawn by React or (between frames) straight onto the terminal. */
function playingParts(mode: Extract<Mode, {kind: 'playing'}>, now: number, width: number, stamp = '') {
	// The spoken stamp is not the message: its progress waits at 0:00 until the message itself starts.
	const elapsedMs = positionMs(mode, now);
	const speed = (mode.speed ?? 1) === 1 ? '' : `  ${mode.speed}×`;
	const volume = (mode.volume ?? 100) === 100 ? '' : `  vol ${mode.volume}%`;
	const paused = mode.pausedAt !== undefined;
	let label = paused ? '❚❚ PAUSED' : '▶ PLAY';
	if (mode.stamping) {
		label = `${paused ? '❚❚' : '▶'} STAMP${stamp ? ` ${stamp}` : ''}`;
	}

	return {
		paused,
		label: `${label} `,
		progress: ` ${bar(mode.durationMs > 0 ? elapsedMs / mode.durationMs : 1, Math.max(6, Math.min(30, width - 30)))} ${formatClock(elapsedMs)} / ${formatClock(mode.durationMs)}${speed}${volume}`,
	};
}

/**
 * While a message plays on a real terminal, its progress is rewritten in
 * place four times a second, as the recording meter is: a whole frame from
 * Ink for each step of the bar cost 5% of a core.
 */
function useLivePlayingLine(mode: Mode, width: number, redraw: () => void): boolean {
	const live = useContext(LiveLinesContext);
	// While the stamp is spoken nothing moves: React draws the line when the message starts.
	const active = live !== undefined && mode.kind === 'playing' && mode.pausedAt === undefined && mode.stamping !== true;
	useEffect(() => {
		if (!active || mode.kind !== 'playing') {
			return;
		}

		const timer = setInterval(() => {
			const parts = playingParts(mode, Date.now(), width);
			if (!live.rewrite(line => line.includes('▶ PLAY'), drawn => ` ${hasColour(drawn) ? `\u001B[${sgr.good}m${parts.label}\u001B[0m` : parts.label}${parts.progress}`)) {
				redraw();
			}
		}, progressRefreshMs);
		return () => {
			clearInterval(timer);
		};
	}, [active, live, mode, width, redraw]);
	return active;
}

/** What the machine is doing right now: ready, recording with its meter, playing with progress, or the last notice. */
export function StatusLine({mode, notice, readLevel, width, recipients, defaultRecipient, stamp}: Props) {
	const recording = mode.kind === 'recording';
	const playing = mode.kind === 'playing' && mode.pausedAt === undefined && mode.stamping !== true;
	// A line that is not on screen (a frame cut short) cannot be rewritten:
	// React draws it instead.
	const [, setRedraws] = useState(0);
	const redraw = useCallback(() => {
		setRedraws(count => count + 1);
	}, []);
	const recordingLive = useLiveRecordingLine(mode, readLevel, width, redraw);
	const playingLive = useLivePlayingLine(mode, width, redraw);
	const now = useNow((recording && !recordingLive) || (playing && !playingLive), recording ? meterRefreshMs : progressRefreshMs);
	if (mode.kind === 'greeting-menu') {
		return (
			<Text>
				<Text bold {...warnStyle}>Greeting:</Text>{' '}
				<Text bold color={textColors.key}>p</Text> play · <Text bold color={textColors.key}>r</Text> record your own · <Text bold color={textColors.key}>d</Text> back to the built-in one
				<Text dimColor>  (Esc closes)</Text>
			</Text>
		);
	}

	if (mode.kind === 'playing-greeting') {
		return <Text><Text {...goodStyle} bold>▶ GREETING</Text> <Text dimColor>(s stops)</Text></Text>;
	}

	if (mode.kind === 'recording') {
		if (Number.isNaN(mode.startedAt)) {
			return <Text color={textColors.alert}>● REC  {mode.target === 'greeting' ? 'your greeting' : 'a message'} after the beep…</Text>;
		}

		const parts = recordingParts(mode, recordingLive ? Date.now() : now, readLevel(), width);
		return (
			<Box flexDirection="column">
				<Text wrap="truncate">
					<Text color={textColors.alert} bold>{parts.label}</Text>
					<Text {...(parts.nearLimit ? warnStyle : {})}>{parts.clock}</Text>
					<Text color={graphicColors.meter}>{parts.meter}</Text>
					<Text dimColor>{parts.db}</Text>
				</Text>
				<Text dimColor>{mode.stopping ? 'saving…' : 'speak now; r, space or Enter to stop'}</Text>
			</Box>
		);
	}

	if (mode.kind === 'choose-recipient') {
		return (
			<Text>
				<Text bold {...warnStyle}>Leave a message for:</Text>{' '}
				<Text><Text bold color={textColors.key}>Enter</Text> {printable(defaultRecipient)}</Text>
				{recipients.slice(0, 9).map((name, index) => (
					<Text key={name}> · <Text bold color={textColors.key}>{index + 1}</Text> {printable(name)}</Text>
				))}
				<Text dimColor>  (Esc cancels)</Text>
			</Text>
		);
	}

	if (mode.kind === 'playing') {
		const parts = playingParts(mode, playingLive ? Date.now() : now, width, stamp === undefined ? undefined : printable(stamp));
		return (
			<Text wrap="truncate">
				<Text {...(parts.paused ? warnStyle : goodStyle)} bold>{parts.label}</Text>
				<Text>{parts.progress}</Text>
			</Text>
		);
	}

	if (mode.kind === 'confirm-erase-heard') {
		return <Text {...warnStyle} bold>Erase all heard messages? y / n</Text>;
	}

	if (mode.kind === 'confirm-erase-kept') {
		return <Text {...warnStyle} bold>Erase a kept message? y / n</Text>;
	}

	if (notice) {
		return <Text {...noticeStyles[notice.tone]} wrap="truncate">{printable(notice.text)}</Text>;
	}

	return <Text dimColor>Ready.</Text>;
}
