// Fixtures, cached under bench/.data/: message stores written straight in the
// layout src/tape/store.ts uses (much faster than recording 10,000 messages
// through the CLI), and long WAV files made once with sox.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {msToPcmBytes, wavHeader} from '../src/pcm/wav.js';
import {waveformBuckets, waveformLevels} from '../src/pcm/waveform.js';
import {newMessageId, type MessageMeta} from '../src/tape/message.js';
import {defaultSettings, type TapeSettings} from '../src/tape/settings.js';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const dataDir = path.join(benchDir, '.data');

// Bump when the layout written here changes, so stale caches are rebuilt.
const fixtureVersion = 2;

const fileMode = 0o600;
const dirMode = 0o700;

/** A little quiet noise, so the audio is not all zeros. */
function pcm(durationMs: number): Buffer {
	const buffer = Buffer.alloc(msToPcmBytes(durationMs));
	for (let offset = 0; offset < buffer.length; offset += 2) {
		buffer.writeInt16LE(Math.round((Math.random() - 0.5) * 2000), offset);
	}

	return buffer;
}

/**
 * Writes a store: settings.json, messages/ID.wav + ID.json (JSON exactly as
 * Tape.writeMeta writes it: tab-indented, newline-terminated, same key
 * order) and an empty tmp/. Built beside the target and renamed into place,
 * so an interrupted build never leaves a half store in the cache.
 */
export function writeStore(dir: string, messages: MessageMeta[], settings: TapeSettings = defaultSettings): void {
	const building = `${dir}.building-${process.pid}`;
	rmSync(building, {recursive: true, force: true});
	mkdirSync(path.join(building, 'messages'), {recursive: true, mode: dirMode});
	mkdirSync(path.join(building, 'tmp'), {recursive: true, mode: dirMode});
	writeFileSync(path.join(building, 'settings.json'), JSON.stringify(settings, null, '\t') + '\n', {mode: fileMode});
	const audioCache = new Map<number, Buffer>();
	for (const message of messages) {
		let audio = audioCache.get(message.durationMs);
		if (!audio) {
			const body = pcm(message.durationMs);
			audio = Buffer.concat([wavHeader(body.length), body]);
			audioCache.set(message.durationMs, audio);
		}

		writeFileSync(path.join(building, 'messages', `${message.id}.wav`), audio, {mode: fileMode});
		const meta: MessageMeta = {
			id: message.id,
			for: message.for,
			from: message.from,
			createdAt: message.createdAt,
			durationMs: message.durationMs,
			heard: message.heard,
			keep: message.keep,
			recovered: message.recovered,
			erasedAt: message.erasedAt,
			waveform: message.waveform,
			heardMarks: message.heardMarks,
		};
		writeFileSync(path.join(building, 'messages', `${message.id}.json`), JSON.stringify(meta, null, '\t') + '\n', {mode: fileMode});
	}

	writeFileSync(path.join(building, '.bench-complete'), `${fixtureVersion}\n`);
	rmSync(dir, {recursive: true, force: true});
	renameSync(building, dir);
	sweepStale(dir);
}

/** Empties a store's messages and drafts, keeping its settings. */
export function freshStore(dir: string): void {
	for (const sub of ['messages', 'tmp']) {
		try {
			for (const name of readdirSync(path.join(dir, sub))) {
				rmSync(path.join(dir, sub, name), {force: true});
			}
		} catch {}
	}
}

/** Peak levels 0–7 of a dozen slices, as src/pcm/waveform.ts stores them. */
function waveform(seed: number): number[] {
	const middle = (waveformLevels - 1) / 2;
	return Array.from({length: waveformBuckets}, (_, slice) => Math.round(middle + (middle * Math.sin((seed + slice) * 0.7))));
}

/** Removes caches of earlier fixture versions (name-vN) beside dir. */
function sweepStale(dir: string): void {
	const stem = path.basename(dir).replace(/-v\d+$/, '');
	for (const name of readdirSync(path.dirname(dir))) {
		if (name !== path.basename(dir) && new RegExp(`^${stem}-v\\d+(\\.building-\\d+)?$`).test(name)) {
			rmSync(path.join(path.dirname(dir), name), {recursive: true, force: true});
		}
	}
}

function isCached(dir: string): boolean {
	try {
		return statSync(path.join(dir, '.bench-complete')).isFile();
	} catch {
		return false;
	}
}

/**
 * `count` messages spread over the months before 2026-11-27, each 100 ms of
 * audio (10,000 of them fill 1,000 s of the default 20-minute tape), a mix of
 * mailboxes, senders, heard and keep. None erased: `list` shows all of them.
 */
export function listStore(count: number): {dir: string; cached: boolean} {
	const dir = path.join(dataDir, `list-store-${count}-v${fixtureVersion}`);
	if (isCached(dir)) {
		return {dir, cached: true};
	}

	const mailboxes = ['everyone', 'sam', 'jo', 'alex'];
	const senders = ['jo', 'sam', 'alex', 'kim', 'grandma'];
	const start = Date.UTC(2026, 0, 1, 8, 0, 0, 0);
	const messages: MessageMeta[] = [];
	for (let index = 0; index < count; index++) {
		const date = new Date(start + (index * 37 * 60_000) + (index % 1000));
		messages.push({
			id: newMessageId(date),
			for: mailboxes[index % mailboxes.length]!,
			from: senders[(index * 7) % senders.length]!,
			createdAt: date.toISOString(),
			durationMs: 100,
			heard: index % 10 < 7,
			keep: index % 20 === 0,
			recovered: index % 100 === 0,
			erasedAt: null,
			waveform: waveform(index),
			heardMarks: {},
		});
	}

	writeStore(dir, messages);
	return {dir, cached: false};
}

/** Three short unheard messages and one heard: the counter blinks. */
export function idleStore(): string {
	const dir = path.join(dataDir, `idle-store-v${fixtureVersion}`);
	if (isCached(dir)) {
		return dir;
	}

	const start = Date.UTC(2026, 10, 26, 16, 5, 0, 0);
	const messages = [0, 1, 2, 3].map(index => {
		const date = new Date(start + (index * 3_600_000));
		return {
			id: newMessageId(date),
			for: ['everyone', 'sam', 'jo', 'everyone'][index]!,
			from: ['jo', 'sam', 'alex', 'kim'][index]!,
			createdAt: date.toISOString(),
			durationMs: 1500,
			heard: index === 3,
			keep: false,
			recovered: false,
			erasedAt: null,
			waveform: waveform(index),
			heardMarks: {},
		};
	});
	writeStore(dir, messages);
	return dir;
}

/**
 * Four unheard 30-second messages for everyone: long enough that nothing
 * finishes (and so is marked heard, moving the cursor on) while play is timed.
 */
export function playStore(): string {
	const dir = path.join(dataDir, `play-store-v${fixtureVersion}`);
	if (isCached(dir)) {
		return dir;
	}

	const start = Date.UTC(2026, 10, 26, 16, 5, 0, 0);
	const messages = [0, 1, 2, 3].map(index => {
		const date = new Date(start + (index * 3_600_000));
		return {
			id: newMessageId(date),
			for: 'everyone',
			from: ['jo', 'sam', 'alex', 'kim'][index]!,
			createdAt: date.toISOString(),
			durationMs: 30_000,
			heard: false,
			keep: false,
			recovered: false,
			erasedAt: null,
			waveform: waveform(index),
			heardMarks: {},
		};
	});
	writeStore(dir, messages);
	return dir;
}

/**
 * A 20-minute (or any length) pink-noise WAV made by sox, cached. The 44.1 kHz
 * stereo one is what a phone or recorder would hand over; the 16 kHz mono one
 * is already in the store's format.
 */
export function noiseWav(name: string, {seconds, rate, channels}: {seconds: number; rate: number; channels: number}): {file: string; cached: boolean} {
	const file = path.join(dataDir, `${name}.wav`);
	const expected = 44 + (seconds * rate * channels * 2);
	if (existsSync(file) && statSync(file).size >= expected) {
		return {file, cached: true};
	}

	mkdirSync(dataDir, {recursive: true});
	const building = `${file}.building-${process.pid}.wav`;
	execFileSync('sox', [
		'--no-show-progress', '-n', '-r', String(rate), '-c', String(channels), '-b', '16', '-e', 'signed-integer',
		building, 'synth', String(seconds), 'pinknoise', 'vol', '0.3',
	], {stdio: ['ignore', 'ignore', 'pipe']});
	renameSync(building, file);
	return {file, cached: false};
}
