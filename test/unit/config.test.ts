import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {loadConfig} from '../../src/options.js';
import {tempDirEachTest} from '../helpers/temp.js';

let file: string;
tempDirEachTest('answerphone-config-', dir => {
	file = path.join(dir, 'config.json');
});

describe('the config file', () => {
	it('is optional', () => {
		expect(loadConfig(file)).toEqual({});
	});

	it('reads every known setting', async () => {
		const settings = {store: '/srv/answerphone', from: 'sam', housemates: ['sam', 'jo'], player: 'aplay', recorder: 'arecord', device: 'hw:1', silence: '3s'};
		await writeFile(file, JSON.stringify(settings));
		expect(loadConfig(file)).toEqual(settings);
	});

	it.each([
		['{"store": ', /not valid JSON/],
		['[]', /must hold a JSON object/],
		['{"store": 5}', /"store" must be a string/],
		['{"housemates": "sam"}', /"housemates" must be a list/],
		['{"tape": "20m"}', /unknown setting "tape"/],
	])('names the file and the mistake in %s', async (text, reason) => {
		await writeFile(file, text);
		expect(() => loadConfig(file)).toThrow(reason);
		expect(() => loadConfig(file)).toThrow(file);
	});
});
