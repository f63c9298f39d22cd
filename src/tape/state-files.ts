// The state files beside each message: messages/ID.state.WRITER.json, one per
// computer that changed the message (see message-state.ts for why). This
// module names them, reads them without trusting them, and writes this
// computer's own.
import {readFileSync} from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import {createHash} from './crypto-on-demand.js';
import {isMessageId, isShowableName, type Change, type HeardMarks, type MessageMeta} from './message.js';
import {baseState, heardByAddressee, mergeStates, type MessageState} from './message-state.js';
import type {TapeLayout} from './layout.js';
import {readSmallFile, readSmallFileSync} from './safe-files.js';
import type {StoreProblem} from './types.js';

const writerPattern = /^[a-z\d][a-z\d-]{0,39}$/;
const statePattern = /^(\d{8}-\d{6}-\d{3}-[a-z2-7]{6})\.state\.([a-z\d][a-z\d-]{0,39})\.json$/;

/** The id and writer of a state file's name, or undefined when the name is no state file's. */
export function parseStateFileName(name: string): {id: string; writer: string} | undefined {
	const match = statePattern.exec(name);
	return match && isMessageId(match[1]!) ? {id: match[1]!, writer: match[2]!} : undefined;
}

export function stateFileName(id: string, writer: string): string {
	if (!isMessageId(id) || !writerPattern.test(writer)) {
		throw new Error(`no state file for "${id.slice(0, 40)}" by "${writer.slice(0, 40)}"`);
	}

	return `${id}.state.${writer}.json`;
}

let thisComputerId: string | undefined;

/**
 * This computer's name among the computers sharing a store: ANSWERPHONE_COMPUTER
 * if set (tests run two "computers" on one box), else its host name with a
 * few characters of /etc/machine-id, so that two laptops both called "laptop"
 * still write files of their own.
 */
export function computerId(env: NodeJS.ProcessEnv = process.env): string {
	const chosen = env['ANSWERPHONE_COMPUTER'];
	if (chosen !== undefined && chosen !== '') {
		if (!writerPattern.test(chosen)) {
			throw new Error(`ANSWERPHONE_COMPUTER must be 1 to 40 lowercase letters, digits and dashes, not "${chosen.slice(0, 40)}"`);
		}

		return chosen;
	}

	thisComputerId ??= defaultComputerId();
	return thisComputerId;
}

function defaultComputerId(): string {
	const host = hostname().toLowerCase().replaceAll(/[^a-z\d-]+/g, '-').replaceAll(/^-+|-+$/g, '').slice(0, 30) || 'computer';
	let machine = '';
	try {
		machine = readFileSync('/etc/machine-id', 'utf8').trim();
	} catch {}

	return machine === '' ? host : `${host}-${createHash('sha256').update(machine).digest('hex').slice(0, 6)}`;
}

export type ParsedState = {ok: true; state: MessageState} | {ok: false; reason: string};

const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

function isChange<T>(value: unknown, isValue: (inner: unknown) => inner is T): value is Change<T> {
	if (typeof value !== 'object' || value === null) {
		return false;
	}

	const change = value as Record<string, unknown>;
	return typeof change['at'] === 'string' && isoPattern.test(change['at']) && isValue(change['value']);
}

const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isErased = (value: unknown): value is string | null => value === null || (typeof value === 'string' && isoPattern.test(value));

/** Most housemates a state file may name: a household, many times over. */
const mostMarks = 64;

/**
 * A state file's JSON, checked field by field: a change that is not one is
 * dropped, and a file that is no state file at all is a problem. The names
 * in it are only ever compared and printed as JSON, never made into paths.
 */
export function parseState(json: unknown, expectedId: string): ParsedState {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return {ok: false, reason: 'state is not a JSON object'};
	}

	const file = json as Record<string, unknown>;
	if (file['id'] !== expectedId) {
		return {ok: false, reason: 'state id does not match its file name'};
	}

	const heard: Record<string, Change<boolean>> = {};
	const marks = file['heard'];
	if (typeof marks === 'object' && marks !== null && !Array.isArray(marks)) {
		for (const [who, mark] of Object.entries(marks).slice(0, mostMarks)) {
			if ((who === '*' || (who.length <= 64 && isShowableName(who))) && isChange(mark, isBoolean)) {
				heard[who] = {value: mark.value, at: mark.at};
			}
		}
	}

	const none = baseState({heard: false, keep: false, erasedAt: null});
	const keep = isChange(file['keep'], isBoolean) ? file['keep'] : none.keep;
	const erased = isChange(file['erased'], isErased) ? file['erased'] : none.erased;
	return {ok: true, state: {heard, keep: {value: keep.value, at: keep.at}, erased: {value: erased.value, at: erased.at}}};
}

/** One state file as read from disk (never through a link, never a FIFO, never a big file). */
export function readStateFileSync(layout: TapeLayout, name: string, id: string): ParsedState {
	try {
		return parseState(JSON.parse(readSmallFileSync(path.join(layout.messagesDir, name))), id);
	} catch (error) {
		return {ok: false, reason: error instanceof SyntaxError ? 'state is not valid JSON' : (error as Error).message};
	}
}

/** This computer's state file for a message, or an empty state when it has none (or a damaged one, which is replaced). */
export async function readOwnState(layout: TapeLayout, id: string, writer: string): Promise<MessageState> {
	try {
		const parsed = parseState(JSON.parse(await readSmallFile(path.join(layout.messagesDir, stateFileName(id, writer)))), id);
		if (parsed.ok) {
			return parsed.state;
		}
	} catch {}

	return {heard: {}, keep: {value: false, at: '1970-01-01T00:00:00.000Z'}, erased: {value: null, at: '1970-01-01T00:00:00.000Z'}};
}

export function stateText(id: string, writer: string, state: MessageState): string {
	return JSON.stringify({id, writer, ...state}, null, '\t') + '\n';
}

/**
 * The state a message's own file may carry: written there, in place, only
 * when a change found the disk without one free block for a state file of
 * its own (see writeState). Merged like any state file.
 */
export function withEmbeddedState(meta: MessageMeta, json: unknown): MessageMeta {
	const embedded = (json as Record<string, unknown> | null)?.['state'];
	if (embedded === undefined) {
		return meta;
	}

	const parsed = parseState({...embedded as object, id: meta.id}, meta.id);
	return parsed.ok ? mergeInto(meta, [parsed.state]) : meta;
}

/** A message's metadata with its state files merged in: heard (the household's), keep, erasedAt and the heard marks. */
export function mergeInto(meta: MessageMeta, states: readonly MessageState[]): MessageMeta {
	if (states.length === 0) {
		return meta;
	}

	const merged = mergedState(meta, states);
	return {...meta, heard: heardByAddressee(meta.for, merged.heard), keep: merged.keep.value, erasedAt: merged.erased.value, heardMarks: merged.heard};
}

/** A message's metadata merged with these state files of it; a damaged one is told, and the rest still count. */
export function mergeStateFiles(layout: TapeLayout, meta: MessageMeta, names: readonly string[]): {meta: MessageMeta; problems: StoreProblem[]} {
	const states: MessageState[] = [];
	const problems: StoreProblem[] = [];
	for (const name of names) {
		const parsed = readStateFileSync(layout, name, meta.id);
		if (parsed.ok) {
			states.push(parsed.state);
		} else {
			problems.push({file: path.join(layout.messagesDir, name), reason: parsed.reason});
		}
	}

	return {meta: mergeInto(meta, states), problems};
}

/** A message's own state merged with every state file's. */
export function mergedState(base: {heard: boolean; keep: boolean; erasedAt: string | null; heardMarks: HeardMarks}, files: readonly MessageState[]): MessageState {
	const own = baseState(base);
	return mergeStates([{...own, heard: base.heardMarks}, ...files]);
}
