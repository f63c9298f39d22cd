import {Box, Text} from 'ink';
import {memo, useEffect, useState} from 'react';

/** The reels turn a quarter at a time, four times a second: enough to look alive, few redraws. */
export const reelTurnMs = 250;
const reelFrames = ['◐', '◓', '◑', '◒'];

type Props = {motion: 'stopped' | 'recording' | 'playing' | 'paused'};

/** A cassette whose reels turn while recording or playing. Its timer lives only while they turn. */
export const Cassette = memo(function Cassette({motion}: Props) {
	const turning = motion === 'recording' || motion === 'playing';
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		if (!turning) {
			return;
		}

		const timer = setInterval(() => {
			setFrame(previous => (previous + 1) % reelFrames.length);
		}, reelTurnMs);
		return () => {
			clearInterval(timer);
		};
	}, [turning]);
	const reel = turning ? reelFrames[frame]! : '◉';
	const color = motion === 'recording' ? 'red' : (motion === 'playing' ? 'green' : undefined);
	return (
		<Box flexDirection="column">
			<Text dimColor={motion === 'stopped'}>╭──── TAPE ────╮</Text>
			<Text>
				<Text dimColor={motion === 'stopped'}>│ </Text>
				<Text color={color}>({reel})</Text>
				<Text dimColor> ▭▭▭▭ </Text>
				<Text color={color}>({reel})</Text>
				<Text dimColor={motion === 'stopped'}> │</Text>
			</Text>
			<Text dimColor={motion === 'stopped'}>╰──────────────╯</Text>
		</Box>
	);
});
