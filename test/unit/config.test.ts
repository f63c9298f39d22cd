import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {loadConfig} from '../../src/options.js';

let dir: string;
let file: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'answerphone-config-'));
	file = path.join(dir, 'config.json');
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
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
