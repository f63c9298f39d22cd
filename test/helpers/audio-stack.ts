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

/**
 * describe() for tests that need something a developer's machine may lack:
 * runs, skips with the reason, or in CI (which installs everything) fails.
 */
export function describeNeeding(name: string, missing: string | undefined, body: () => void): void {
	if (missing === undefined) {
		describe(name, body);
	} else if (process.env['CI'] === 'true') {
		describe(name, () => {
			throw new Error(`${name} cannot run in CI: ${missing}`);
		});
	} else {
		describe.skip(`${name} (skipped: ${missing})`, body);
	}
}

/** describe() for tests that need real sound. */
export function describeRealAudio(name: string, body: () => void): void {
	describeNeeding(name, audioStackMissing, body);
}
