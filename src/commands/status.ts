import {formatClock} from '../time.js';
import {openTape, type GlobalFlags} from './context.js';

export async function status(flags: GlobalFlags & {json?: boolean}): Promise<void> {
	const tape = await openTape(flags);
	const {messages, usedMs, settings} = await tape.snapshot({waveforms: false});
	const unheard = messages.filter(message => !message.heard).length;
	if (flags.json) {
		process.stdout.write(JSON.stringify({messages: messages.length, new: unheard, usedMs, capacityMs: settings.tapeMs}) + '\n');
		return;
	}

	const freeMs = Math.max(0, settings.tapeMs - usedMs);
	process.stdout.write(`${unheard} new · ${messages.length} message${messages.length === 1 ? '' : 's'} · ${formatClock(freeMs)} free of ${formatClock(settings.tapeMs)}\n`);
}
