// Answering a call, as the old machines did: the greeting, the beep, then the
// caller's message. The microphone opens at once but its sound is dropped
// until the beep has finished, so its start-up time never eats the first words
// and the beep itself is never part of the message.
import {assetFile} from './assets.js';
import type {Microphone, Speaker} from './ports.js';
import {playInSequence, type SequencePlayback} from './sequence.js';
import {Take, type PcmSink, type StopReason, type TakeOptions} from './take.js';

/**
 * How long after the beep the microphone's sound is still dropped: the beep
 * reaches the microphone a little after the player has finished (sound
 * server and device latency), and its tail must not become the message.
 */
export const beepSettleMs = 250;

export type CallOptions = {
	/** The greeting to play first, or undefined for a quick memo. */
	greeting: string | undefined;
	take: TakeOptions;
};

export type CallEnd = {reason: StopReason | 'cancelled'; error?: Error};

/** A draft that can be kept (trimmed to the voiced part) or thrown away. */
export type CallDraft<T> = PcmSink & {
	commit(options: {keep?: {startByte: number; endByte: number}}): Promise<T>;
	discard(): Promise<void>;
};

export type CallOutcome<T> =
	| {status: 'cancelled'}
	| {status: 'failed'; error: Error}
	| {status: 'kept'; result: T; reason: StopReason; error?: Error};

export class Call<T> {
	readonly take: Take;
	readonly ended: Promise<CallEnd>;
	private intro: SequencePlayback | undefined;
	private readonly hasGreeting: boolean;
	private cancelled = false;

	constructor(speaker: Speaker, microphone: Microphone, private readonly draft: CallDraft<T>, options: CallOptions) {
		// Found before the microphone opens: a missing file must not leave sox running.
		const beep = assetFile('beep.wav');
		const warning = assetFile('warning.wav');
		this.take = new Take(draft, microphone, options.take, {paused: true});
		this.take.onLimitWarning = () => {
			// The tone goes out of the speaker (and so onto the tape, as on the
			// real machines); a missing player just means no tone.
			void speaker.play(warning).done;
		};

		const canPlay = speaker.check().ok;
		this.hasGreeting = options.greeting !== undefined;
		const parts = [
			...(options.greeting ? [{file: options.greeting, optional: true}] : []),
			{file: beep, optional: true},
		];
		this.intro = canPlay ? playInSequence(speaker, parts) : undefined;
		const introDone = this.intro ? this.intro.done : Promise.resolve({status: 'finished' as const});
		void introDone.then(() => {
			setTimeout(() => {
				this.intro = undefined;
				if (!this.cancelled) {
					this.take.resume();
				}
			}, canPlay ? beepSettleMs : 0);
		});
		this.ended = this.take.ended.then(end => (this.cancelled ? {reason: 'cancelled'} : end));
	}

	/**
	 * Waits for the end of the call and keeps what the caller said, trimmed to
	 * the words with a little silence either side; a cancelled call, or one
	 * where the microphone failed before anything was recorded, keeps nothing.
	 */
	async finish(): Promise<CallOutcome<T>> {
		const {reason, error} = await this.ended;
		// The microphone may fail during the greeting: stop that too.
		this.intro?.stop();
		if (reason === 'cancelled') {
			await this.draft.discard();
			return {status: 'cancelled'};
		}

		if (error && this.draft.durationMs === 0) {
			await this.draft.discard();
			return {status: 'failed', error};
		}

		// Trim to the words. A call that the silence stop ended without a word
		// above the threshold is a hang-up and keeps nothing; but one stopped by
		// a key or the limit is kept whole, so a quiet voice is never thrown away.
		const voiced = this.take.voicedRange();
		const heardNothing = voiced.endByte === 0;
		const result = await this.draft.commit(heardNothing && reason !== 'silence' ? {} : {keep: voiced});
		return error ? {status: 'kept', result, reason, error} : {status: 'kept', result, reason};
	}

	/** A key during the greeting: on to the beep at once. Nothing (false) during the beep or after it. */
	skipGreeting(): boolean {
		if (this.intro && this.hasGreeting && this.intro.index === 0) {
			this.intro.skip();
			return true;
		}

		return false;
	}

	/** During the greeting or the beep this cancels the call; after the beep it ends the message. */
	stop(reason: StopReason = 'key'): void {
		if (this.intro) {
			this.cancelled = true;
			this.intro.stop();
		}

		this.take.stop(reason);
	}
}
