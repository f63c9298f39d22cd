import {formatClock} from '../time.js';
import {openTape, type StoreOptions} from './context.js';

export type StatusOptions = StoreOptions & {json: boolean};

export async function status(options: StatusOptions): Promise<void> {
	const tape = await openTape(options);
	const {messages, usedMs, settings, settingsDamage} = await tape.snapshot({waveforms: false});
	if (settingsDamage !== undefined) {
		process.stderr.write('answerphone: the store\'s settings.json is damaged, so nothing can be recorded (answerphone doctor says how to repair it)\n');
	}

	const unheard = messages.filter(message => !message.heard).length;
	if (options.json) {
		process.stdout.write(JSON.stringify({messages: messages.length, new: unheard, usedMs, capacityMs: settings.tapeMs}) + '\n');
		return;
	}

	const freeMs = Math.max(0, settings.tapeMs - usedMs);
	process.stdout.write(`${unheard} new · ${messages.length} message${messages.length === 1 ? '' : 's'} · ${formatClock(freeMs)} free of ${formatClock(settings.tapeMs)}\n`);
}
