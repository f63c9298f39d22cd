// What must hold of a store whatever was done to it, for the fault-injection
// and property tests: seeded randomness (so a failing run can be replayed),
// messages whole to the byte, a folder beside the store left as it was, and
// waiting until no process has a file of the store open.
import {createHash} from 'node:crypto';
import {lstat, readdir, readFile, readlink} from 'node:fs/promises';
import path from 'node:path';
import {headerSize, msToPcmBytes, wavHeader} from '../../src/pcm/wav.js';
import type {Message} from '../../src/tape/message.js';
import {pcm} from './pcm.js';
import {waitFor} from './wait-for.js';

/** Mulberry32: a small PRNG whose whole state is the seed, so a run is replayed from one number. */
export function seededRandom(seed: number): {next: () => number; between: (low: number, high: number) => number; pick: <T>(items: readonly T[]) => T} {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};

	return {
		next,
		between: (low, high) => low + Math.floor(next() * (high - low + 1)),
		pick: items => items[Math.floor(next() * items.length)]!,
	};
}

/** A seed from the environment variable, else a fresh one, which the test names so that it can be given back. */
export function seedFrom(variable: string): number {
	const given = process.env[variable];
	if (given !== undefined && given !== '') {
		const seed = Number(given);
		if (!Number.isSafeInteger(seed)) {
			throw new Error(`${variable} must be an integer, not "${given}"`);
		}

		return seed >>> 0;
	}

	return Math.floor(Math.random() * 4_294_967_296);
}

/**
 * How a message's audio compares with the sound it was made from (pcm(ms,
 * seed), any prefix of which is also pcm of that seed): whole and with a
 * true header, or what is wrong with it. Its length in ms is whole, the file
 * may hold a part of a millisecond more (an import cut off mid-way).
 */
export async function audioVerdict(file: string, durationMs: number, seed: string): Promise<'whole' | string> {
	const wav = await readFile(file);
	const pcmBytes = wav.length - headerSize;
	if (pcmBytes < msToPcmBytes(durationMs) || pcmBytes >= msToPcmBytes(durationMs + 1) || pcmBytes % 2 !== 0) {
		return `${wav.length} bytes for ${durationMs} ms`;
	}

	if (!wav.subarray(0, headerSize).equals(wavHeader(pcmBytes))) {
		return 'a header that does not match the file';
	}

	return wav.subarray(headerSize).equals(pcm(durationMs + 1, seed).subarray(0, pcmBytes)) ? 'whole' : 'sound that is not what was recorded';
}

/** The same for a message known by its metadata: its own sound, seeded by its id, unless told otherwise. */
export async function messageVerdict(message: Message, seed = message.id): Promise<'whole' | string> {
	return audioVerdict(message.file, message.durationMs, seed);
}

export type Fingerprint = Record<string, string>;

/**
 * Everything a folder holds, recursively, without following links: type,
 * mode, size and content digest of each file, the target of each link.
 */
export async function fingerprint(folder: string): Promise<Fingerprint> {
	const result: Fingerprint = {};
	const visit = async (relative: string): Promise<void> => {
		const full = path.join(folder, relative);
		const info = await lstat(full);
		const mode = (info.mode & 0o7777).toString(8);
		if (info.isSymbolicLink()) {
			result[relative] = `link → ${await readlink(full)}`;
		} else if (info.isDirectory()) {
			result[relative] = `folder ${mode}`;
			for (const name of (await readdir(full)).sort()) {
				await visit(path.join(relative, name));
			}
		} else {
			result[relative] = `file ${mode} ${info.size} ${createHash('sha256').update(await readFile(full)).digest('hex')} ${info.mtimeMs}`;
		}
	};

	await visit('.');
	return result;
}

/**
 * Waits until no process has a file under dir open (read from /proc): a
 * SoX left converting by a killed import finishes its draft first, as it
 * would before anyone else looked at the store in real life.
 */
export async function waitUntilNobodyHolds(dir: string, timeoutMs = 20_000): Promise<void> {
	const holders = async () => {
		const found: string[] = [];
		for (const pid of await readdir('/proc').catch(() => [])) {
			if (!/^\d+$/.test(pid) || Number(pid) === process.pid) {
				continue;
			}

			const descriptors = await readdir(`/proc/${pid}/fd`).catch(() => []);
			for (const descriptor of descriptors) {
				const target = await readlink(`/proc/${pid}/fd/${descriptor}`).catch(() => '');
				if (target.startsWith(dir + path.sep)) {
					found.push(`${pid}: ${target}`);
				}
			}
		}

		return found;
	};

	let last: string[] = [];
	await waitFor(`no process holding a file in ${dir}`, async () => {
		last = await holders();
		return last.length === 0;
	}, {timeoutMs, intervalMs: 20, lastSeen: () => last.join(', ')});
}
