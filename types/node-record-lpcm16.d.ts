// node-record-lpcm16 ships no types; this covers the part we use.
declare module 'node-record-lpcm16' {
	import type {ChildProcess} from 'node:child_process';
	import type {Readable} from 'node:stream';

	export type RecordOptions = {
		sampleRate?: number;
		channels?: number;
		recorder?: 'sox' | 'rec' | 'arecord';
		device?: string;
		audioType?: 'raw' | 'wav';
	};

	export type Recording = {
		process: ChildProcess;
		stream(): Readable;
		stop(): void;
	};

	export function record(options?: RecordOptions): Recording;
}
