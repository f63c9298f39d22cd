// node:crypto, loaded at its first use. Bundled into the screen's one file
// (scripts/bundle.mjs), an import loads it with the program: its fifteen
// internal modules cost the first frame 6 ms, before anything here needs a
// random id or a hash.
import type * as NodeCrypto from 'node:crypto';
import {createRequire} from 'node:module';

type Crypto = typeof NodeCrypto;
let loaded: Crypto | undefined;

function crypto(): Crypto {
	loaded ??= createRequire(import.meta.url)('node:crypto') as Crypto;
	return loaded;
}

export function randomBytes(size: number): Buffer {
	return crypto().randomBytes(size);
}

export function createHash(algorithm: string): NodeCrypto.Hash {
	return crypto().createHash(algorithm);
}
