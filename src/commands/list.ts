import {formatClock, formatStamp} from '../time.js';
import {openTape, type GlobalFlags} from './context.js';

export type ListFlags = GlobalFlags & {for?: string; new?: boolean; json?: boolean};

/** The fields promised to scripts, in order; as a replacer list it picks them without copying each message. */
export const jsonFields = ['id', 'for', 'from', 'createdAt', 'durationMs', 'heard', 'keep', 'recovered', 'file'];

export async function list(flags: ListFlags): Promise<void> {
	const tape = await openTape(flags);
	const {messages, problems} = await tape.snapshot();
	const shown = messages.filter(message => (flags.for === undefined || message.for === flags.for) && (!flags.new || !message.heard));
	if (flags.json) {
		// Indented for a person at a terminal; one compact line for a pipe, which
		// is also a third faster to write on a big store.
		process.stdout.write(JSON.stringify(shown, jsonFields, process.stdout.isTTY ? 2 : undefined) + '\n');
	} else {
		const now = new Date();
		const lines = shown.map(message => [
			message.id,
			message.heard ? '   ' : 'NEW',
			message.keep ? 'keep' : '    ',
			`for ${message.for}`.padEnd(14),
			`from ${message.from}`.padEnd(15),
			formatStamp(new Date(message.createdAt), now).padStart(12),
			formatClock(message.durationMs).padStart(6),
			message.recovered ? ' recovered' : '',
		].join(' ').trimEnd());
		process.stdout.write(lines.length > 0 ? lines.join('\n') + '\n' : '');
	}

	if (problems.length > 0) {
		process.stderr.write(`answerphone: ${problems.length} unreadable file${problems.length === 1 ? '' : 's'} skipped (see answerphone doctor)\n`);
	}
}
