// Keeps the screen's picture of the tape true: rescans (never two at once,
// and once more if a change came in meanwhile), and the screen's own changes
// written one after another in the order the keys came.
import type {Action} from '../machine/machine.js';
import type {ChangedFiles} from '../tape/store.js';
import type {MachinePorts} from './ports.js';

export class TapeSync {
	private running: Promise<void> | undefined;
	// What changed since the last look: names of files in messages/, or 'all' when not known.
	private pending: Set<string> | 'all' = 'all';
	private again = false;
	// Counts the changes this screen has made to the tape; a rescan that began
	// before one of them must not undo what the screen already shows of it.
	private made = 0;
	private written = 0;
	private changes: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly ports: Pick<MachinePorts, 'tape' | 'housemates' | 'pollMs'>,
		private readonly dispatch: (action: Action) => void,
	) {}

	/** Looks at the tape now and after every change to it; returns the way to stop. */
	watch(): () => void {
		void this.rescan();
		return this.ports.tape.watch(changed => void this.rescan(changed), {pollMs: this.ports.pollMs});
	}

	/**
	 * A change to the tape from the screen (an erase, then its undo): run after
	 * the ones before it, and the screen checked against the store after it,
	 * whether it worked or not. ids are the messages it touches.
	 */
	change(write: () => Promise<unknown>, ids: readonly string[] = []): void {
		this.made++;
		this.changes = this.changes
			.then(write)
			.catch((error: unknown) => {
				this.dispatch({type: 'notice', text: (error as Error).message, tone: 'error'});
			})
			.finally(async () => {
				this.written++;
				// Named by file, as the watcher names them: the change wrote each
				// message's state file. (Given bare ids, the look took every
				// message as unchanged and showed an erase undone for a moment,
				// so a quick u found nothing to undo.)
				await this.rescan(this.ports.tape.filesChangedBy(ids));
			});
	}

	/** Rescans the tape, never two at once, and once more if a change came in meanwhile. */
	async rescan(changed: ChangedFiles = 'all'): Promise<void> {
		this.pending = merge(this.pending, changed);
		if (this.running) {
			this.again = true;
			return this.running;
		}

		this.running = this.lookUntilSettled();
		try {
			await this.running;
		} finally {
			this.running = undefined;
		}
	}

	private async lookUntilSettled(): Promise<void> {
		do {
			this.again = false;
			const look = this.pending;
			this.pending = new Set();
			const madeBefore = this.made;
			try {
				const snapshot = await this.ports.tape.snapshot({remember: true, changed: look});
				if (this.made !== madeBefore || this.written !== this.made) {
					// The screen has changed the tape (an erase it shows at once) and
					// the store has not caught up while this was read: showing it
					// would undo the change on screen. The rescan that follows the
					// write looks again, at everything this one was asked to.
					this.pending = merge(this.pending, look);
					continue;
				}

				this.dispatch({
					type: 'tape-changed',
					tape: {
						messages: snapshot.messages,
						bin: snapshot.bin,
						usedMs: snapshot.usedMs,
						capacityMs: snapshot.settings.tapeMs,
						maxMessageMs: snapshot.settings.maxMessageMs,
						// Damaged settings count as a file skipped: the line under the tape sends the reader to doctor.
						problems: snapshot.problems.length + (snapshot.settingsDamage === undefined ? 0 : 1),
						mailboxes: [...new Set([...(this.ports.housemates ?? []), ...snapshot.mailboxes])],
					},
				});
			} catch (error) {
				// What this look was told of must not be forgotten: the next one
				// looks at everything.
				this.pending = 'all';
				this.dispatch({type: 'notice', text: `cannot read the tape: ${(error as Error).message}`, tone: 'error'});
			}
		} while (this.again);
	}
}

/** Everything two lists of changed ids name between them. */
function merge(first: ReadonlySet<string> | 'all', second: ChangedFiles): Set<string> | 'all' {
	return first === 'all' || second === 'all' ? 'all' : new Set([...first, ...second]);
}
