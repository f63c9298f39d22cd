#!/usr/bin/env node
// The command's front door. `answerphone status --login` runs at every login
// and must cost little more than Node starting: it is answered from the
// store's status file when that is up to date (login-line.ts), without
// loading the rest of the program. Everything else, and the login line when
// the file cannot be trusted, goes to main.tsx: bundled into one file for the
// machine's screen, split into chunks for the scripted commands.
import {quickLoginLine} from './login-line.js';
import {opensTheScreen} from './opens-the-screen.js';

const argv = process.argv.slice(2);
const quick = argv.length === 2 && argv[0] === 'status' && argv[1] === '--login' ? quickLoginLine() : undefined;
if (quick === undefined) {
	// screen.js is main.tsx bundled whole, beside this file in dist/: named
	// through a variable, so the bundler leaves the import to run time.
	const screen = './screen.js';
	await (opensTheScreen(argv) ? import(screen) : import('./main.js'));
} else {
	process.stdout.write(quick);
}
