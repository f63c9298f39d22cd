import {describe, expect, it} from 'vitest';
import {bashScript, verbFlags, verbs, zshScript, type FlagSpec} from '../../src/commands/completion.js';

/** A parser's flags as cli.tsx gives them: a value-taking flag with a short form, and no --quick. */
const spec: FlagSpec = {
	store: {type: 'string'},
	input: {type: 'string', short: 'i'},
	for: {type: 'string'},
	from: {type: 'string'},
	silence: {type: 'string'},
	player: {type: 'string'},
	recorder: {type: 'string'},
	json: {type: 'boolean'},
	next: {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
};

/** The body of the case arm that starts with this pattern. */
function arm(script: string, pattern: string): string {
	const line = script.split('\n').find(text => text.trimStart().startsWith(`${pattern})`));
	if (line === undefined) {
		throw new Error(`no arm for ${pattern}`);
	}

	return line.trim();
}

describe('the flags offered', () => {
	it('are the verb\'s own and the ones every verb takes, only those the parser knows', () => {
		expect(verbFlags('record', spec)).toEqual(['--input', '--for', '--from', '--silence', '--recorder', '--player', '--store', '--help']);
		expect(verbFlags('play', spec)).toEqual(['--next', '--player', '--store', '--help']);
		expect(verbFlags(undefined, spec)).toEqual(['--store', '--help', '--version']);
	});
});

describe('bash', () => {
	const script = bashScript(spec);

	it('completes every verb in one list and registers the function', () => {
		expect(arm(script, '\'\'').split('\n')[0]).toMatch(/^''\) (?:words|COMPREPLY)/);
		const verbList = script.split('\n').find(line => line.includes('compgen -W \'record '))!;
		expect(verbList).toContain(`'${Object.keys(verbs).join(' ')}'`);
		expect(script.trimEnd().split('\n').at(-1)).toBe('complete -F _answerphone answerphone');
	});

	it('steps over every flag that takes a value, in each spelling', () => {
		const walk = script.split('\n').find(line => line.trim().startsWith('--store|'))!;
		expect(walk.trim()).toBe('--store|--input|-i|--for|--from|--silence|--player|--recorder)');
	});

	it('asks the CLI for ids, erased ids and names, passing on the store given', () => {
		expect(script).toContain('"$program" completion ids "${store[@]}"');
		expect(script).toContain('"$program" completion erased "${store[@]}"');
		expect(arm(script, '--for')).toContain('completion names');
		expect(arm(script, '--player')).toContain('\'paplay pw-play aplay play afplay ffplay\'');
		expect(arm(script, '--input|-i')).toContain('compgen -f');
		expect(arm(script, '--store')).toContain('compgen -d');
	});

	it('lists each verb\'s flags', () => {
		expect(arm(script, 'status')).toBe('status) words=\'--json --store --help\' ;;');
	});
});

describe('zsh', () => {
	const script = zshScript(spec);

	it('works both as an fpath file and sourced', () => {
		expect(script.split('\n')[0]).toBe('#compdef answerphone');
		expect(script).toContain('compdef _answerphone answerphone');
		expect(script).toContain('_answerphone "$@"');
	});

	it('completes verbs, flags and ids', () => {
		expect(script).toContain(`compadd -- ${Object.keys(verbs).join(' ')}`);
		expect(arm(script, 'list')).toBe('list) compadd -- --for --json --store --help ;;');
		expect(script).toContain('"$program" completion ids $store');
		expect(arm(script, '--store')).toBe('--store) _files -/; return ;;');
	});
});
