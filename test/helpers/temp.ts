// Temporary folders for tests, each removed after the test that made it,
// whether the test passed or not.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach} from 'vitest';

/** Returns a maker of new folders named prefix… in the temp folder; what a test made goes after it. */
export function tempFolders(prefix: string): () => Promise<string> {
	const made: string[] = [];
	afterEach(async () => {
		await Promise.all(made.splice(0).map(async folder => rm(folder, {recursive: true, force: true})));
	});
	return async () => {
		const folder = await mkdtemp(path.join(tmpdir(), prefix));
		made.push(folder);
		return folder;
	};
}

/** A new folder named prefix… for each test of the file (or describe block), given to setUp before the test. */
export function tempDirEachTest(prefix: string, setUp: (dir: string) => void | Promise<void>): void {
	const newFolder = tempFolders(prefix);
	beforeEach(async () => {
		await setUp(await newFolder());
	});
}
