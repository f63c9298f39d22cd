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

/** How to play a message other than plainly: from a position, faster or slower (same pitch), louder or quieter. */
export type PlayAdjust = {
	/** Where to start in the file. */
	startMs?: number;
	/** 0.5 to 2; 1 is as recorded. */
	speed?: number;
	/** 0 to 100 (per cent of the recorded loudness). */
	volume?: number;
};

/** Whether adjust asks for anything the plain player cannot do. */
export function isPlain(adjust: PlayAdjust | undefined): boolean {
	return adjust === undefined || ((adjust.startMs ?? 0) <= 0 && (adjust.speed ?? 1) === 1 && (adjust.volume ?? 100) === 100);
}

export type Speaker = {
	check(): Availability;
	/** Plays file as it is, or through SoX when adjust asks for a position, a speed or a volume. */
	play(file: string, adjust?: PlayAdjust): Playback;
};
