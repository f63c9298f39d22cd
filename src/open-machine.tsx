// Opens the machine on the screen with the real microphone, speaker and tape.
import {render} from 'ink';
import {App} from './app.js';
import {systemMicrophone} from './audio/microphone.js';
import {killAllPlayers, systemSpeaker} from './audio/speaker.js';
import {systemSpeech} from './audio/speech.js';
import {defaultTakeOptions} from './audio/take.js';
import {CommandError, loginName, openTape, type GlobalFlags} from './commands/context.js';
import {checkName} from './tape/message.js';
import {parseDuration} from './time.js';
import type {BlinkMode} from './ui/counter/message-counter.js';
import {LiveLines} from './ui/live-lines.js';
import {LiveLinesContext} from './ui/live-lines-context.js';
import type {MachinePorts} from './ui/ports.js';

export async function openMachine(flags: GlobalFlags & {from?: string; player?: string; recorder?: string; device?: string; silence?: string; 'silence-threshold'?: string; quick?: boolean; stamps?: boolean; blink?: BlinkMode; housemates?: string[]}): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new CommandError('the machine needs a terminal; from scripts use the commands (answerphone list, record, play, status; see answerphone --help)');
	}

	const tape = await openTape(flags);
	const recorderName = flags.recorder;
	if (recorderName !== undefined && recorderName !== 'sox' && recorderName !== 'rec' && recorderName !== 'arecord') {
		throw new CommandError(`--recorder must be sox, rec or arecord, not "${recorderName}"`);
	}

	let from: string;
	let housemates: string[];
	let silenceStopMs = defaultTakeOptions.silenceStopMs;
	const silenceThresholdDb = flags['silence-threshold'] === undefined ? defaultTakeOptions.silenceThresholdDb : Number(flags['silence-threshold']);
	if (!Number.isFinite(silenceThresholdDb)) {
		throw new CommandError('--silence-threshold must be a level in dBFS, like -45');
	}

	try {
		from = checkName(flags.from ?? loginName(), 'the sender (--from)');
		housemates = (flags.housemates ?? []).map(name => checkName(name, 'a housemate in the config file'));
		if (flags.silence !== undefined) {
			silenceStopMs = parseDuration(flags.silence);
		}
	} catch (error) {
		throw new CommandError((error as Error).message);
	}

	const ports: MachinePorts = {
		tape,
		microphone: systemMicrophone({program: recorderName, device: flags.device}),
		speaker: systemSpeaker({player: flags.player}),
		from,
		housemates,
		take: {silenceStopMs, silenceThresholdDb},
		quickMemo: flags.quick === true,
		speech: flags.stamps === false ? undefined : systemSpeech(),
		blink: flags.blink,
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
