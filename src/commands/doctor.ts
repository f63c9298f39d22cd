import {readWavInfo, isStoreFormat} from '../pcm/wav.js';
import {systemMicrophone} from '../audio/microphone.js';
import {knownPlayers, systemSpeaker} from '../audio/speaker.js';
import {findProgram, installAdvice} from '../audio/programs.js';
import {printable} from '../printable.js';
import {defaultSettings} from '../tape/settings.js';
import {formatDuration} from '../time.js';
import {openTape, type AudioOptions, type StoreOptions} from './context.js';
import {checkStoreModes} from './store-modes.js';
import {sharedFolderReport} from './shared-folder.js';

export type DoctorOptions = StoreOptions & AudioOptions;

/** What works, what is missing and how to install it. Exits non-zero when recording or playback is impossible. */
export async function doctor(options: DoctorOptions): Promise<number> {
	const lines: string[] = [];
	// The same choices the machine and the commands make, flags and config included.
	const microphone = systemMicrophone({program: options.recorder ?? 'sox', device: options.device}).check();
	const speaker = systemSpeaker({player: options.player}).check();
	const players = knownPlayers.filter(name => findProgram(name));
	const speech = ['espeak-ng', 'espeak'].find(name => findProgram(name));
	lines.push(microphone.ok ? `recorder  ok     ${findProgram(microphone.program)}` : `recorder  MISSING  ${microphone.reason}`);
	lines.push(speaker.ok ? `player    ok     ${findProgram(speaker.program)} (found: ${players.join(', ')})` : `player    MISSING  ${speaker.reason}`);
	lines.push(speech ? `speech    ok     ${findProgram(speech)}` : `speech    none   day-and-time stamps are skipped (${installAdvice('speech')})`);
	const device = options.device ?? process.env['AUDIODEV'];
	lines.push(`input     ${device ? `device ${device}` : 'the system default microphone'}`);
	const dir = options.store;
	let storeOk = true;
	let settingsOk = true;
	try {
		const tape = await openTape(options);
		// The doctor looks at the files themselves, never at the index of them.
		const snapshot = await tape.snapshot({verify: true});
		const recovered = snapshot.messages.filter(message => message.recovered).length;
		const problems = [...snapshot.problems];
		// Reading every header is slow on big stores, which is why only the doctor does it.
		for (const message of [...snapshot.messages, ...snapshot.bin]) {
			try {
				const info = await readWavInfo(message.file);
				if (!isStoreFormat(info)) {
					problems.push({file: message.file, reason: 'audio is not 16 kHz mono 16-bit PCM'});
				}
			} catch (error) {
				problems.push({file: message.file, reason: (error as Error).message});
			}
		}

		lines.push(`store     ${problems.length === 0 ? 'ok   ' : 'WARN '}  ${dir}`, `          ${snapshot.messages.length} messages, ${snapshot.bin.length} in the undo bin, ${recovered} recovered, ${problems.length} skipped`);
		for (const problem of problems) {
			lines.push(`          skipped ${printable(problem.file)}: ${printable(problem.reason)}`);
		}

		// Who may read it: never a reason to stop recording, so a warning only.
		lines.push(...(await checkStoreModes(tape.dir)).lines);
		lines.push(...await sharedFolderReport(tape));
		const {settings} = snapshot;
		if (snapshot.settingsDamage === undefined) {
			lines.push(`settings  ok     tape ${formatDuration(settings.tapeMs)}, messages ${formatDuration(settings.minMessageMs)} to ${formatDuration(settings.maxMessageMs)}`);
		} else {
			// Recording would act on settings nobody chose: it stops until repaired.
			settingsOk = false;
			lines.push(
				`settings  DAMAGED  ${printable(tape.settingsFile)}: ${printable(snapshot.settingsDamage)}`,
				'          nothing is recorded or imported until it is repaired (listing and playing still work):',
				'          answerphone settings --repair --tape DUR [--max-message DUR] [--min-message DUR],',
				`          or delete the file to go back to the defaults (tape ${formatDuration(defaultSettings.tapeMs)}, messages ${formatDuration(defaultSettings.minMessageMs)} to ${formatDuration(defaultSettings.maxMessageMs)})`,
			);
		}
	} catch (error) {
		storeOk = false;
		lines.push(`store     BROKEN  ${(error as Error).message}`);
	}

	process.stdout.write(lines.join('\n') + '\n');
	return microphone.ok && speaker.ok && storeOk && settingsOk ? 0 : 1;
}
