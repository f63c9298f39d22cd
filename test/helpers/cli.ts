// Runs the built CLI as a user's shell would: its own process, its own
// environment, stdin closed unless given.
import {spawn, type ChildProcess} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type Exit = {code: number | null; stdout: string; stderr: string};

/** An environment with no developer's config file and, for a run that forgets --store, a stray store in work. */
export function isolatedEnv(work: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {...process.env, ANSWERPHONE_STORE: path.join(work, 'stray-store'), ANSWERPHONE_CONFIG: path.join(work, 'no-config.json'), ...extra};
}

/** cwd: where it runs (the test's own folder otherwise); timeoutMs: killed (SIGKILL) after this long, for a run that might hang. */
export async function runCli(args: string[], options: {env: NodeJS.ProcessEnv; input?: Buffer | string; node?: string; cwd?: string; timeoutMs?: number}): Promise<Exit> {
	const child = spawn(options.node ?? process.execPath, [cli, ...args], {
		env: options.env, stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd, timeout: options.timeoutMs, killSignal: 'SIGKILL',
	});
	// The CLI may stop reading stdin early (a bad file): that is its answer, not an error here.
	child.stdin.on('error', () => undefined);
	child.stdin.end(options.input);
	return exitOf(child);
}

/** What a child wrote to stdout and stderr, and its exit code, once it has closed them; rejects if it could not start. */
export async function exitOf(child: ChildProcess): Promise<Exit> {
	return new Promise((resolve, reject) => {
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child.on('error', reject);
		child.on('close', code => {
			resolve({code, stdout, stderr});
		});
	});
}
