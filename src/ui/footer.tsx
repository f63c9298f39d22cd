import {Text} from 'ink';
import {memo} from 'react';
import {footerLabels} from '../machine/keys.js';
import {textColors} from './palette.js';

const separator = '  ';
// The keys given up first when the line is too narrow, first to go first:
// play, record, erase and quit always stay; help last, after being shortened to "?".
const dropOrder = ['b', 'u', 'n', '? help', '?'];

/** The footer's labels that fit in width columns, in the key table's order. */
export function footerItems(width: number): string[] {
	let items = [...footerLabels];
	for (const label of dropOrder) {
		if (items.join(separator).length <= width) {
			break;
		}

		items = label === '? help' ? items.map(item => (item === label ? '?' : item)) : items.filter(item => item.split(' ')[0] !== label);
	}

	return items;
}

export const Footer = memo(function Footer({width}: {width: number}) {
	const items = footerItems(width);
	return (
		<Text wrap="truncate">
			{items.map((item, index) => {
				const [key, ...rest] = item.split(' ');
				return (
					<Text key={item}>
						{index > 0 ? separator : ''}
						<Text bold color={textColors.key}>{key}</Text>{rest.length > 0 ? ` ${rest.join(' ')}` : ''}
					</Text>
				);
			})}
		</Text>
	);
});
