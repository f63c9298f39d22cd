// Opens the machine on the screen with the real microphone, speaker and tape.
import {appendFileSync, mkdirSync} from 'node:fs';
import {constants} from 'node:os';
import path from 'node:path';
import {render} from 'ink';
import {App} from './app.js';
import {systemMicrophone} from './audio/microphone.js';
import {sshSoundNotice} from './audio/remote.js';
import {killAllPlayers, systemSpeaker} from './audio/speaker.js';
import {systemSpeech} from './audio/speech.js';
import {CommandError, housemateName, loginName, openTape} from './commands/context.js';
import {appPaths} from './config.js';
import {newMessageHooksDone, newMessageHooksRunning} from './session/new-message-hook.js';
import type {MachineOptions} from './options.js';
import {checkName} from './tape/message.js';
import {asciiOnly, toAscii} from './ui/glyphs.js';
import type {Tape} from './tape/store.js';
import {LiveLines} from './ui/live-lines.js';
import {LiveLinesContext} from './ui/live-lines-context.js';
import type {MachinePorts} from './ui/ports.js';

/** opening: the store already being opened (cli.tsx starts it while this module loads). */
export async function openMachine(options: MachineOptions, opening?: Promise<Tape>): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new CommandError('the machine needs a terminal; from scripts use the commands (answerphone list, record, play, status; see answerphone --help)');
	}

	const tape = await (opening ?? openTape(options));
	// A sender given by flag, environment or config file was checked with the
	// options; the login name is checked here, before anyone records.
	let from: string;
	try {
		from = options.from ?? housemateName(tape.listener) ?? checkName(loginName(), 'the sender (--from)');
	} catch (error) {
		throw new CommandError((error as Error).message);
	}

	const quitListeners = new Set<() => void>();
	const ports: MachinePorts = {
		tape,
		microphone: systemMicrophone({program: options.recorder, device: options.device}),
		speaker: systemSpeaker({player: options.player}),
		from,
		housemates: options.housemates,
		take: options.take,
		speech: options.stamps ? systemSpeech() : undefined,
		blink: options.blink,
		onNewMessage: options.onNewMessage === undefined ? undefined : {command: options.onNewMessage, log: logHook},
		soundNotice: sshSoundNotice(),
		quitRequests(listener) {
			quitListeners.add(listener);
			return () => quitListeners.delete(listener);
		},
	};
	// Closing the terminal (SIGHUP) or a kill ends the screen as q does: a
	// recording in progress is saved, where other screens see it, not left in
	// tmp/ for some later open. A player must not keep talking after the
	// screen, however it ends.
	let endedBy: NodeJS.Signals | undefined;
	const exitCode = () => (endedBy === undefined ? 0 : 128 + constants.signals[endedBy]);
	for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
		process.on(signal, () => {
			killAllPlayers();
			// A closed terminal can send SIGHUP twice (the kernel and the shell):
			// the second must not cut the saving short.
			if (endedBy !== undefined) {
				return;
			}

			endedBy = signal;
			if (quitListeners.size === 0) {
				process.exit(exitCode());
			}

			for (const listener of quitListeners) {
				listener();
			}

			// Should saving hang (a store that stopped answering), the draft is
			// left in tmp/ for the next open to recover.
			setTimeout(() => {
				process.exit(exitCode());
			}, 10_000).unref();
		});
	}

	// Not incrementalRendering: in Ink 6.8 it leaves stale lines behind when
	// the frame changes height (seen when the tape finishes loading).
	// The Linux console and non-UTF-8 locales get plain ASCII (src/ui/glyphs.ts).
	const live = new LiveLines(process.stdout, asciiOnly ? toAscii : undefined);
	const instance = render(<LiveLinesContext.Provider value={live}><App ports={ports}/></LiveLinesContext.Provider>, {exitOnCtrlC: false, stdout: live.stream});
	await instance.waitUntilExit();
	// A hook still running gets its time (10 s at most) rather than be left
	// behind unwatched.
	if (newMessageHooksRunning()) {
		process.stderr.write('answerphone: waiting for the onNewMessage hook to finish\n');
		await newMessageHooksDone();
	}

	// Ended by a signal: say so, as a process it killed outright would.
	return exitCode();
}

/** The screen has no room for a hook's failure: it goes to hooks.log in the user's log folder. */
export const hookLogFile = path.join(appPaths.log, 'hooks.log');

function logHook(line: string): void {
	try {
		mkdirSync(path.dirname(hookLogFile), {recursive: true, mode: 0o700});
		appendFileSync(hookLogFile, `${new Date().toISOString()} ${line}\n`, {mode: 0o600});
	} catch {}
}
