import {Box, Text} from 'ink';
import {memo, useContext, useEffect, useState} from 'react';
import {LiveLinesContext} from './live-lines-context.js';
import {graphicColors} from './palette.js';

/** The reels turn a quarter at a time, four times a second: enough to look alive, few redraws. */
export const reelTurnMs = 250;
const reelFrames = ['◐', '◓', '◑', '◒'];
// Any of the reel frames, written out as everywhere in a regular expression (scripts/bundle.mjs).
const reelGlyphs = /[\u25D0\u25D3\u25D1\u25D2]/g;
const reelsMark = '▭▭▭▭';

type Props = {motion: 'stopped' | 'recording' | 'playing' | 'paused'};

/** A cassette whose reels turn while recording or playing. Its timer lives only while they turn. */
export const Cassette = memo(function Cassette({motion}: Props) {
	const turning = motion === 'recording' || motion === 'playing';
	const live = useContext(LiveLinesContext);
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		if (!turning) {
			return;
		}

		let turn = 0;
		const timer = setInterval(() => {
			turn = (turn + 1) % reelFrames.length;
			// On a real terminal the reels turn in place, without a frame from Ink
			// (see LiveLines); elsewhere, and if the line is not on screen, by React.
			const glyph = reelFrames[turn]!;
			const turned = live?.rewrite(line => line.includes(reelsMark), drawn => drawn.replaceAll(reelGlyphs, glyph));
			if (!turned) {
				setFrame(turn);
			}
		}, reelTurnMs);
		return () => {
			clearInterval(timer);
		};
	}, [turning, live]);
	const reel = turning ? reelFrames[frame]! : '◉';
	const color = motion === 'recording' ? graphicColors.recording : (motion === 'playing' ? graphicColors.playing : undefined);
	return (
		<Box flexDirection="column">
			<Text dimColor={motion === 'stopped'}>╭──── TAPE ────╮</Text>
			<Text>
				<Text dimColor={motion === 'stopped'}>│ </Text>
				<Text color={color}>({reel})</Text>
				<Text dimColor> {reelsMark} </Text>
				<Text color={color}>({reel})</Text>
				<Text dimColor={motion === 'stopped'}> │</Text>
			</Text>
			<Text dimColor={motion === 'stopped'}>╰──────────────╯</Text>
		</Box>
	);
});
