// The login line's quick way: `answerphone status --login` from the status
// file the store keeps up to date (tape/status-files.ts), with nothing loaded
// but Node's own modules. It is a shortcut, never a second set of rules: it
// answers only when everything is plain (the store from ANSWERPHONE_STORE or
// a config file's "store", who is listening from ANSWERPHONE_AS, the config's
// housemates or the login name) and the file is newer than the last change to
// the tape. Anything else (a flag, a config file it cannot read, a missing or
// stale file, a file that is not plain text) returns undefined, and the full
// command answers, checks everything and rewrites the file.
import {closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync} from 'node:fs';
import {homedir, userInfo} from 'node:os';
import path from 'node:path';
import {hasInvisible} from './printable.js';

type Json = Record<string, unknown>;

function readJsonObject(file: string): Json | undefined | 'broken' {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 'broken';
	}

	try {
		const json = JSON.parse(text) as unknown;
		return typeof json === 'object' && json !== null && !Array.isArray(json) ? json as Json : 'broken';
	} catch {
		return 'broken';
	}
}

/** The status file's name for a housemate's name, as status-files.ts spells it; undefined for one it would spell in hex. */
function plainKey(name: string): string | undefined {
	const key = name.trim().normalize('NFKC').toLowerCase();
	return /^[a-z\d][a-z\d._-]{0,31}$/.test(key) && key !== 'household' ? key : undefined;
}

/** A small file's text, never through a link or from a FIFO, with its modification time. */
function readStatusFile(file: string): {text: string; mtimeMs: number} | undefined {
	let descriptor: number;
	try {
		descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
	} catch {
		return undefined;
	}

	try {
		const info = fstatSync(descriptor);
		if (!info.isFile() || info.size > 1024) {
			return undefined;
		}

		const buffer = Buffer.alloc(info.size);
		const length = readSync(descriptor, buffer, 0, buffer.length, 0);
		return {text: buffer.subarray(0, length).toString('utf8'), mtimeMs: info.mtimeMs};
	} catch {
		return undefined;
	} finally {
		closeSync(descriptor);
	}
}

export function quickLoginLine(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const home = env['HOME'] || homedir();
	const user = readJsonObject(env['ANSWERPHONE_CONFIG'] ?? path.join(env['XDG_CONFIG_HOME'] || path.join(home, '.config'), 'answerphone', 'config.json'));
	const system = readJsonObject(env['ANSWERPHONE_SYSTEM_CONFIG'] ?? '/etc/answerphone/config.json');
	if (user === 'broken' || system === 'broken') {
		return undefined;
	}

	const config = {...system, ...user};
	const configStore = config['store'];
	if (configStore !== undefined && typeof configStore !== 'string') {
		return undefined;
	}

	const store = path.resolve(env['ANSWERPHONE_STORE'] || configStore || path.join(env['XDG_DATA_HOME'] || path.join(home, '.local', 'share'), 'answerphone'));
	let login: string;
	try {
		login = userInfo().username;
	} catch {
		return undefined;
	}

	const housemates = config['housemates'];
	const mapped = typeof housemates === 'object' && housemates !== null && !Array.isArray(housemates) ? (housemates as Json)[login] : undefined;
	let storeInfo;
	try {
		storeInfo = statSync(store);
	} catch {
		return undefined;
	}

	// A household store (setup --household): setgid, as context.ts tells it.
	const shared = (storeInfo.mode & 0o2000) !== 0;
	const name = env['ANSWERPHONE_AS'] || (typeof mapped === 'string' ? mapped : undefined) || (shared ? login : 'household');
	const key = name === 'household' ? 'household' : plainKey(name);
	if (key === undefined) {
		return undefined;
	}

	const line = readStatusFile(path.join(store, 'status', `${key}.line`));
	let changedAt: number;
	try {
		changedAt = statSync(path.join(store, 'messages')).mtimeMs;
	} catch {
		return undefined;
	}

	// Strictly newer: a change in the same clock tick as the file might not be in it.
	if (line === undefined || line.mtimeMs <= changedAt || !(line.text === '' || /^answerphone: [^\n]{1,300}\n$/.test(line.text)) || hasInvisible(line.text.slice(0, -1))) {
		return undefined;
	}

	return line.text;
}
