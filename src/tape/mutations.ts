// Changing messages already on the tape: erase to the undo bin and restore,
// heard and keep. Only a message's small JSON is rewritten, whole and under
// the lock.
import {readdirSync} from 'node:fs';
import path from 'node:path';
import type {TapeLayout} from './layout.js';
import {withLock} from './lock.js';
import {isMessageId, type Message, type MessageMeta} from './message.js';
import {readMeta, removeMessageFiles, rewriteMeta} from './meta-files.js';

/**
 * A kept message keeps its keep flag in the undo bin, so that restoring it
 * brings it back kept. The flag does not hold tape there: the bin is shown as
 * free room and is the first thing the ring overwrites, kept or not (see
 * ring.ts). Erasing is the owner's own choice, asked twice for a kept message.
 */
export async function eraseMessages(layout: TapeLayout, ids: readonly string[], now = new Date()): Promise<void> {
	await changeMessages(layout, ids, meta => (meta.erasedAt === null ? {...meta, erasedAt: now.toISOString()} : meta));
}

export async function restoreMessages(layout: TapeLayout, ids: readonly string[]): Promise<void> {
	await changeMessages(layout, ids, meta => ({...meta, erasedAt: null}), {inBin: true});
}

export async function markMessages(layout: TapeLayout, ids: readonly string[], heard: boolean): Promise<void> {
	await changeMessages(layout, ids, meta => ({...meta, heard}));
}

export async function keepMessages(layout: TapeLayout, ids: readonly string[], keep: boolean): Promise<void> {
	await changeMessages(layout, ids, meta => ({...meta, keep}));
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
	let names: string[] | undefined;
	const results: Message[] = [];
	for (const wanted of idsOrPrefixes) {
		let candidates = [wanted];
		if (!isMessageId(wanted)) {
			names ??= readdirSync(layout.messagesDir);
			candidates = names.filter(name => name.endsWith('.json') && name.startsWith(wanted)).map(name => name.slice(0, -5)).filter(id => isMessageId(id));
		}

		const metas = (await Promise.all(candidates.map(async id => readMeta(layout, id))))
			.filter((meta): meta is MessageMeta => meta !== undefined && (inBin || meta.erasedAt === null));
		if (metas.length === 1 && wanted.length > 0) {
			results.push({...metas[0]!, file: path.join(layout.messagesDir, `${metas[0]!.id}.wav`)});
			continue;
		}

		throw new Error(metas.length > 1 ? `"${wanted}" matches ${metas.length} messages; give more of the id` : `no message "${wanted}"${inBin ? '' : ' (erased ones can be restored with: answerphone restore ID)'}`);
	}

	return results;
}

async function changeMessages(layout: TapeLayout, ids: readonly string[], change: (meta: MessageMeta) => MessageMeta, {inBin = false} = {}): Promise<void> {
	const resolved = (await resolveIds(layout, ids, {inBin})).map(message => message.id);
	await withLock(layout, async () => {
		for (const id of resolved) {
			const meta = await readMeta(layout, id);
			if (meta === undefined) {
				throw new Error(`message ${id} was overwritten or removed by another process`);
			}

			const next = change(meta);
			if (next !== meta) {
				await rewriteMeta(layout, next);
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
		const ids = readdirSync(layout.messagesDir).filter(name => name.endsWith('.json')).map(name => name.slice(0, -5)).filter(id => isMessageId(id));
		const removed: MessageMeta[] = [];
		for (const id of ids) {
			const meta = await readMeta(layout, id);
			if (meta !== undefined && meta.erasedAt !== null) {
				await removeMessageFiles(layout, id);
				removed.push(meta);
			}
		}

		return removed;
	});
}
