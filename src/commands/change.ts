// mark, erase, restore, keep: small state changes on one or more messages.
import {formatClock} from '../time.js';
import {CommandError, openTape, UsageError, type StoreOptions} from './context.js';

export type MarkOptions = StoreOptions & {heard: boolean; new: boolean};
export type KeepOptions = StoreOptions & {off: boolean};
/** bin: empty the undo bin for good instead; yes: erase kept messages too. */
export type EraseOptions = StoreOptions & {bin: boolean; yes: boolean};

function needIds(ids: readonly string[], verb: string): void {
	if (ids.length === 0) {
		throw new UsageError(`${verb} needs at least one message id (answerphone list shows them)`);
	}
}

export async function mark(ids: string[], options: MarkOptions): Promise<void> {
	needIds(ids, 'mark');
	if (options.heard === options.new) {
		throw new UsageError('mark needs exactly one of --heard or --new');
	}

	await (await openTape(options)).mark(ids, options.heard);
}

/**
 * A kept message is erased only with --yes: keep says "never lose this", so
 * taking it off the tape is asked for twice, as the screen asks before e
 * erases one. It keeps its keep flag in the undo bin, and restore brings it
 * back kept.
 */
export async function erase(ids: string[], options: EraseOptions): Promise<void> {
	if (options.bin) {
		await emptyBin(ids, options);
		return;
	}

	needIds(ids, 'erase');
	const tape = await openTape(options);
	// Each message once, by its full id: "erase ID ID" (or two prefixes of one
	// message) erased one but said "erased 2", and the restore line repeated it.
	const messages = [...new Map((await tape.resolveIds(ids)).map(message => [message.id, message])).values()];
	if (!options.yes) {
		const kept = messages.filter(message => message.keep);
		if (kept.length > 0) {
			throw new CommandError(`${kept.map(message => message.id).join(', ')} ${kept.length === 1 ? 'is' : 'are'} kept: erase with --yes, or unkeep first with answerphone keep --off ID`);
		}
	}

	const erased = messages.map(message => message.id);
	await tape.erase(erased);
	process.stderr.write(`answerphone: erased ${erased.length} (answerphone restore ${erased.join(' ')} brings ${erased.length === 1 ? 'it' : 'them'} back)\n`);
}

/** erase --bin: the one way to free the disk space of erased messages at once (the tape reuses it only when it needs room). */
async function emptyBin(ids: string[], options: StoreOptions): Promise<void> {
	if (ids.length > 0) {
		throw new UsageError('erase --bin empties the whole undo bin and takes no ids');
	}

	const removed = await (await openTape(options)).emptyBin();
	const totalMs = removed.reduce((sum, message) => sum + message.durationMs, 0);
	process.stderr.write(removed.length === 0
		? 'answerphone: the undo bin is already empty\n'
		: `answerphone: emptied the undo bin: ${removed.length} message${removed.length === 1 ? '' : 's'} (${formatClock(totalMs)}) gone for good\n`);
}

export async function restore(ids: string[], options: StoreOptions): Promise<void> {
	needIds(ids, 'restore');
	const tape = await openTape(options);
	// The bin is searched with the live messages, so a live one would be
	// "restored" without a word; say it is not in the bin and change nothing.
	const live = (await tape.resolveIds(ids, {inBin: true})).find(message => message.erasedAt === null);
	if (live !== undefined) {
		throw new CommandError(`message ${live.id} is not erased: it is on the tape already, nothing to restore`);
	}

	await tape.restore(ids);
}

export async function keep(ids: string[], options: KeepOptions): Promise<void> {
	needIds(ids, 'keep');
	await (await openTape(options)).keep(ids, !options.off);
}
