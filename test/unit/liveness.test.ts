// A recording is never taken from a live owner, however long it has been
// silent: another process opening the store (a `list` in another terminal)
// recovers a draft only once every process writing it has ended on this
// computer. The owner is named by this boot, its pid and when it started, so
// that neither a pid reused by a stranger nor a note from another boot of a
// computer of the same name is taken for it.
import {spawn, type ChildProcess} from 'node:child_process';
import {readdir, readFile, mkdtemp, utimes, writeFile} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {wavHeader} from '../../src/pcm/wav.js';
import {newMessageId} from '../../src/tape/message.js';
import {processStart, thisBoot, writersLiveness} from '../../src/tape/liveness.js';
import {Tape, type DraftOwner} from '../../src/tape/store.js';
import {pcm} from '../helpers/pcm.js';
import {Child, useTapeChildren} from '../helpers/tape-children.js';

const childScript = useTapeChildren();
const {folders} = childScript;
const running: ChildProcess[] = [];

afterEach(() => {
	for (const child of running.splice(0)) {
		child.kill('SIGKILL');
	}
});

async function newStore(): Promise<Tape> {
	const folder = await mkdtemp(path.join(tmpdir(), 'answerphone-liveness-'));
	folders.push(folder);
	const tape = await Tape.open(path.join(folder, 'store'));
	await tape.updateSettings({tapeMs: 60_000, maxMessageMs: 30_000, minMessageMs: 1000});
	return tape;
}

/** Dates a file back past the 2-minute idle limit, as if its writer had paused that long. */
async function ageBack(file: string): Promise<void> {
	const longAgo = new Date(Date.now() - 10 * 60_000);
	await utimes(file, longAgo, longAgo);
}

/** A process that has ended (and been waited for), so its pid names nobody. */
async function deadPid(): Promise<number> {
	const dead = spawn(process.execPath, ['-e', '']);
	return new Promise(resolve => {
		dead.on('close', () => {
			resolve(dead.pid!);
		});
	});
}

/** A process that runs until the test ends, standing for SoX importing into a draft. */
function liveProcess(): number {
	const child = spawn('sleep', ['600'], {stdio: 'ignore'});
	running.push(child);
	return child.pid!;
}

/** A draft left in tmp/ by the writers its note names: 3 s of sound, both files dated back when aged. */
async function leaveDraft(tape: Tape, writers: Partial<DraftOwner>, {aged}: {aged: boolean}): Promise<string> {
	const id = newMessageId();
	const owner: DraftOwner = {id, for: 'everyone', from: 'jo', createdAt: new Date().toISOString(), pid: process.pid, host: hostname(), ...writers};
	const note = path.join(tape.tmpDir, `${id}.json`);
	const audio = path.join(tape.tmpDir, `${id}.wav`);
	await writeFile(note, JSON.stringify(owner) + '\n', {mode: 0o600});
	const sound = pcm(3000, id);
	await writeFile(audio, Buffer.concat([wavHeader(sound.length), sound]), {mode: 0o600});
	if (aged) {
		await ageBack(note);
		await ageBack(audio);
	}

	return id;
}

/** What another process opening the store now does with the drafts: the ids it recovered. */
async function openElsewhere(tape: Tape): Promise<string[]> {
	const reopened = await Tape.open(tape.dir);
	return (await reopened.snapshot()).messages.filter(message => message.recovered).map(message => message.id);
}

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

describe('a draft whose owner runs on this computer', () => {
	it('is left to its owner however long it has been silent, and the owner then saves it', async () => {
		const tape = await newStore();
		// A recorder that pauses 3 s between chunks: long enough to date its
		// files back and open the store in between.
		const child = new Child(childScript.script(), {mode: 'record', store: tape.dir, from: 'alex', lengthsMs: [1000], chunkMs: 500, paceMs: 3000});
		const begun = await child.waitFor(event => event.event === 'wrote');
		const id = (begun as {id: string}).id;
		await sleep(300);
		await ageBack(path.join(tape.tmpDir, `${id}.json`));
		await ageBack(path.join(tape.tmpDir, `${id}.wav`));

		expect(await openElsewhere(tape)).toEqual([]);
		expect((await readdir(tape.tmpDir)).sort()).toEqual([`${id}.json`, `${id}.wav`]);

		// Its owner carries on and saves it as its own: nothing moved under it.
		await child.waitFor(event => event.event === 'done' || event.event === 'error', 20_000);
		child.assertNoError();
		expect(child.events.find(event => event.event === 'saved')).toMatchObject({id, durationMs: 1000});
		const [message] = (await tape.snapshot()).messages;
		expect(message).toMatchObject({id, recovered: false, durationMs: 1000});
	});

	it('is left alone while a helper it started still writes, and recovered once that helper ends', async () => {
		const tape = await newStore();
		const helper = liveProcess();
		const id = await leaveDraft(tape, {boot: thisBoot(), pid: await deadPid(), helpers: [helper], helperStarts: {[helper]: processStart(helper)!}}, {aged: true});
		expect(await openElsewhere(tape)).toEqual([]);

		running.pop()!.kill('SIGKILL');
		await sleep(200);
		expect(await openElsewhere(tape)).toEqual([id]);
	});

	it('keeps a note written just before its audio, however old, while its owner runs', async () => {
		const tape = await newStore();
		const id = newMessageId();
		const note = path.join(tape.tmpDir, `${id}.json`);
		const owner: DraftOwner = {id, for: 'everyone', from: 'jo', createdAt: new Date().toISOString(), host: hostname(), boot: thisBoot(), pid: process.pid, started: processStart(process.pid)!};
		await writeFile(note, JSON.stringify(owner));
		await ageBack(note);
		await Tape.open(tape.dir);
		expect(await readdir(tape.tmpDir)).toEqual([`${id}.json`]);
	});
});

describe('a draft whose owner is not running', () => {
	it('is recovered at once when its owner has ended', async () => {
		const tape = await newStore();
		const id = await leaveDraft(tape, {boot: thisBoot(), pid: await deadPid()}, {aged: false});
		expect(await openElsewhere(tape)).toEqual([id]);
		expect(await readdir(tape.tmpDir)).toEqual([]);
	});

	it('is recovered at once when its pid now belongs to another process', async () => {
		// The pid runs (it is this test's), but it started at another moment
		// than the one the note names: a stranger that was given the same number.
		const tape = await newStore();
		const id = await leaveDraft(tape, {boot: thisBoot(), pid: process.pid, started: processStart(process.pid)! - 1}, {aged: false});
		expect(await openElsewhere(tape)).toEqual([id]);
	});

	it('is recovered at once when its helper\'s pid now belongs to another process', async () => {
		const tape = await newStore();
		const stranger = liveProcess();
		const id = await leaveDraft(tape, {boot: thisBoot(), pid: await deadPid(), helpers: [stranger], helperStarts: {[stranger]: processStart(stranger)! - 1}}, {aged: false});
		expect(await openElsewhere(tape)).toEqual([id]);
	});
});

describe('a draft from another boot of a computer with this name', () => {
	// An earlier boot of this computer, or another one of the same name (two
	// Raspberry Pis are both "raspberrypi", and a copied SD card even shares
	// its machine id): nothing running here can be its owner, whatever its pid.
	const otherBoot = '00000000-0000-4000-8000-000000000000';

	it('never takes a process running here for its owner', async () => {
		const tape = await newStore();
		const id = await leaveDraft(tape, {boot: otherBoot, pid: process.pid, started: processStart(process.pid)!}, {aged: true});
		expect(writersLiveness(JSON.parse(await readFile(path.join(tape.tmpDir, `${id}.json`), 'utf8')) as DraftOwner)).toBe('unknown');
		expect(await openElsewhere(tape)).toEqual([id]);
	});

	it('is judged by its silence, as a draft from another computer is', async () => {
		// Its writer may be another computer sharing the folder, still at work.
		const tape = await newStore();
		const fresh = await leaveDraft(tape, {boot: otherBoot, pid: await deadPid()}, {aged: false});
		const fromElsewhere = await leaveDraft(tape, {host: `not-${hostname()}`, boot: otherBoot, pid: await deadPid()}, {aged: false});
		expect(await openElsewhere(tape)).toEqual([]);
		expect((await readdir(tape.tmpDir)).sort()).toEqual([fresh, fromElsewhere].flatMap(id => [`${id}.json`, `${id}.wav`]).sort());
	});
});

describe('the note of a new draft', () => {
	it('names this boot, the process and when it started', async () => {
		const tape = await newStore();
		const draft = await tape.beginDraft({from: 'jo'});
		const note = JSON.parse(await readFile(path.join(tape.tmpDir, `${draft.id}.json`), 'utf8')) as DraftOwner;
		expect(note).toMatchObject({host: hostname(), boot: thisBoot(), pid: process.pid, started: processStart(process.pid)});
		expect(note.boot).toMatch(/^[\da-f-]{36}$/);
		expect(note.started).toBeGreaterThan(0);

		// The SoX an import starts is named with when it started.
		const helper = liveProcess();
		draft.helpedBy([helper]);
		const helped = JSON.parse(await readFile(path.join(tape.tmpDir, `${draft.id}.json`), 'utf8')) as DraftOwner;
		expect(helped).toMatchObject({boot: thisBoot(), started: note.started, helpers: [helper], helperStarts: {[helper]: processStart(helper)}});
		await draft.discard();
	});
});
