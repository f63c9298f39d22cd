// The config's onNewMessage command, run once for every message saved (by
// answerphone record or at the screen): through /bin/sh -c, with the message
// in its environment. It runs beside the recording, never in its way: the
// message is on the tape before it starts, and a hook that fails or hangs is
// only logged (one that runs past its time is killed, its whole process
// group with it).
import {spawn} from 'node:child_process';
import type {Message} from '../tape/message.js';

export type NewMessageHook = {
	/** The shell command. */
	command: string;
	/** Where a failure is told: stderr for a command, a log file for the screen. */
	log: (line: string) => void;
	/** Killed after this long; 10 s unless ANSWERPHONE_HOOK_TIMEOUT_MS (for tests) says otherwise. */
	timeoutMs?: number;
};

export const defaultHookTimeoutMs = 10_000;

/** Hooks still running, so that a command can wait for them before it exits. */
const running = new Set<Promise<void>>();

function timeoutOf(hook: NewMessageHook): number {
	const fromEnv = Number(process.env['ANSWERPHONE_HOOK_TIMEOUT_MS']);
	return hook.timeoutMs ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultHookTimeoutMs);
}

/** What the hook is told: names, paths and numbers only, never anything it has to parse. */
export function hookEnvironment(message: Message): Record<string, string> {
	return {
		ANSWERPHONE_ID: message.id,
		ANSWERPHONE_FOR: message.for,
		ANSWERPHONE_FROM: message.from,
		ANSWERPHONE_FILE: message.file,
		// Whole seconds, for the shell's own arithmetic.
		ANSWERPHONE_DURATION: String(Math.round(message.durationMs / 1000)),
	};
}

/** Starts the hook for a message just saved; the promise settles when it has ended or been killed, and never rejects. */
export function runNewMessageHook(hook: NewMessageHook, message: Message): Promise<void> {
	const done = new Promise<void>(resolve => {
		const timeoutMs = timeoutOf(hook);
		const what = `onNewMessage hook for ${message.id}`;
		let output = '';
		let child;
		try {
			// Its own process group (detached), so that a timeout kills what it
			// started too; never our stdin, and its output only when it fails
			// (answerphone record prints the id alone on stdout).
			child = spawn('/bin/sh', ['-c', hook.command], {
				env: {...process.env, ...hookEnvironment(message)},
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true,
			});
		} catch (error) {
			hook.log(`${what} could not start: ${(error as Error).message}`);
			resolve();
			return;
		}

		const keep = (chunk: Buffer) => {
			output = (output + chunk.toString()).slice(-2000);
		};

		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const lastLine = () => {
			const line = output.trim().split('\n').at(-1)?.trim();
			return line ? `: ${line}` : '';
		};

		let killed = false;
		const timer = setTimeout(() => {
			killed = true;
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {}
		}, timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			hook.log(`${what} could not start: ${error.message}`);
			resolve();
		});
		// 'exit', not 'close': something the hook left running in the
		// background may hold its output open for as long as it likes.
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			child.stdout.destroy();
			child.stderr.destroy();
			if (killed) {
				hook.log(`${what} was killed after ${timeoutMs / 1000}s${lastLine()}`);
			} else if (code !== 0) {
				hook.log(`${what} failed (${signal === null ? `exit ${code}` : signal})${lastLine()}`);
			}

			resolve();
		});
	});
	running.add(done);
	void done.then(() => running.delete(done));
	return done;
}

/** Resolves once every hook started so far has ended (each is killed after its time). */
export async function newMessageHooksDone(): Promise<void> {
	await Promise.all(running);
}

/** Whether any hook is still running. */
export function newMessageHooksRunning(): boolean {
	return running.size > 0;
}
