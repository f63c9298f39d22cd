// The thin outside of answerphone: parse the command line, build the real
// adapters, then either open the machine or run one command. The screen and
// its dependencies are loaded only when the machine opens, so scripted
// commands start fast.
import {CommandError, openTape, UsageError} from './commands/context.js';
import {configFile, systemConfigFile} from './config.js';
import {checkVerbFlags, flagSpec, noColorWanted, parseCommandLine, resolveOptions} from './options.js';
import {printable} from './printable.js';

const version = '0.1.0';

const usage = () => `answerphone: a retro answering machine for the terminal

usage:
  answerphone                                  open the machine
  answerphone record [--input FILE|-] [--for NAME] [--from NAME] [--quick]
                    [--silence DUR] [--silence-threshold DB]
                                               one message from the microphone: the greeting
                                               (not with --quick), the beep, then until 5s of
                                               silence, the limit or Ctrl-C; or import a sound
                                               file; prints the new id
  answerphone play ID | --next [--speed 0.5-2] [--volume 0-100]
                                               play a message and mark it heard; --speed
                                               keeps the voice's pitch (SoX)
  answerphone list [--for NAME] [--new] [--json]
  answerphone status [--json]                  "2 new · 5 messages · 12:08 free of 20:00"
  answerphone status --login                   "answerphone: 2 new messages for you (1 from jo)", or nothing
  answerphone mark ID... --heard|--new
  answerphone erase ID... [--yes]              move to the undo bin (--yes: kept ones too)
  answerphone erase --bin                      empty the undo bin for good (frees its space, even on a full disk)
  answerphone restore ID...                    bring back from the undo bin
  answerphone keep ID... [--off]               protect from being overwritten
  answerphone export ID FILE|-                 copy a message's WAV out (- to stdout)
  answerphone settings [--tape DUR] [--max-message DUR] [--min-message DUR] [--yes] [--repair]
                                               the tape's size and limits; --yes: shrink it below
                                               what it holds; --repair: rewrite a damaged settings.json
  answerphone greeting record|play|reset      the outgoing message callers hear first
  answerphone mailbox add|remove|list [NAME]  the housemates' mailboxes
  answerphone doctor                           what works, what is missing, how to install it
                                               (and the store's owner, group and modes)
  answerphone setup --household [--group NAME] [--login-hook]
                                               as root: one store for every account, shared by a
                                               Unix group (default /var/lib/answerphone, group answerphone)
  answerphone setup --shared-folder            a store shared through Syncthing: keep each
                                               computer's own files (lock, tmp/) local in .stignore
  answerphone completion bash|zsh              Tab completion: eval "$(answerphone completion bash)" in ~/.bashrc

options:
  --store DIR     the message store (default: $ANSWERPHONE_STORE, else the user's data directory)
  --as NAME       listen as this housemate, or as "household" (no one in particular); new and heard are theirs
                  (default: $ANSWERPHONE_AS, else the config's housemates map, else the login name on a
                  household store and "household" on a personal one)
  --player NAME   the audio player to use (paplay, pw-play, aplay, play, afplay, ffplay)
  --recorder NAME sox (default), rec or arecord;  --device NAME: the input device
  -h, --help      this help;  -v, --version: the version

Durations are written like 20m, 90s or 1m30s. Ids may be shortened to any unique prefix.
Settings file: ${configFile()}
  (JSON: store, from, housemates, player, recorder, device, silence, silenceThreshold, greeting, stamps, blink,
  onNewMessage), read over the system's ${systemConfigFile()}.
NO_COLOR turns colours off.`;

async function main(argv: string[]): Promise<number> {
	const {flags, positionals} = parseCommandLine(argv);
	// Before the config file: a broken one must not hide the help that names it.
	if (flags.help) {
		process.stdout.write(usage() + '\n');
		return 0;
	}

	if (flags.version) {
		process.stdout.write(version + '\n');
		return 0;
	}

	const [verb, ...args] = positionals;
	checkVerbFlags(verb, flags);
	// The machine's code starts loading before the options are read: there
	// Yoga, Ink's layout engine, compiles in the background while the options
	// are read and the store opens, where the first frame waited ~5 ms idle.
	const screen = verb === undefined ? loadScreen() : undefined;
	// Checked once, here, for every command: a bad value from a flag, the
	// environment or the config file is one usage line and exit 2.
	const options = resolveOptions(flags);
	const noArgs = (name: string) => {
		if (args.length > 0) {
			throw new UsageError(`${name} takes no arguments (answerphone --help)`);
		}
	};

	switch (verb) {
		case undefined: {
			// The store opens (files, in Node's thread pool) while the screen's
			// code loads (compiling, on this thread): the first frame waited for
			// one after the other. Only on a terminal, where the machine opens:
			// elsewhere its refusal comes first.
			const opening = process.stdin.isTTY && process.stdout.isTTY ? openTape(options) : undefined;
			opening?.catch(() => undefined);
			return (await screen!).openMachine(options, opening);
		}

		case 'record': {
			noArgs('record');
			await (await import('./commands/record.js')).record(options);
			return 0;
		}

		case 'list': {
			noArgs('list');
			await (await import('./commands/list.js')).list(options);
			return 0;
		}

		case 'status': {
			noArgs('status');
			await (await import('./commands/status.js')).status(options);
			return 0;
		}

		case 'settings': {
			noArgs('settings');
			await (await import('./commands/settings.js')).settings(options);
			return 0;
		}

		case 'play': {
			await (await import('./commands/play.js')).play(args, options);
			return 0;
		}

		case 'mark':
		case 'erase':
		case 'restore':
		case 'keep': {
			const change = await import('./commands/change.js');
			await change[verb](args, options);
			return 0;
		}

		case 'export': {
			await (await import('./commands/export.js')).exportMessage(args, options);
			return 0;
		}

		case 'greeting': {
			await (await import('./commands/greeting.js')).greeting(args, options);
			return 0;
		}

		case 'mailbox': {
			await (await import('./commands/mailbox.js')).mailbox(args, options);
			return 0;
		}

		case 'doctor': {
			noArgs('doctor');
			return (await import('./commands/doctor.js')).doctor(options);
		}

		case 'setup': {
			noArgs('setup');
			await (await import('./commands/setup.js')).setup(options);
			return 0;
		}

		case 'completion': {
			await (await import('./commands/completion.js')).completion(args, options, flagSpec);
			return 0;
		}

		default: {
			throw new UsageError(`unknown command "${verb}" (answerphone --help)`);
		}
	}
}

/** Starts loading the screen's code, once the environment Ink reads as it loads is set. */
async function loadScreen() {
	// https://no-color.org: Ink's colour library does not read NO_COLOR
	// itself, but it does honour FORCE_COLOR=0, so translate before loading it.
	if (noColorWanted()) {
		process.env['FORCE_COLOR'] = '0';
	}

	// Ink takes CI=true to mean its output is a log and draws only the
	// last frame. The machine opens only on a real terminal, where that
	// would leave the screen blank until quit.
	if (process.stdout.isTTY) {
		delete process.env['CI'];
		delete process.env['CONTINUOUS_INTEGRATION'];
	}

	const loading = import('./open-machine.js');
	// A bad option may end the command line before the code is awaited.
	loading.catch(() => undefined);
	return loading;
}

// A reader that stops early (`answerphone list | head`) closes the pipe: that
// ends the output, as it ends any Unix filter, and is no crash. The scripted
// commands write to stdout only once their work is done (a record prints its
// id after the message is saved), so leaving at once loses nothing; another
// failure to write (a full disk behind a redirect) is one line and exit 1.
// The screen's terminal going away is left to the SIGHUP that comes with it,
// which saves a recording in progress.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (process.stdout.isTTY) {
		return;
	}

	if (error.code !== 'EPIPE') {
		process.stderr.write(`answerphone: cannot write the output: ${error.message}\n`);
		process.exitCode = 1;
	}

	process.exit();
});

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	const message = error instanceof Error ? error.message : String(error);
	process.stderr.write(`answerphone: ${printable(message.split('\n')[0] ?? '')}\n`);
	process.exitCode = error instanceof CommandError ? error.exitCode : 1;
}
