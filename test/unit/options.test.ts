// Flags, environment and config file resolved once: every bad value is the
// same usage error (exit 2) with the same message, whichever source gave it.
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {appPaths} from '../../src/config.js';
import {CommandError, UsageError} from '../../src/commands/context.js';
import {parseCommandLine, resolveOptions, type Options} from '../../src/options.js';
import {tempDirEachTest} from '../helpers/temp.js';

let file: string;
tempDirEachTest('answerphone-options-', dir => {
	file = path.join(dir, 'config.json');
});

async function resolve(argv: string[], env: NodeJS.ProcessEnv = {}, config?: Record<string, unknown>): Promise<Options> {
	if (config !== undefined) {
		await writeFile(file, JSON.stringify(config));
	}

	return resolveOptions(parseCommandLine(argv).flags, env, file);
}

/** The one line a refused value gives; asserts it is a usage error, exit 2. */
async function refusal(argv: string[], env: NodeJS.ProcessEnv = {}, config?: Record<string, unknown>): Promise<string> {
	const error = await resolve(argv, env, config).then(() => undefined, (error: unknown) => error);
	expect(error).toBeInstanceOf(UsageError);
	expect((error as UsageError).exitCode).toBe(2);
	expect((error as Error).message).not.toContain('\n');
	return (error as Error).message;
}

/** The words after the source, given the bad value as shown (JSON). */
type Rule = (shown: string) => string;
const mustBe = (what: string): Rule => shown => ` must be ${what}, not ${shown}`;
const nameRule = 'a name of up to 32 characters without a path separator or control character';
const durationRule: Rule = shown => `: ${shown} is not a duration (write it like 20m, 90s or 1m30s)`;
const levelRule = 'a level in dBFS between -96 and 0, like -45';

describe('a bad value', () => {
	// [option, what the refusal says, flag and its bad text, variable, config key and its bad JSON]
	const cases: Array<[string, Rule, [string, string] | undefined, string | undefined, [string, unknown] | undefined]> = [
		['the recorder', mustBe('sox, rec or arecord'), ['--recorder', 'x'], undefined, ['recorder', 'x']],
		['the silence stop', durationRule, ['--silence', 'soon'], undefined, ['silence', 'soon']],
		['the silence threshold', mustBe(levelRule), ['--silence-threshold', 'loud'], undefined, ['silenceThreshold', 5]],
		['the sender', mustBe(nameRule), ['--from', 'a/b'], 'ANSWERPHONE_FROM', ['from', 'a/b']],
		['the mailbox', mustBe(nameRule), ['--for', '../../etc'], undefined, undefined],
		['the tape length', durationRule, ['--tape', 'long'], undefined, undefined],
		['the longest message', durationRule, ['--max-message', 'x'], undefined, undefined],
		['the shortest message', durationRule, ['--min-message', '1x'], undefined, undefined],
		['the housemates', mustBe(nameRule.replace('a name of', 'a list of names, or an object mapping login names to names (or "household"), each')), undefined, undefined, ['housemates', ['sam', 'a:b']]],
		['the blink mode', mustBe('"redraw", "terminal" or "off"'), undefined, undefined, ['blink', 'slow']],
		['the greeting switch', mustBe('true or false'), undefined, undefined, ['greeting', 'no']],
		['the stamps switch', mustBe('true or false'), undefined, undefined, ['stamps', 0]],
		['the player', mustBe('a string'), undefined, undefined, ['player', 5]],
		['the store', mustBe('a string'), undefined, undefined, ['store', null]],
	];

	// Each source the option has: its bad value, and how the message names the source.
	const refusals = cases.flatMap(([option, rule, flag, variable, setting]) => [
		...(flag ? [{option, source: 'a flag', argv: flag, env: {}, config: undefined, expected: flag[0] + rule(JSON.stringify(flag[1]))}] : []),
		...(variable && flag ? [{option, source: 'the environment', argv: [], env: {[variable]: flag[1]}, config: undefined, expected: variable + rule(JSON.stringify(flag[1]))}] : []),
		...(setting ? [{option, source: 'the config file', argv: [], env: {}, config: {[setting[0]]: setting[1]}, expected: `<file>: "${setting[0]}"` + rule(JSON.stringify(setting[1]))}] : []),
	]);

	it.for(refusals)('for $option from $source is one usage line naming the source', async ({argv, env, config, expected}) => {
		expect(await refusal(argv, env, config)).toBe(expected.replace('<file>', file));
	});

	it('is refused whichever command runs and whichever source wins', async () => {
		// A flag overrides the file's recorder, but the file is still wrong.
		expect(await refusal(['list', '--recorder', 'sox'], {}, {recorder: 'x'})).toMatch(/"recorder" must be sox, rec or arecord/);
		expect(await refusal(['status', '--recorder', 'x'])).toMatch(/^--recorder must/);
	});

	it('says a flag\'s mistake before the config file\'s', async () => {
		expect(await refusal(['--silence', 'soon'], {}, {recorder: 'x'})).toMatch(/^--silence: "soon" is not a duration/);
	});

	it('shows a long value cut short and control characters escaped, on one line', async () => {
		const message = await refusal(['--from', `${'x'.repeat(80)}\n`]);
		expect(message).toMatch(/^--from must be .*, not "x+…$/);
		expect(await refusal(['--from', 'a\tb'])).toBe(`--from must be ${nameRule}, not "a\\tb"`);
	});

	it('refuses an empty threshold rather than taking it for 0', async () => {
		expect(await refusal(['--silence-threshold', ''])).toBe(`--silence-threshold must be ${levelRule}, not ""`);
	});
});

describe('the config file', () => {
	it('refuses an unknown setting as a usage error naming the file', async () => {
		expect(await refusal([], {}, {tape: '20m'})).toMatch(new RegExp(`^${file.replaceAll(/[/\\.]/g, '\\$&')}: unknown setting "tape"`));
	});

	it('that is no JSON is a failure (exit 1), not a usage error', async () => {
		await writeFile(file, '{"from": ');
		const error = await resolve([]).then(() => undefined, (error: unknown) => error);
		expect(error).toBeInstanceOf(CommandError);
		expect(error).not.toBeInstanceOf(UsageError);
		expect((error as CommandError).exitCode).toBe(1);
		expect((error as Error).message).toContain(file);
	});
});

describe('good values', () => {
	it('have defaults when nothing is given', async () => {
		expect(await resolve([])).toEqual({
			store: appPaths.data, input: undefined, for: undefined, from: undefined, housemates: [], as: undefined, housemateOf: {},
			player: undefined, recorder: undefined, device: undefined,
			take: {silenceStopMs: 5000, silenceThresholdDb: -45},
			quick: false, stamps: true, blink: undefined,
			tapeMs: undefined, maxMessageMs: undefined, minMessageMs: undefined, repair: false, yes: false,
			json: false, login: false, new: false, heard: false, next: false, off: false, bin: false, sharedFolder: false, noColor: false,
			onNewMessage: undefined, household: false, group: undefined, loginHook: false, storeFlag: undefined,
			systemConfig: '/etc/answerphone/config.json', loginHookFile: '/etc/profile.d/answerphone.sh',
		});
	});

	it('take the housemates as a list of names, or as accounts mapped to names; --as wins over ANSWERPHONE_AS', async () => {
		const options = await resolve(['--as', 'household'], {ANSWERPHONE_AS: 'sam'}, {housemates: {sam: 'Sam', kitchen: 'household', jo: ' jo '}});
		expect(options).toMatchObject({as: 'household', housemates: ['Sam', 'jo'], housemateOf: {sam: 'Sam', kitchen: 'household', jo: 'jo'}});
		expect(await resolve([], {ANSWERPHONE_AS: 'sam'})).toMatchObject({as: 'sam'});
		await expect(resolve(['--as', 'a/b'])).rejects.toThrow(/^--as must be a housemate's name .* or "household", not "a\/b"$/);
	});

	it('come typed from the config file', async () => {
		const options = await resolve([], {}, {
			store: '/srv/tape', from: ' alex ', housemates: ['sam', ' jo'], player: 'aplay', recorder: 'arecord', device: 'hw:1',
			silence: '3s', silenceThreshold: -50, greeting: false, stamps: false, blink: 'redraw',
		});
		expect(options).toMatchObject({
			store: '/srv/tape', from: 'alex', housemates: ['sam', 'jo'], player: 'aplay', recorder: 'arecord', device: 'hw:1',
			take: {silenceStopMs: 3000, silenceThresholdDb: -50}, quick: true, stamps: false, blink: 'redraw',
		});
	});

	it('come typed from the flags, which win over the environment and the file', async () => {
		const config = {store: '/srv/file', from: 'alex', recorder: 'arecord', silence: '3s', silenceThreshold: -50, greeting: false, player: 'aplay', device: 'hw:1'};
		const env = {ANSWERPHONE_STORE: '/srv/env', ANSWERPHONE_FROM: 'jo', NO_COLOR: '1'};
		expect(await resolve([], env, config)).toMatchObject({store: '/srv/env', from: 'jo', noColor: true});
		const options = await resolve([
			'record', '--store', '/srv/flag', '--from', 'sam', '--for', 'kim', '--recorder', 'rec', '--silence', '1m30s', '--silence-threshold=-30',
			'--quick', '--player', 'paplay', '--device', 'hw:2', '--tape', '20m', '--max-message', '2m', '--min-message', '500ms', '--input', '-',
		], env, config);
		expect(options).toMatchObject({
			store: '/srv/flag', from: 'sam', for: 'kim', recorder: 'rec', take: {silenceStopMs: 90_000, silenceThresholdDb: -30},
			quick: true, player: 'paplay', device: 'hw:2', tapeMs: 1_200_000, maxMessageMs: 120_000, minMessageMs: 500, input: '-',
		});
	});

	it('take an empty ANSWERPHONE_STORE or NO_COLOR for unset', async () => {
		expect(await resolve([], {ANSWERPHONE_STORE: '', NO_COLOR: ''}, {store: '/srv/file'})).toMatchObject({store: '/srv/file', noColor: false});
	});

	it('turn the silence stop off with 0', async () => {
		expect((await resolve(['--silence', '0'], {}, {silence: '9s'})).take.silenceStopMs).toBe(0);
	});
});
