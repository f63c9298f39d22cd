import stringWidth from 'string-width';
import type {Message} from '../tape/message.js';
import {listenersWhoHeard} from '../tape/message-state.js';
import {printable} from '../printable.js';
import {formatClock, formatStamp} from '../time.js';
import {openTape, type StoreOptions} from './context.js';

export type ListOptions = StoreOptions & {for?: string; new: boolean; json: boolean};

/** The fields promised to scripts, in order; as a replacer list it picks them without copying each message. */
export const jsonFields = ['id', 'for', 'from', 'createdAt', 'durationMs', 'heard', 'heardBy', 'keep', 'recovered', 'file'];

/**
 * Writes the same text as JSON.stringify(messages, jsonFields) and a newline,
 * a thousand messages at a time: each piece is short-lived, so printing a big
 * store never holds megabytes of text at once (measured: a fifth quicker on
 * 10,000 messages, most of it the garbage collector's time).
 */
function writeCompactJson(messages: readonly Message[]): void {
	const piece = 1000;
	for (let start = 0; start < messages.length; start += piece) {
		const json = JSON.stringify(messages.slice(start, start + piece), jsonFields);
		process.stdout.write((start === 0 ? '[' : ',') + json.slice(1, -1));
	}

	process.stdout.write(messages.length === 0 ? '[]\n' : ']\n');
}

// A name column is as wide as its widest name, from 10 terminal cells up to
// 32 (the longest name the command line takes); a longer one, which only a
// file written by hand can hold, is cut with an ellipsis.
const narrowest = 10;
const widest = 32;

function columnWidth(names: readonly string[]): number {
	let width = narrowest;
	for (const name of names) {
		width = Math.max(width, Math.min(widest, stringWidth(name)));
	}

	return width;
}

const graphemes = new Intl.Segmenter();

/**
 * name in exactly width terminal cells: padded, or cut with an ellipsis.
 * Counted in cells, not characters, as a full-width ｓａｍ takes two cells a
 * letter.
 */
function fitCells(name: string, width: number): string {
	const cells = stringWidth(name);
	if (cells <= width) {
		return name + ' '.repeat(width - cells);
	}

	let head = '';
	let used = 0;
	for (const {segment} of graphemes.segment(name)) {
		const next = stringWidth(segment);
		if (used + next > width - 1) {
			break;
		}

		head += segment;
		used += next;
	}

	return head + '…' + ' '.repeat(width - 1 - used);
}

export async function list(options: ListOptions): Promise<void> {
	const tape = await openTape(options);
	const {messages, problems, settingsDamage} = await tape.snapshot({waveforms: false});
	const shown = messages.filter(message => (options.for === undefined || message.for === options.for) && (!options.new || !message.heard));
	if (options.json) {
		// heard is for the one asking; heardBy says who else has (name keys,
		// "everyone" for a mark made for all it was for). Set on the snapshot's
		// own fresh objects: a copy of each was a tenth of listing 10,000.
		for (const message of shown) {
			(message as Message & {heardBy: string[]}).heardBy = listenersWhoHeard(message.heardMarks);
		}

		// Indented for a person at a terminal; one compact line for a pipe,
		// which is also a third faster to write on a big store.
		if (process.stdout.isTTY) {
			process.stdout.write(JSON.stringify(shown, jsonFields, 2) + '\n');
		} else {
			writeCompactJson(shown);
		}
	} else {
		const now = new Date();
		const forNames = shown.map(message => printable(message.for));
		const fromNames = shown.map(message => printable(message.from));
		const forWidth = columnWidth(forNames);
		const fromWidth = columnWidth(fromNames);
		const lines = shown.map((message, index) => [
			message.id,
			message.heard ? '   ' : 'NEW',
			message.keep ? 'keep' : '    ',
			`for ${fitCells(forNames[index]!, forWidth)}`,
			`from ${fitCells(fromNames[index]!, fromWidth)}`,
			formatStamp(new Date(message.createdAt), now).padStart(12),
			formatClock(message.durationMs).padStart(6),
			message.recovered ? ' recovered' : '',
		].join(' ').trimEnd());
		process.stdout.write(lines.length > 0 ? lines.join('\n') + '\n' : '');
	}

	if (settingsDamage !== undefined) {
		process.stderr.write('answerphone: the store\'s settings.json is damaged, so nothing can be recorded (answerphone doctor says how to repair it)\n');
	}

	if (problems.length > 0) {
		process.stderr.write(`answerphone: ${problems.length} unreadable file${problems.length === 1 ? '' : 's'} skipped (see answerphone doctor)\n`);
	}
}
