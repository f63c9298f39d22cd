// Driving the pure machine in tests: a tape as the screen would be shown it,
// and a run of actions with every effect they asked for.
import {transition, type Action, type State, type TapeView} from '../../src/machine/machine.js';
import type {Message} from '../../src/tape/message.js';

export function tapeView(messages: Message[], bin: Message[] = [], mailboxes: string[] = []): TapeView {
	return {messages, bin, usedMs: 15_000, capacityMs: 1_200_000, maxMessageMs: 60_000, problems: 0, mailboxes};
}

/** The state after the actions, one after another, and every effect they asked for. */
export function run(state: State, ...actions: Action[]) {
	let current = state;
	const effects = [];
	for (const action of actions) {
		const step = transition(current, action);
		current = step.state;
		effects.push(...step.effects);
	}

	return {state: current, effects};
}
