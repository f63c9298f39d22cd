import {formatDuration, parseDuration} from '../time.js';
import type {TapeSettings} from '../tape/settings.js';
import {openTape, UsageError, type GlobalFlags} from './context.js';

export type SettingsFlags = GlobalFlags & {tape?: string; 'max-message'?: string; 'min-message'?: string; json?: boolean};

function duration(flag: string, text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	try {
		return parseDuration(text);
	} catch (error) {
		throw new UsageError(`--${flag}: ${(error as Error).message}`);
	}
}

export async function settings(flags: SettingsFlags): Promise<void> {
	const tape = await openTape(flags);
	const change: Partial<TapeSettings> = {};
	const tapeMs = duration('tape', flags.tape);
	const maxMessageMs = duration('max-message', flags['max-message']);
	const minMessageMs = duration('min-message', flags['min-message']);
	if (tapeMs !== undefined) {
		change.tapeMs = tapeMs;
	}

	if (maxMessageMs !== undefined) {
		change.maxMessageMs = maxMessageMs;
	}

	if (minMessageMs !== undefined) {
		change.minMessageMs = minMessageMs;
	}

	let current: TapeSettings;
	try {
		current = Object.keys(change).length > 0 ? await tape.updateSettings(change) : await tape.readSettings();
	} catch (error) {
		throw new UsageError((error as Error).message);
	}

	if (flags.json) {
		process.stdout.write(JSON.stringify(current) + '\n');
		return;
	}

	process.stdout.write([
		`tape         ${formatDuration(current.tapeMs)}`,
		`max-message  ${formatDuration(current.maxMessageMs)}`,
		`min-message  ${formatDuration(current.minMessageMs)}`,
	].join('\n') + '\n');
}
