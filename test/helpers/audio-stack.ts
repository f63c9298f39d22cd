// Real-audio tests need SoX, a player, espeak-ng and a running PulseAudio
// server (scripts/audio-sandbox.sh starts a private one with a null sink).
// Without them the tests are skipped with the reason, except in CI, where a
// skipped real-audio test would hide a broken pipeline, so they fail instead.
import {describe} from 'vitest';
import {findProgram} from '../../src/audio/programs.js';
import {pulseAnswers} from './pulse.js';

function missingPiece(): string | undefined {
	for (const program of ['sox', 'paplay', 'parec', 'pactl', 'espeak-ng']) {
		if (!findProgram(program)) {
			return `${program} is not installed`;
		}
	}

	if (!pulseAnswers()) {
		return 'no PulseAudio server (run: eval "$(scripts/audio-sandbox.sh start)")';
	}

	return undefined;
}

export const audioStackMissing = missingPiece();

/** describe() for tests that need real sound: runs, skips with the reason, or in CI fails. */
export function describeRealAudio(name: string, body: () => void): void {
	if (audioStackMissing === undefined) {
		describe(name, body);
	} else if (process.env['CI'] === 'true') {
		describe(name, () => {
			throw new Error(`real-audio tests cannot run in CI: ${audioStackMissing}`);
		});
	} else {
		describe.skip(`${name} (skipped: ${audioStackMissing})`, body);
	}
}
