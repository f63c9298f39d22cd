// npm start: open the machine at once. The bundle is remade only when a
// source changed since the last one (about 0.3 s), never type-checked here:
// that is npm test's job, and it cost every launch seconds.
import {bundle, bundleIsFresh} from './bundle.mjs';

if (!bundleIsFresh()) {
	await bundle();
}

// In this same process: a second Node would add its own startup to the wait.
await import('../dist/cli.js');
