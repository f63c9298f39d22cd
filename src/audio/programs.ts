// Which sound programs this computer has, and how to get the missing ones.
// Both audio packages crash Node when their program is missing, so we look
// before we spawn.
import {accessSync, constants} from 'node:fs';
import {readFileSync} from 'node:fs';
import path from 'node:path';

const found = new Map<string, string | undefined>();

/** The full path of an executable on PATH, or undefined. */
export function findProgram(name: string): string | undefined {
	if (found.has(name)) {
		return found.get(name);
	}

	let result: string | undefined;
	for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
		if (!dir) {
			continue;
		}

		const candidate = path.join(dir, name);
		try {
			accessSync(candidate, constants.X_OK);
			result = candidate;
			break;
		} catch {}
	}

	found.set(name, result);
	return result;
}

type Platform = 'debian' | 'fedora' | 'arch' | 'macos' | 'other';

function detectPlatform(): Platform {
	if (process.platform === 'darwin') {
		return 'macos';
	}

	try {
		const osRelease = readFileSync('/etc/os-release', 'utf8');
		const like = /^(?:ID|ID_LIKE)=(.*)$/gm;
		const ids = [...osRelease.matchAll(like)].map(match => match[1]!.replaceAll('"', '')).join(' ');
		if (/debian|ubuntu/.test(ids)) {
			return 'debian';
		}

		if (/fedora|rhel/.test(ids)) {
			return 'fedora';
		}

		if (/arch/.test(ids)) {
			return 'arch';
		}
	} catch {}

	return 'other';
}

const installLines: Record<'recorder' | 'player' | 'speech', Record<Platform, string>> = {
	recorder: {
		debian: 'sudo apt-get install sox libsox-fmt-pulse',
		fedora: 'sudo dnf install sox',
		arch: 'sudo pacman -S sox',
		macos: 'brew install sox',
		other: 'install SoX (https://sox.sourceforge.net)',
	},
	player: {
		debian: 'sudo apt-get install pulseaudio-utils (paplay) or alsa-utils (aplay)',
		fedora: 'sudo dnf install pulseaudio-utils',
		arch: 'sudo pacman -S libpulse',
		macos: 'afplay comes with macOS',
		other: 'install paplay, aplay, play (SoX) or ffplay',
	},
	speech: {
		debian: 'sudo apt-get install espeak-ng',
		fedora: 'sudo dnf install espeak-ng',
		arch: 'sudo pacman -S espeak-ng',
		macos: 'say comes with macOS',
		other: 'install espeak-ng',
	},
};

export function installAdvice(what: keyof typeof installLines): string {
	return installLines[what][detectPlatform()];
}
