// The day-and-time stamp before each message ("Message 2. Tuesday, 4:05 PM."),
// spoken by whatever speech program the computer has. Without one the stamp
// is skipped silently: it is a nicety, never a reason to fail.
import {execFile} from 'node:child_process';
import {rmSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {findProgram} from './programs.js';

const run = promisify(execFile);

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** What the machine says before a message; the speech program reads "4:05 PM" as "four oh five P M". */
export function stampText(position: number, createdAt: Date, now: Date): string {
	const hours = createdAt.getHours();
	const time = `${hours % 12 === 0 ? 12 : hours % 12}:${String(createdAt.getMinutes()).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`;
	const ageDays = (now.getTime() - createdAt.getTime()) / 86_400_000;
	const day = ageDays < 6 ? weekdays[createdAt.getDay()]! : `${weekdays[createdAt.getDay()]!} the ${createdAt.getDate()}${ordinalSuffix(createdAt.getDate())}`;
	return `Message ${position}. ${day}, ${time}.`;
}

function ordinalSuffix(day: number): string {
	if (day % 100 >= 11 && day % 100 <= 13) {
		return 'th';
	}

	return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}

export type Speech = {
	/** Renders text to a WAV file and returns its path, or undefined when no speech program is present. */
	render(text: string): Promise<string | undefined>;
	/** Removes what render() left behind. */
	dispose(): Promise<void>;
};

export function systemSpeech(): Speech {
	let dir: string | undefined;
	let count = 0;
	// However the process ends, the stamps go with it.
	process.once('exit', () => {
		if (dir) {
			rmSync(dir, {recursive: true, force: true});
		}
	});
	return {
		async render(text) {
			const program = ['espeak-ng', 'espeak'].find(name => findProgram(name));
			if (!program) {
				return undefined;
			}

			// Any failure (no room in the temp folder, a broken speech program)
			// just means no stamp.
			try {
				dir ??= await mkdtemp(path.join(tmpdir(), 'answerphone-speech-'));
				count += 1;
				const file = path.join(dir, `stamp-${count}.wav`);
				await run(program, ['-s', '160', '-w', file, text], {timeout: 5000});
				return file;
			} catch {
				return undefined;
			}
		},
		async dispose() {
			if (dir) {
				await rm(dir, {recursive: true, force: true}).catch(() => undefined);
			}
		},
	};
}
