// Which bundle a command line needs (cli.tsx): the machine's screen loads
// from one file, dist/screen.js, the scripted commands from the split files
// that never load Ink and React (scripts/bundle.mjs says why).
import {verbs} from './commands/verbs.js';

/**
 * Whether this command line opens the screen: on a terminal, without a verb
 * or the help. A guess from the words alone (a flag's value could be named
 * like a verb): both bundles run any command line alike, so a wrong guess
 * only costs time, never a different result.
 */
export function opensTheScreen(argv: string[]): boolean {
	return process.stdin.isTTY && process.stdout.isTTY && !argv.some(word => Object.hasOwn(verbs, word) || ['-h', '--help', '-v', '--version'].includes(word));
}
