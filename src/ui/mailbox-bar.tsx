import {Text} from 'ink';
import {memo} from 'react';
import {printable} from '../printable.js';
import type {Message} from '../tape/message.js';
import {fitText} from './fit.js';
import {ellipsis} from './glyphs.js';
import {textColors} from './palette.js';

/** A mailbox's name in the bar: long ones cut (at a word), never under "everyone". */
const longestName = 16;

/**
 * The mailboxes that fit in width columns, in order, each with its name as
 * shown; the rest are left off (the bar then ends with an ellipsis).
 */
export function barEntries(order: readonly string[], width: number): {names: string[]; all: boolean} {
	// "for: 0 all", then " · N name C" for each (counts of up to two digits), and room for " · …".
	let used = 'for: 0 all'.length;
	const names: string[] = [];
	for (const [index, name] of order.entries()) {
		const shown = fitText(printable(name), longestName);
		const length = 3 + (index < 9 ? 2 : 0) + [...shown].length + 3;
		const last = index === order.length - 1;
		if (used + length + (last ? 0 : 4) > width) {
			return {names, all: false};
		}

		used += length;
		names.push(shown);
	}

	return {names, all: true};
}

type Props = {
	/** everyone first, then the housemates, as Tab and the number keys go. */
	order: readonly string[];
	messages: readonly Message[];
	shown: string | undefined;
	/** Columns for the bar; 100 unless told. */
	width?: number;
};

/** "for: everyone 2 · sam 1 · jo 0": each mailbox with its own new count; the one shown is highlighted. */
export const MailboxBar = memo(function MailboxBar({order, messages, shown, width = 100}: Props) {
	const unheard = new Map<string, number>();
	for (const message of messages) {
		if (!message.heard) {
			unheard.set(message.for, (unheard.get(message.for) ?? 0) + 1);
		}
	}

	const {names, all} = barEntries(order, width - 2);
	return (
		<Text wrap="truncate">
			<Text dimColor>for: </Text>
			<Text inverse={shown === undefined}>0 all</Text>
			{names.map((label, index) => {
				const name = order[index]!;
				const count = unheard.get(name) ?? 0;
				return (
					<Text key={name}>
						<Text dimColor> · </Text>
						<Text inverse={shown === name}>
							{index < 9 ? `${index + 1} ` : ''}{label} <Text bold color={count > 0 ? textColors.alert : undefined}>{count}</Text>
						</Text>
					</Text>
				);
			})}
			{!all && <Text dimColor> · {ellipsis}</Text>}
		</Text>
	);
});
