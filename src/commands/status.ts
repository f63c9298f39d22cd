import {loginLine, newFor} from '../tape/status-files.js';
import {printable} from '../printable.js';
import {formatClock} from '../time.js';
import {openTape, UsageError, type StoreOptions} from './context.js';

/** login: the one line for a login shell ("answerphone: 2 new messages for you (1 from jo)"), or nothing when nothing is new. */
export type StatusOptions = StoreOptions & {json: boolean; login: boolean};

export async function status(options: StatusOptions): Promise<void> {
	// Both at once used to print the login line, which a script reading JSON cannot parse.
	if (options.login && options.json) {
		throw new UsageError('status takes --login or --json, not both');
	}

	const tape = await openTape(options);
	if (options.login) {
		// The full way (see login-line.ts for the quick one): it also brings
		// the status files up to date, so the next login takes the quick way.
		await tape.refreshStatus();
		const {messages} = await tape.snapshot({waveforms: false, listener: {kind: 'household'}});
		const line = loginLine(tape.listener, newFor(tape.listener, messages), printable);
		process.stdout.write(line === '' ? '' : line + '\n');
		return;
	}

	const {messages, usedMs, settings, settingsDamage} = await tape.snapshot({waveforms: false});
	if (settingsDamage !== undefined) {
		process.stderr.write('answerphone: the store\'s settings.json is damaged, so nothing can be recorded (answerphone doctor says how to repair it)\n');
	}

	const unheard = messages.filter(message => !message.heard).length;
	if (options.json) {
		const listener = tape.listener.kind === 'household' ? 'household' : tape.listener.name;
		process.stdout.write(JSON.stringify({messages: messages.length, new: unheard, usedMs, capacityMs: settings.tapeMs, for: listener}) + '\n');
		return;
	}

	const freeMs = Math.max(0, settings.tapeMs - usedMs);
	process.stdout.write(`${unheard} new · ${messages.length} message${messages.length === 1 ? '' : 's'} · ${formatClock(freeMs)} free of ${formatClock(settings.tapeMs)}\n`);
}
