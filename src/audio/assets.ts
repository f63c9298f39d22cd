// The built-in sounds shipped in assets/. The code runs from src/ in tests and
// from dist/ (or dist/chunks/) once bundled, so the folder is looked up from
// wherever this module ended up.
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

function findAssets(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (let level = 0; level < 4; level++) {
		const candidate = path.join(dir, 'assets');
		if (existsSync(path.join(candidate, 'beep.wav'))) {
			return candidate;
		}

		dir = path.dirname(dir);
	}

	throw new Error('the built-in sounds (assets/) are missing from this installation');
}

let assetsDir: string | undefined;

export function assetFile(name: 'beep.wav' | 'warning.wav' | 'greeting.wav'): string {
	assetsDir ??= findAssets();
	return path.join(assetsDir, name);
}
