// The onNewMessage hook: once per message saved, through /bin/sh, with the
// message in its environment; its failures logged, a hanging one killed with
// everything it started. The recording never waits for it.
import {spawnSync} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {recordMessage} from '../../src/session/message.js';
import {newMessageHooksDone, runNewMessageHook} from '../../src/session/new-message-hook.js';
import type {Message} from '../../src/tape/message.js';
import {Tape} from '../../src/tape/store.js';
import {describeNeeding} from '../helpers/audio-stack.js';
import {pcm} from '../helpers/pcm.js';
import {findProgram} from '../../src/audio/programs.js';
import {wavHeader} from '../../src/pcm/wav.js';

let work: string;

beforeEach(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-hook-'));
});

afterEach(async () => {
	await rm(work, {recursive: true, force: true});
});

const message: Message = {
	id: '20261127-090000-000-aaaaaa', for: 'sam', from: 'jo', createdAt: '2026-11-27T09:00:00.000Z', durationMs: 4600,
	heard: false, keep: false, recovered: false, waveform: [], file: '/srv/answerphone/messages/20261127-090000-000-aaaaaa.wav',
} as unknown as Message;

describe('the onNewMessage hook', () => {
	it('runs through /bin/sh with the message in its environment (duration in whole seconds)', async () => {
		const out = path.join(work, 'env');
		const logged: string[] = [];
		await runNewMessageHook({command: `env | grep -E '^ANSWERPHONE_(ID|FOR|FROM|FILE|DURATION)=' | sort > '${out}'`, log: line => logged.push(line)}, message);
		expect(await readFile(out, 'utf8')).toBe([
			'ANSWERPHONE_DURATION=5',
			`ANSWERPHONE_FILE=${message.file}`,
			'ANSWERPHONE_FOR=sam',
			'ANSWERPHONE_FROM=jo',
			`ANSWERPHONE_ID=${message.id}`,
			'',
		].join('\n'));
		expect(logged).toEqual([]);
	});

	it('logs a failure with its last line of output', async () => {
		const logged: string[] = [];
		await runNewMessageHook({command: 'echo one; echo no mail server >&2; exit 4', log: line => logged.push(line)}, message);
		expect(logged).toEqual([`onNewMessage hook for ${message.id} failed (exit 4): no mail server`]);
	});

	it('kills a hook that runs past its time, and what it started', async () => {
		const logged: string[] = [];
		const marker = `answerphone-hook-test-${process.pid}`;
		const started = Date.now();
		await runNewMessageHook({command: `sh -c 'sleep 30; echo ${marker}' & sleep 30`, log: line => logged.push(line), timeoutMs: 300}, message);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(logged).toEqual([`onNewMessage hook for ${message.id} was killed after 0.3s`]);
		expect(spawnSync('pgrep', ['-f', marker]).status).toBe(1);
	});
});

describeNeeding('the onNewMessage hook after an import', findProgram('sox') ? undefined : 'sox is not installed', () => {
	it('starts once the message is saved, and the recording does not wait for it', async () => {
		const tape = await Tape.open(path.join(work, 'store'));
		const wav = path.join(work, 'in.wav');
		const audio = pcm(1500);
		await writeFile(wav, Buffer.concat([wavHeader(audio.length), audio]));
		const out = path.join(work, 'ran');
		const hook = {command: `sleep 1; echo "$ANSWERPHONE_ID" >> '${out}'`, log() {}};
		const ports = {tape, microphone: undefined as never, speaker: undefined as never, onNewMessage: hook};
		const started = Date.now();
		const outcome = await recordMessage(ports, {from: 'jo', input: wav}).done;
		expect(Date.now() - started).toBeLessThan(1000);
		expect(outcome.status).toBe('kept');
		const {id} = (outcome as {result: {message: Message}}).result.message;
		expect((await tape.snapshot()).messages.map(each => each.id)).toEqual([id]);
		await newMessageHooksDone();
		expect(await readFile(out, 'utf8')).toBe(`${id}\n`);
	});
});
