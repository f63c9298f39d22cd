// The small interfaces the machine uses to reach sound hardware. The real
// adapters (microphone.ts, speaker.ts) wrap node-record-lpcm16 and play-sound;
// tests hand in fakes with the same shape.

export type Availability = {ok: true; program: string} | {ok: false; reason: string};

export type MicrophoneStream = {
	/** Stops the recording program; onEnd follows once it has exited. */
	stop(): void;
};

export type Microphone = {
	check(): Availability;
	/** Streams 16 kHz mono s16le PCM to onPcm until stopped or the program fails. */
	open(onPcm: (pcm: Buffer) => void, onEnd: (error?: Error) => void): MicrophoneStream;
};

export type Playback = {
	stop(): void;
	/** Holds the sound where it is (SIGSTOP to the player) until resume(). */
	pause(): void;
	resume(): void;
	/** Resolves when playing ends: ok, stopped by us, or failed with a reason. */
	readonly done: Promise<{status: 'finished' | 'stopped'} | {status: 'failed'; reason: string}>;
};

export type Speaker = {
	check(): Availability;
	play(file: string): Playback;
};
