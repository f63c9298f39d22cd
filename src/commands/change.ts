// mark, erase, restore, keep: small state changes on one or more messages.
import {openTape, UsageError, type GlobalFlags} from './context.js';

function needIds(ids: readonly string[], verb: string): void {
	if (ids.length === 0) {
		throw new UsageError(`${verb} needs at least one message id (answerphone list shows them)`);
	}
}

export async function mark(ids: string[], flags: GlobalFlags & {heard?: boolean; new?: boolean}): Promise<void> {
	needIds(ids, 'mark');
	if (flags.heard === flags.new) {
		throw new UsageError('mark needs exactly one of --heard or --new');
	}

	await (await openTape(flags)).mark(ids, flags.heard === true);
}

export async function erase(ids: string[], flags: GlobalFlags): Promise<void> {
	needIds(ids, 'erase');
	await (await openTape(flags)).erase(ids);
	process.stderr.write(`answerphone: erased ${ids.length} (answerphone restore ${ids.join(' ')} brings ${ids.length === 1 ? 'it' : 'them'} back)\n`);
}

export async function restore(ids: string[], flags: GlobalFlags): Promise<void> {
	needIds(ids, 'restore');
	await (await openTape(flags)).restore(ids);
}

export async function keep(ids: string[], flags: GlobalFlags & {off?: boolean}): Promise<void> {
	needIds(ids, 'keep');
	await (await openTape(flags)).keep(ids, flags.off !== true);
}
