import {formatDuration} from '../time.js';
import type {TapeSettings} from '../tape/settings.js';
import {CommandError, openTape, UsageError, type StoreOptions} from './context.js';

/** The durations given with --tape, --max-message and --min-message, in ms; none given only shows the settings. */
export type SettingsOptions = StoreOptions & {tapeMs?: number; maxMessageMs?: number; minMessageMs?: number; json: boolean};

export async function settings(options: SettingsOptions): Promise<void> {
	const tape = await openTape(options);
	const change: Partial<TapeSettings> = {};
	if (options.tapeMs !== undefined) {
		change.tapeMs = options.tapeMs;
	}

	if (options.maxMessageMs !== undefined) {
		change.maxMessageMs = options.maxMessageMs;
	}

	if (options.minMessageMs !== undefined) {
		change.minMessageMs = options.minMessageMs;
	}

	let current: TapeSettings;
	try {
		current = Object.keys(change).length > 0 ? await tape.updateSettings(change) : await tape.readSettings();
	} catch (error) {
		// A value the settings refuse is a usage mistake; the disk failing
		// (read-only, full, the lock) is not, and has a system error code.
		const Failure = (error as NodeJS.ErrnoException).code === undefined ? UsageError : CommandError;
		throw new Failure((error as Error).message);
	}

	if (options.json) {
		process.stdout.write(JSON.stringify(current) + '\n');
		return;
	}

	process.stdout.write([
		`tape         ${formatDuration(current.tapeMs)}`,
		`max-message  ${formatDuration(current.maxMessageMs)}`,
		`min-message  ${formatDuration(current.minMessageMs)}`,
	].join('\n') + '\n');
}
