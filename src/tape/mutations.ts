// Changing messages already on the tape: erase to the undo bin and restore,
// heard and keep. Only a message's small JSON is rewritten, whole and under
// the lock.
import {readdirSync} from 'node:fs';
import path from 'node:path';
import type {TapeLayout} from './layout.js';
import {withLock} from './lock.js';
import {isMessageId, type Change, type Message, type MessageMeta} from './message.js';
import {heardMarkKey, household, type Listener, type MessageState} from './message-state.js';
import {readMeta, removeMessageFiles, writeState} from './meta-files.js';
import {computerId, mergedState, mergeInto, parseStateFileName, readOwnState, readStateFileSync} from './state-files.js';

/**
 * A kept message keeps its keep flag in the undo bin, so that restoring it
 * brings it back kept. The flag does not hold tape there: the bin is shown as
 * free room and is the first thing the ring overwrites, kept or not (see
 * ring.ts). Erasing is the owner's own choice, asked twice for a kept message.
 */
export async function eraseMessages(layout: TapeLayout, ids: readonly string[], now = new Date()): Promise<void> {
	await changeMessages(layout, ids, (meta, own, at) => (meta.erasedAt === null ? {...own, erased: {value: now.toISOString(), at: at(own.erased)}} : undefined), {now});
}

export async function restoreMessages(layout: TapeLayout, ids: readonly string[]): Promise<void> {
	await changeMessages(layout, ids, (meta, own, at) => (meta.erasedAt === null ? undefined : {...own, erased: {value: null, at: at(own.erased)}}), {inBin: true});
}

/** Heard or new, for this listener: a housemate's own mark, or in the household view one for the message's addressees. */
export async function markMessages(layout: TapeLayout, ids: readonly string[], heard: boolean, listener: Listener = household): Promise<void> {
	await changeMessages(layout, ids, (meta, own, at) => {
		const key = heardMarkKey(listener, meta.for);
		// After every mark that could outrank it: its own, and one for all the addressees.
		return {...own, heard: {...own.heard, [key]: {value: heard, at: at(meta.heardMarks[key], meta.heardMarks['*'], own.heard[key])}}};
	});
}

export async function keepMessages(layout: TapeLayout, ids: readonly string[], keep: boolean): Promise<void> {
	await changeMessages(layout, ids, (meta, own, at) => (meta.keep === keep ? undefined : {...own, keep: {value: keep, at: at(own.keep)}}));
}

/** Finds a message by its id or by an unambiguous prefix of it (ids are long). */
export async function resolveId(layout: TapeLayout, idOrPrefix: string, {inBin = false} = {}): Promise<Message> {
	const [message] = await resolveIds(layout, [idOrPrefix], {inBin});
	return message!;
}

/**
 * Several ids (or unique prefixes) at once. A whole id is looked up by its
 * own file and a prefix among the folder's names, so erasing one message
 * of 10,000 reads one file, not all of them.
 */
export async function resolveIds(layout: TapeLayout, idsOrPrefixes: readonly string[], {inBin = false} = {}): Promise<Message[]> {
	// One listing for all: a message's state files are found by name, and a prefix among the names.
	const names = readdirSync(layout.messagesDir);
	const results: Message[] = [];
	for (const wanted of idsOrPrefixes) {
		let candidates = [wanted];
		if (!isMessageId(wanted)) {
			candidates = names.filter(name => name.endsWith('.json') && name.startsWith(wanted)).map(name => name.slice(0, -5)).filter(id => isMessageId(id));
		}

		const metas = (await Promise.all(candidates.map(async id => readMergedMeta(layout, id, names))))
			.filter((meta): meta is MessageMeta => meta !== undefined && (inBin || meta.erasedAt === null));
		if (metas.length === 1 && wanted.length > 0) {
			results.push({...metas[0]!, file: path.join(layout.messagesDir, `${metas[0]!.id}.wav`)});
			continue;
		}

		throw new Error(metas.length > 1 ? `"${wanted}" matches ${metas.length} messages; give more of the id` : `no message "${wanted}"${inBin ? '' : ' (erased ones can be restored with: answerphone restore ID)'}`);
	}

	return results;
}

/**
 * A message's metadata merged with its state files (names: the folder's
 * listing, read once for all the ids of one command).
 */
async function readMergedMeta(layout: TapeLayout, id: string, names: readonly string[]): Promise<MessageMeta | undefined> {
	return (await readMergedState(layout, id, names))?.meta;
}

/** The same, with the merged state and when each of its fields last changed. */
async function readMergedState(layout: TapeLayout, id: string, names: readonly string[]): Promise<{meta: MessageMeta; state: MessageState} | undefined> {
	const meta = await readMeta(layout, id);
	if (meta === undefined) {
		return undefined;
	}

	const states = names.filter(name => parseStateFileName(name)?.id === id)
		.map(name => readStateFileSync(layout, name, id))
		.flatMap(parsed => (parsed.ok ? [parsed.state] : []));
	return {meta: mergeInto(meta, states), state: mergedState(meta, states)};
}

/**
 * When a change made now is stamped: now, or just after the latest change
 * this computer can see of the same field, so that a change always wins over
 * what it was made against, even when clocks differ or two come in one
 * millisecond (erase, then undo at once).
 */
function stamper(now: Date): (...seen: Array<Change<unknown> | undefined>) => string {
	return (...seen) => {
		const latest = Math.max(now.getTime(), ...seen.map(change => (change === undefined ? 0 : Date.parse(change.at) + 1)));
		return new Date(latest).toISOString();
	};
}

type StateChange = (meta: MessageMeta, own: MessageState, at: (...seen: Array<Change<unknown> | undefined>) => string) => MessageState | undefined;

/** Changes messages' state in this computer's own state files, under the lock. */
async function changeMessages(layout: TapeLayout, ids: readonly string[], change: StateChange, {inBin = false, now = new Date()} = {}): Promise<void> {
	const resolved = (await resolveIds(layout, ids, {inBin})).map(message => message.id);
	const writer = computerId();
	await withLock(layout, async () => {
		const names = readdirSync(layout.messagesDir);
		for (const id of resolved) {
			const found = await readMergedState(layout, id, names);
			if (found === undefined) {
				throw new Error(`message ${id} was overwritten or removed by another process`);
			}

			const own = await readOwnState(layout, id, writer);
			// Stamped after what this computer sees merged, not only after its own file.
			const {meta, state} = found;
			const next = change(meta, own, (...seen) => stamper(now)(...seen, state.keep, state.erased));
			if (next !== undefined) {
				await writeState(layout, id, writer, next);
			}
		}
	});
}

/**
 * Empties the undo bin for good (answerphone erase --bin): its messages'
 * files are removed, which needs no new block, so it frees space even on a
 * full disk. Returns what was removed.
 */
export async function emptyBin(layout: TapeLayout): Promise<MessageMeta[]> {
	return withLock(layout, async () => {
		const names = readdirSync(layout.messagesDir);
		const ids = names.filter(name => name.endsWith('.json')).map(name => name.slice(0, -5)).filter(id => isMessageId(id));
		const removed: MessageMeta[] = [];
		for (const id of ids) {
			// Erased as its state files say: a message's own file never changes once placed.
			const meta = await readMergedMeta(layout, id, names);
			if (meta !== undefined && meta.erasedAt !== null) {
				await removeMessageFiles(layout, id);
				removed.push(meta);
			}
		}

		return removed;
	});
}
