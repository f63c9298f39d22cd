import {Text} from 'ink';
import {memo} from 'react';
import {printable} from '../printable.js';
import type {Message} from '../tape/message.js';

type Props = {
	/** everyone first, then the housemates, as Tab and the number keys go. */
	order: readonly string[];
	messages: readonly Message[];
	shown: string | undefined;
};

/** "for: everyone 2 · sam 1 · jo 0": each mailbox with its own new count; the one shown is highlighted. */
export const MailboxBar = memo(function MailboxBar({order, messages, shown}: Props) {
	const unheard = new Map<string, number>();
	for (const message of messages) {
		if (!message.heard) {
			unheard.set(message.for, (unheard.get(message.for) ?? 0) + 1);
		}
	}

	return (
		<Text wrap="truncate">
			<Text dimColor>for: </Text>
			<Text inverse={shown === undefined}>0 all</Text>
			{order.map((name, index) => {
				const count = unheard.get(name) ?? 0;
				return (
					<Text key={name}>
						<Text dimColor> · </Text>
						<Text inverse={shown === name}>
							{index < 9 ? `${index + 1} ` : ''}{printable(name)} <Text bold color={count > 0 ? 'red' : undefined}>{count}</Text>
						</Text>
					</Text>
				);
			})}
		</Text>
	);
});
