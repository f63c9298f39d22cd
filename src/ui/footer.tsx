import {Text} from 'ink';
import {memo} from 'react';
import {footerLabels} from '../machine/keys.js';

export const Footer = memo(function Footer({width}: {width: number}) {
	const items = [...footerLabels];
	// Drop keys from the end rather than wrap: "? help" always stays.
	while (items.length > 2 && items.join('  ').length > width - 2) {
		items.splice(-3, 1);
	}

	return (
		<Text wrap="truncate">
			{items.map((item, index) => {
				const [key, ...rest] = item.split(' ');
				return (
					<Text key={item}>
						{index > 0 ? '  ' : ''}
						<Text bold color="cyan">{key}</Text> {rest.join(' ')}
					</Text>
				);
			})}
		</Text>
	);
});
