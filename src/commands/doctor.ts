import {readWavInfo, isStoreFormat} from '../pcm/wav.js';
import {systemMicrophone} from '../audio/microphone.js';
import {knownPlayers, systemSpeaker} from '../audio/speaker.js';
import {findProgram, installAdvice} from '../audio/programs.js';
import {answers, soundPlace} from '../audio/remote.js';
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
	const sound = await whereSoundPlays();
	lines.push(...sound.lines);
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
	return microphone.ok && speaker.ok && storeOk && settingsOk && sound.ok ? 0 : 1;
}

/**
 * Over SSH the sound plays on the host unless the person's own sound server
 * is forwarded: say which, and that a forwarded one answers (a tunnel that
 * is down means no sound at all, so that fails the check).
 */
async function whereSoundPlays(): Promise<{lines: string[]; ok: boolean}> {
	const place = soundPlace();
	if (place.kind === 'local') {
		return {lines: [], ok: true};
	}

	if (place.kind === 'host') {
		return {
			lines: [
				'sound     HOST   over SSH, the sound plays on this computer, not on yours;',
				'          to hear it on yours, forward your sound server (README: "Hearing it over SSH")',
			],
			ok: true,
		};
	}

	const reached = await answers(place.host, place.port);
	const server = printable(place.server);
	return reached.ok
		? {lines: [`sound     ok     PULSE_SERVER ${server} answers${process.env['SSH_CONNECTION'] ? ' (forwarded over SSH)' : ''}`], ok: true}
		: {
				lines: [
					`sound     FAIL   PULSE_SERVER ${server} does not answer (${printable(reached.reason)}): nothing will be heard;`,
					'          is the SSH tunnel up (ssh -R 24713:localhost:4713 …) and the server listening (README: "Hearing it over SSH")?',
				],
				ok: false,
			};
}
