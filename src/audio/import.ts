// Importing a sound file (or a WAV stream on stdin) into a draft. SoX reads
// whatever it can (other rates, stereo, float, 8-bit, u-law) and hands us the
// store's format as raw PCM, which streams straight into the draft.
import {spawn} from 'node:child_process';
import type {Readable} from 'node:stream';
import type {Draft} from '../tape/store.js';
import {findProgram, installAdvice} from './programs.js';
import {channels, sampleRate} from './wav.js';

export class ImportCancelled extends Error {
	constructor() {
		super('cancelled: nothing saved');
	}
}

export async function importInto(draft: Draft, input: string | Readable, signal?: AbortSignal): Promise<void> {
	if (!findProgram('sox')) {
		throw new Error(`cannot import: sox is not installed (${installAdvice('recorder')})`);
	}

	const source = typeof input === 'string' ? [input] : ['--type', 'wav', '-'];
	const sox = spawn('sox', [
		'--no-show-progress', ...source,
		'--type', 'raw', '--rate', String(sampleRate), '--channels', String(channels),
		'--encoding', 'signed-integer', '--bits', '16', '--endian', 'little', '-',
	], {stdio: [typeof input === 'string' ? 'ignore' : 'pipe', 'pipe', 'pipe']});
	let stderr = '';
	sox.stderr!.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-1000);
	});
	if (typeof input !== 'string') {
		input.pipe(sox.stdin!);
		// sox may stop reading early (bad input): that is reported below, not as EPIPE.
		sox.stdin!.on('error', () => undefined);
	}

	const exit = new Promise<number | null>((resolve, reject) => {
		sox.on('error', reject);
		sox.on('close', resolve);
	});
	const cancel = () => {
		sox.kill('SIGTERM');
	};

	signal?.addEventListener('abort', cancel, {once: true});
	for await (const chunk of sox.stdout! as AsyncIterable<Buffer>) {
		if (!draft.write(chunk)) {
			await draft.waitForDrain();
		}

		if (draft.full) {
			sox.kill('SIGTERM');
			break;
		}
	}

	const code = await exit;
	signal?.removeEventListener('abort', cancel);
	if (signal?.aborted) {
		throw new ImportCancelled();
	}

	if (code !== 0 && !draft.full) {
		const reason = stderr.trim().split('\n').pop()?.replace(/^sox FAIL \w+: /, '') ?? '';
		throw new Error(`cannot import ${typeof input === 'string' ? input : 'stdin'}: ${reason || 'not a sound file SoX can read'}`);
	}
}
