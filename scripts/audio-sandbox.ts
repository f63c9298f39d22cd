// The command behind scripts/audio-sandbox.sh: start or stop the checkout's
// PulseAudio sandbox (test/helpers/pulse.ts), printing for `start` the
// exports a shell evals to use it.
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startSandbox, stopSandbox} from '../test/helpers/pulse.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quote = (text: string) => `'${text.replaceAll('\'', '\'\\\'\'')}'`;

switch (process.argv[2] ?? 'start') {
	case 'start': {
		const env = await startSandbox(root);
		for (const name of ['PULSE_RUNTIME_PATH', 'PULSE_SERVER', 'AUDIODRIVER']) {
			console.log(`export ${name}=${quote(env[name] ?? '')}`);
		}

		break;
	}

	case 'stop': {
		await stopSandbox(root);
		break;
	}

	default: {
		console.error('usage: scripts/audio-sandbox.sh start|stop');
		process.exitCode = 2;
	}
}
