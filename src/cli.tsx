#!/usr/bin/env node
// The command's front door. `answerphone status --login` runs at every login
// and must cost little more than Node starting: it is answered from the
// store's status file when that is up to date (login-line.ts), without
// loading the rest of the program; everything else, and the login line when
// the file cannot be trusted, goes to main.tsx.
import {quickLoginLine} from './login-line.js';

const argv = process.argv.slice(2);
const quick = argv.length === 2 && argv[0] === 'status' && argv[1] === '--login' ? quickLoginLine() : undefined;
if (quick === undefined) {
	await import('./main.js');
} else {
	process.stdout.write(quick);
}
