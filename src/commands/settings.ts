import {formatClock, formatDuration} from '../time.js';
import {planRoom, toRingEntry} from '../tape/ring.js';
import {checkSettings, defaultSettings, type TapeSettings} from '../tape/settings.js';
import {SettingsDamagedError, type Tape} from '../tape/store.js';
import {CommandError, openTape, UsageError, type StoreOptions} from './context.js';

/**
 * The durations given with --tape, --max-message and --min-message, in ms; none given only shows the settings.
 * repair: rewrite a damaged settings.json (values not given take the defaults); yes: shrink the tape below what it holds.
 */
export type SettingsOptions = StoreOptions & {tapeMs?: number; maxMessageMs?: number; minMessageMs?: number; json: boolean; repair: boolean; yes: boolean};

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

	// What a damaged file held cannot be told, so a repair names the tape's
	// length rather than fall back to the default one without being asked.
	if (options.repair && change.tapeMs === undefined) {
		throw new UsageError('settings --repair needs --tape DUR: the length the tape should have (--max-message and --min-message not given go back to 1m and 1s)');
	}

	let current: TapeSettings;
	try {
		if (Object.keys(change).length > 0) {
			// The damage is told first, then a mistake in the values, and only
			// then what a shorter tape would overwrite.
			const before = options.repair ? await tape.readSettings().catch(() => defaultSettings) : await tape.readSettings();
			checkSettings({...before, ...change});
			if (change.tapeMs !== undefined && !options.yes) {
				await refuseToShrinkBelowUse(tape, change.tapeMs);
			}

			current = await tape.updateSettings(change, {repair: options.repair});
		} else {
			current = await tape.readSettings();
		}
	} catch (error) {
		if (error instanceof CommandError) {
			throw error;
		}

		// A value the settings refuse is a usage mistake; damaged settings are
		// not, nor is the disk failing (read-only, full, the lock), which has a
		// system error code.
		const Failure = error instanceof SettingsDamagedError || (error as NodeJS.ErrnoException).code !== undefined ? CommandError : UsageError;
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

/**
 * A tape shorter than what it holds overwrites the difference at the next
 * recording (placement frees room then, never when the setting changes), in
 * the ring's usual order: the undo bin first, then heard messages, then
 * unheard ones. Said before it is done, and done only with --yes.
 */
async function refuseToShrinkBelowUse(tape: Tape, tapeMs: number): Promise<void> {
	const snapshot = await tape.snapshot({waveforms: false});
	if (snapshot.usedMs + snapshot.binMs <= tapeMs) {
		return;
	}

	const all = [...snapshot.messages, ...snapshot.bin];
	const plan = planRoom(all.map(message => toRingEntry(message)), tapeMs, 0);
	const byId = new Map(all.map(message => [message.id, message]));
	const lost = plan.fits ? plan.evict.map(id => byId.get(id)!) : all.filter(message => message.erasedAt !== null || !message.keep);
	const lostMs = lost.reduce((sum, message) => sum + message.durationMs, 0);
	const inBin = lost.filter(message => message.erasedAt !== null).length;
	const unheard = lost.filter(message => message.erasedAt === null && !message.heard).length;
	const details = [
		...(unheard > 0 ? [`${unheard} unheard`] : []),
		...(inBin > 0 ? [`${inBin} from the undo bin`] : []),
	];
	const kept = plan.fits ? '' : '; the kept messages alone are longer than that, so nothing could be recorded until some are unkept';
	throw new CommandError(`a ${formatDuration(tapeMs)} tape is shorter than the ${formatClock(snapshot.usedMs + snapshot.binMs)} on it: the next recording would overwrite at least ${lost.length} message${lost.length === 1 ? '' : 's'} (${formatClock(lostMs)}${details.length > 0 ? `, ${details.join(', ')}` : ''})${kept}; run again with --yes to shrink it`);
}
