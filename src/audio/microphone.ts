// The real microphone: SoX (or rec, or arecord) through node-record-lpcm16.
import {createRequire} from 'node:module';
import type * as RecordLpcm16 from 'node-record-lpcm16';
import {installAdvice, findProgram} from './programs.js';
import type {Availability, Microphone} from './ports.js';
import {channels, sampleRate} from '../pcm/wav.js';

// Loaded at the first recording, not with the screen: the package and its
// debug dependency are CommonJS from node_modules, found and compiled apart
// from the bundle, all before the first frame, which never records: ~9 ms in
// a CPU profile; the frame bench went from 371 to 351 ms (median of 7; the
// minimal Ink app 293 and 282 ms in the same runs), 2026-12-01.
let loaded: typeof RecordLpcm16 | undefined;
function recorder(): typeof RecordLpcm16 {
	loaded ??= createRequire(import.meta.url)('node-record-lpcm16') as typeof RecordLpcm16;
	return loaded;
}

export type MicrophoneOptions = {program?: 'sox' | 'rec' | 'arecord'; device?: string};

export function systemMicrophone(options: MicrophoneOptions = {}): Microphone {
	const program = options.program ?? 'sox';
	return {
		check(): Availability {
			return findProgram(program)
				? {ok: true, program}
				: {ok: false, reason: `cannot record: ${program} is not installed (${installAdvice('recorder')})`};
		},
		open(onPcm, onEnd) {
			let ended = false;
			const end = (error?: Error) => {
				if (!ended) {
					ended = true;
					onEnd(error);
				}
			};

			// PulseAudio otherwise hands sox its input in two-second lumps, which
			// makes the level meter and the silence stop lag; 50 ms keeps them live.
			// It is set for the whole process, so the players get it too, which
			// does them no harm and makes stop quicker.
			process.env['PULSE_LATENCY_MSEC'] ??= '50';
			// Raw PCM rather than WAV: a WAV piped out of sox carries placeholder
			// sizes, and we write our own header anyway.
			const recording = recorder().record({
				recorder: program, sampleRate, channels, audioType: 'raw', device: options.device,
			});
			let stderr = '';
			recording.process.stderr?.on('data', (chunk: Buffer) => {
				stderr = (stderr + chunk.toString()).slice(-500);
			});
			// Without this listener a missing or failing program crashes Node.
			recording.process.on('error', error => {
				end(new Error(`cannot record: ${error.message}`));
			});
			const stream = recording.stream();
			stream.on('data', (chunk: Buffer) => {
				onPcm(chunk);
			});
			// The package reports a failed exit as a string, not an Error.
			stream.on('error', () => undefined);
			let stopping = false;
			recording.process.on('close', (code, signal) => {
				if (code === 0 || (stopping && signal === 'SIGTERM')) {
					end();
				} else {
					const reason = stderr.trim().split('\n').pop() ?? '';
					end(new Error(`${program} stopped with ${code === null ? signal : `exit code ${code}`}${reason ? `: ${reason}` : ''}`));
				}
			});
			return {
				stop() {
					if (!stopping && !ended) {
						stopping = true;
						recording.process.kill('SIGTERM');
					}
				},
			};
		},
	};
}
