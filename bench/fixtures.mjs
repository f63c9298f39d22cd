// Fixtures, cached under bench/.data/: message stores written straight in the
// layout src/tape/store.ts uses (much faster than recording 10,000 messages
// through the CLI), and long WAV files made once with sox.
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const dataDir = path.join(benchDir, '.data');

// Bump when the layout written here changes, so stale caches are rebuilt.
const fixtureVersion = 2;

const sampleRate = 16_000;
const bytesPerSecond = sampleRate * 2;
const fileMode = 0o600;
const dirMode = 0o700;
const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The canonical 44-byte header of src/pcm/wav.ts: 16 kHz mono 16-bit PCM. */
export function wavHeader(dataBytes, rate = sampleRate, channels = 1) {
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(Math.min(0xff_ff_ff_ff, 36 + dataBytes), 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(channels, 22);
	header.writeUInt32LE(rate, 24);
	header.writeUInt32LE(rate * channels * 2, 28);
	header.writeUInt16LE(channels * 2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(dataBytes, 40);
	return header;
}

/** A message id as src/tape/message.ts makes them: YYYYMMDD-HHMMSS-mmm-xxxxxx (UTC). */
export function messageId(date) {
	const iso = date.toISOString();
	const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}-${iso.slice(20, 23)}`;
	const random = [...randomBytes(6)].map(byte => base32[byte % 32]).join('');
	return `${stamp}-${random}`;
}

/** A little quiet noise, so the audio is not all zeros. */
function pcm(durationMs) {
	const bytes = Math.floor((durationMs * sampleRate) / 1000) * 2;
	const buffer = Buffer.alloc(bytes);
	for (let offset = 0; offset < bytes; offset += 2) {
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
export function writeStore(dir, messages, settings = {tapeMs: 20 * 60_000, maxMessageMs: 60_000, minMessageMs: 1000}) {
	const building = `${dir}.building-${process.pid}`;
	rmSync(building, {recursive: true, force: true});
	mkdirSync(path.join(building, 'messages'), {recursive: true, mode: dirMode});
	mkdirSync(path.join(building, 'tmp'), {recursive: true, mode: dirMode});
	writeFileSync(path.join(building, 'settings.json'), JSON.stringify(settings, null, '\t') + '\n', {mode: fileMode});
	const audioCache = new Map();
	for (const message of messages) {
		let audio = audioCache.get(message.durationMs);
		if (!audio) {
			const body = pcm(message.durationMs);
			audio = Buffer.concat([wavHeader(body.length), body]);
			audioCache.set(message.durationMs, audio);
		}

		writeFileSync(path.join(building, 'messages', `${message.id}.wav`), audio, {mode: fileMode});
		const meta = {
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
		};
		writeFileSync(path.join(building, 'messages', `${message.id}.json`), JSON.stringify(meta, null, '\t') + '\n', {mode: fileMode});
	}

	writeFileSync(path.join(building, '.bench-complete'), `${fixtureVersion}\n`);
	rmSync(dir, {recursive: true, force: true});
	renameSync(building, dir);
	sweepStale(dir);
}

/** Peak levels 0–7 of a dozen slices, as src/pcm/waveform.ts stores them. */
function waveform(seed) {
	return Array.from({length: 12}, (_, slice) => Math.round(3.5 + (3.5 * Math.sin((seed + slice) * 0.7))));
}

/** Removes caches of earlier fixture versions (name-vN) beside dir. */
function sweepStale(dir) {
	const stem = path.basename(dir).replace(/-v\d+$/, '');
	for (const name of readdirSync(path.dirname(dir))) {
		if (name !== path.basename(dir) && new RegExp(`^${stem}-v\\d+(\\.building-\\d+)?$`).test(name)) {
			rmSync(path.join(path.dirname(dir), name), {recursive: true, force: true});
		}
	}
}

function isCached(dir) {
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
export function listStore(count) {
	const dir = path.join(dataDir, `list-store-${count}-v${fixtureVersion}`);
	if (isCached(dir)) {
		return {dir, cached: true};
	}

	const mailboxes = ['everyone', 'sam', 'jo', 'alex'];
	const senders = ['jo', 'sam', 'alex', 'kim', 'grandma'];
	const start = Date.UTC(2026, 0, 1, 8, 0, 0, 0);
	const messages = [];
	for (let index = 0; index < count; index++) {
		const date = new Date(start + (index * 37 * 60_000) + (index % 1000));
		messages.push({
			id: messageId(date),
			for: mailboxes[index % mailboxes.length],
			from: senders[(index * 7) % senders.length],
			createdAt: date.toISOString(),
			durationMs: 100,
			heard: index % 10 < 7,
			keep: index % 20 === 0,
			recovered: index % 100 === 0,
			erasedAt: null,
			waveform: waveform(index),
		});
	}

	writeStore(dir, messages);
	return {dir, cached: false};
}

/** Three short unheard messages and one heard: the counter blinks. */
export function idleStore() {
	const dir = path.join(dataDir, `idle-store-v${fixtureVersion}`);
	if (isCached(dir)) {
		return dir;
	}

	const start = Date.UTC(2026, 10, 26, 16, 5, 0, 0);
	const messages = [0, 1, 2, 3].map(index => {
		const date = new Date(start + (index * 3_600_000));
		return {
			id: messageId(date),
			for: ['everyone', 'sam', 'jo', 'everyone'][index],
			from: ['jo', 'sam', 'alex', 'kim'][index],
			createdAt: date.toISOString(),
			durationMs: 1500,
			heard: index === 3,
			keep: false,
			recovered: false,
			erasedAt: null,
			waveform: waveform(index),
		};
	});
	writeStore(dir, messages);
	return dir;
}

/**
 * Four unheard 30-second messages for everyone: long enough that nothing
 * finishes (and so is marked heard, moving the cursor on) while play is timed.
 */
export function playStore() {
	const dir = path.join(dataDir, `play-store-v${fixtureVersion}`);
	if (isCached(dir)) {
		return dir;
	}

	const start = Date.UTC(2026, 10, 26, 16, 5, 0, 0);
	const messages = [0, 1, 2, 3].map(index => {
		const date = new Date(start + (index * 3_600_000));
		return {
			id: messageId(date),
			for: 'everyone',
			from: ['jo', 'sam', 'alex', 'kim'][index],
			createdAt: date.toISOString(),
			durationMs: 30_000,
			heard: false,
			keep: false,
			recovered: false,
			erasedAt: null,
			waveform: waveform(index),
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
export function noiseWav(name, {seconds, rate, channels}) {
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

export {bytesPerSecond};
