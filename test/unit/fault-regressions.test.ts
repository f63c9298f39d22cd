// What the fault-injection suite (test/e2e/fault-injection.test.ts) found,
// each pinned down as a test that repeats it every time.
import {spawn} from 'node:child_process';
import {mkdtemp, readdir, readFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {Tape} from '../../src/tape/store.js';
import {Child, useTapeChildren} from '../helpers/tape-children.js';
import {waitFor} from '../helpers/wait-for.js';

const childScript = useTapeChildren();
const {folders} = childScript;

/**
 * A process that has exited but that nobody has waited for: sh starts a
 * short sleep in the background and becomes a long one, which never waits for it.
 * Resolves with its pid once it is a zombie, and a function to end it all.
 */
async function zombie(): Promise<{pid: number; end: () => void}> {
	const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 60'], {stdio: ['ignore', 'pipe', 'ignore']});
	const pid = await new Promise<number>(resolve => {
		parent.stdout.once('data', (chunk: Buffer) => {
			resolve(Number(chunk.toString().trim()));
		});
	});
	await waitFor('a zombie', async () => (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).replace(/^.*\) /s, '').startsWith('Z'));
	return {pid, end: () => parent.kill('SIGKILL')};
}

describe.skipIf(process.platform !== 'linux')('a killed import whose SoX has exited but was never reaped', () => {
	// Found by fault-injection seed 309 (an import killed mid-way): the store
	// ran in a container whose first process does not reap orphans, so the
	// SoX the import left behind stayed a zombie, which kill(pid, 0) calls
	// alive. Its draft then waited in tmp/ at every open, never recovered.
	it('is recovered at the next open: a zombie writes nothing more', async () => {
		const folder = await mkdtemp(path.join(tmpdir(), 'answerphone-zombie-'));
		folders.push(folder);
		const tape = await Tape.open(path.join(folder, 'store'));
		const helper = await zombie();
		try {
			const child = new Child(childScript.script(), {mode: 'record', store: tape.dir, from: 'imp', lengthsMs: [20_000], chunkMs: 100, paceMs: 5, helpers: [helper.pid]});
			const begin = await child.waitFor(event => event.event === 'begin');
			await child.waitFor(event => event.event === 'wrote' && event.ms >= 1500);
			await child.kill();

			const reopened = await Tape.open(tape.dir);
			const snapshot = await reopened.snapshot({waveforms: false});
			expect(snapshot.messages.map(message => [message.id, message.recovered])).toEqual([['id' in begin ? begin.id : '', true]]);
			expect(await readdir(reopened.tmpDir)).toEqual([]);
		} finally {
			helper.end();
		}
	});
});
