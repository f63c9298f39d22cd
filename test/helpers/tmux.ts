// Drives a program in a real terminal: tmux gives it a pseudo-terminal of a
// chosen size, send-keys types, capture-pane reads the screen as a person sees it.
import {execFileSync} from 'node:child_process';
import {waitFor} from './wait-for.js';

function tmux(socket: string, args: string[], options: {encoding?: 'utf8'; stdio?: 'ignore'} = {}): string {
	return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', ...options}) ?? '';
}

export class TmuxScreen {
	private constructor(readonly session: string) {}

	static start(command: string, {columns = 100, rows = 30, env = {} as Record<string, string>} = {}): TmuxScreen {
		// A private tmux server (its own socket) per screen, so the tests neither
		// see nor disturb anyone's own tmux sessions, and one test's server,
		// still shutting down after kill(), never meets the next test's start
		// ("server exited unexpectedly", seen once in CI with one per process).
		const session = `answerphone-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
		// The terminal is a person's, not a CI log: CI=true from the test run
		// would otherwise reach the program through the tmux server.
		const envArgs = Object.entries({CI: 'false', ...env}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
		// The shell prints the exit code and waits, so the test can read how it ended.
		tmux(session, ['-f', '/dev/null', 'new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), ...envArgs, `${command}; echo "EXITED:$?"; sleep 60`]);
		return new TmuxScreen(session);
	}

	capture(): string {
		return tmux(this.session, ['capture-pane', '-p', '-t', this.session]);
	}

	/** The screen with its colours and attributes as escape sequences (blink is \e[5m or a ;5 in a style). */
	captureStyled(): string {
		return tmux(this.session, ['capture-pane', '-p', '-e', '-t', this.session]);
	}

	keys(...keys: string[]): void {
		tmux(this.session, ['send-keys', '-t', this.session, ...keys]);
	}

	/** Resizes the terminal, as a person dragging its window's edge does. */
	resize(columns: number): void {
		tmux(this.session, ['resize-window', '-t', this.session, '-x', String(columns)]);
	}

	/** The pid of the shell running in the pane; the program is its child. */
	panePid(): number {
		return Number(tmux(this.session, ['display-message', '-p', '-t', this.session, '#{pane_pid}']).trim());
	}

	async waitFor(check: (screen: string) => boolean, timeoutMs = 10_000): Promise<string> {
		let screen = '';
		return waitFor('the terminal', () => {
			screen = this.capture();
			return check(screen) ? screen : undefined;
		}, {timeoutMs, intervalMs: 50, lastSeen: () => `it shows:\n${screen}`});
	}

	/** Closes this terminal as a person closing its window does: the program is hung up on. */
	close(): void {
		tmux(this.session, ['kill-session', '-t', this.session]);
	}

	kill(): void {
		try {
			tmux(this.session, ['kill-server'], {stdio: 'ignore'});
		} catch {}
	}
}

/** Every process below pid, found through /proc (ps would do, but this needs nothing). */
export function descendants(pid: number): number[] {
	const children = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], {encoding: 'utf8'})
		.trim().split('\n').map(line => line.trim().split(/\s+/).map(Number))
		.filter(([, parent]) => parent === pid).map(([child]) => child!);
	return children.flatMap(child => [child, ...descendants(child)]);
}

export function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
