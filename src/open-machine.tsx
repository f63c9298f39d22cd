// Opens the machine on the screen with the real microphone, speaker and tape.
import {render} from 'ink';
import {App} from './app.js';
import {systemMicrophone} from './audio/microphone.js';
import {killAllPlayers, systemSpeaker} from './audio/speaker.js';
import {systemSpeech} from './audio/speech.js';
import {CommandError, loginName, openTape} from './commands/context.js';
import type {MachineOptions} from './options.js';
import {checkName} from './tape/message.js';
import {LiveLines} from './ui/live-lines.js';
import {LiveLinesContext} from './ui/live-lines-context.js';
import type {MachinePorts} from './ui/ports.js';

export async function openMachine(options: MachineOptions): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new CommandError('the machine needs a terminal; from scripts use the commands (answerphone list, record, play, status; see answerphone --help)');
	}

	const tape = await openTape(options);
	// A sender given by flag, environment or config file was checked with the
	// options; the login name is checked here, before anyone records.
	let from: string;
	try {
		from = options.from ?? checkName(loginName(), 'the sender (--from)');
	} catch (error) {
		throw new CommandError((error as Error).message);
	}

	const ports: MachinePorts = {
		tape,
		microphone: systemMicrophone({program: options.recorder, device: options.device}),
		speaker: systemSpeaker({player: options.player}),
		from,
		housemates: options.housemates,
		take: options.take,
		quickMemo: options.quick,
		speech: options.stamps ? systemSpeech() : undefined,
		blink: options.blink,
	};
	// A player must not keep talking after the screen dies, however it dies.
	for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			killAllPlayers();
			process.exit(128 + (signal === 'SIGTERM' ? 15 : 1));
		});
	}

	// Not incrementalRendering: in Ink 6.8 it leaves stale lines behind when
	// the frame changes height (seen when the tape finishes loading).
	const live = new LiveLines(process.stdout);
	const instance = render(<LiveLinesContext.Provider value={live}><App ports={ports}/></LiveLinesContext.Provider>, {exitOnCtrlC: false, stdout: live.stream});
	await instance.waitUntilExit();
	return 0;
}
