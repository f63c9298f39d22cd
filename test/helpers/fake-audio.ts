// Fakes of the microphone and speaker ports for fast UI tests. The real
// adapters are exercised by the real-audio tests in test/e2e.
import path from 'node:path';
import type {Microphone, Playback, Speaker} from '../../src/audio/ports.js';

export type FakeMicrophone = Microphone & {
	/** Pushes PCM as if the caller spoke; amplitude 0 is silence. */
	speak(ms: number, amplitude?: number): void;
	readonly open: Microphone['open'];
	isOpen(): boolean;
};

export function fakeMicrophone(): FakeMicrophone {
	let onPcm: ((pcm: Buffer) => void) | undefined;
	let onEnd: ((error?: Error) => void) | undefined;
	return {
		check: () => ({ok: true, program: 'fake'}),
		open(pcm, end) {
			onPcm = pcm;
			onEnd = end;
			return {
				stop() {
					const ended = onEnd;
					onPcm = undefined;
					onEnd = undefined;
					setTimeout(() => ended?.(), 5);
				},
			};
		},
		speak(ms, amplitude = 8000) {
			const samples = Math.round((ms * 16_000) / 1000);
			const pcm = Buffer.alloc(samples * 2);
			for (let index = 0; index < samples; index++) {
				pcm.writeInt16LE(Math.round(amplitude * Math.sin(index / 8)), index * 2);
			}

			onPcm?.(pcm);
		},
		isOpen: () => onPcm !== undefined,
	};
}

export type FakeSpeaker = Speaker & {
	played: string[];
	/** Ends the current playback as if the player reached the end. */
	finish(): void;
	stopped: number;
	paused: boolean;
	/** Built-in sounds played, by file name: greeting.wav, beep.wav, warning.wav. */
	sounds: string[];
};

export function fakeSpeaker(): FakeSpeaker {
	let finishCurrent: (() => void) | undefined;
	const speaker: FakeSpeaker = {
		played: [],
		sounds: [],
		stopped: 0,
		paused: false,
		check: () => ({ok: true, program: 'fake'}),
		play(file): Playback {
			// The built-in greeting, beep and warning tone end by themselves at
			// once; messages play until the test says they have finished.
			if (file.includes(`${path.sep}assets${path.sep}`)) {
				speaker.sounds.push(path.basename(file));
				return {done: Promise.resolve({status: 'finished'}), stop() {}, pause() {}, resume() {}};
			}

			speaker.played.push(file);
			let resolveDone!: (result: Awaited<Playback['done']>) => void;
			const done = new Promise<Awaited<Playback['done']>>(resolve => {
				resolveDone = resolve;
			});
			finishCurrent = () => {
				resolveDone({status: 'finished'});
			};

			return {
				done,
				stop() {
					speaker.stopped += 1;
					resolveDone({status: 'stopped'});
				},
				pause() {
					speaker.paused = true;
				},
				resume() {
					speaker.paused = false;
				},
			};
		},
		finish() {
			finishCurrent?.();
		},
	};
	return speaker;
}

export function missingSpeaker(): Speaker {
	return {
		check: () => ({ok: false, reason: 'cannot play: no audio player found (install paplay)'}),
		play: () => ({done: Promise.resolve({status: 'failed', reason: 'cannot play: no audio player found (install paplay)'}), stop() {}, pause() {}, resume() {}}),
	};
}

export function missingMicrophone(): Microphone {
	return {
		check: () => ({ok: false, reason: 'cannot record: sox is not installed (sudo apt-get install sox)'}),
		open() {
			throw new Error('a missing microphone must not be opened');
		},
	};
}
