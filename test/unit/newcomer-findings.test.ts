// What a newcomer found trying the command line for the first time, each
// reproduced here without the rest of the program.
import {describe, expect, it} from 'vitest';
import {describeCommit} from '../../src/session/describe.js';
import {parseDuration} from '../../src/time.js';

describe('a hang-up just under the minimum', () => {
	// espeak-ng's "hello there" is 0.97 s: it was reported as "1.0s is under the 1s minimum".
	it('never reads as long as the minimum it fell short of', () => {
		const {text, ok} = describeCommit({status: 'too-short', durationMs: 970, minMessageMs: 1000});
		expect(ok).toBe(false);
		expect(text).toBe('Hang-up: 0.9s is under the 1s minimum, nothing saved.');
	});

	it('says the same of a recording a full disk cut short', () => {
		const {text} = describeCommit({status: 'too-short', durationMs: 1990, minMessageMs: 2000, cutByFullDisk: true});
		expect(text).toContain('only 1.9s could be recorded, under the 2s minimum');
	});
});

describe('a duration with a unit twice or out of order', () => {
	// "--tape 1m1m" set a 2m tape without a word.
	it.each(['1m1m', '30s1m', '1s1s', '5m1h', '1s500ms500ms'])('refuses %j', text => {
		expect(() => parseDuration(text)).toThrow(/not a duration/);
	});
});
