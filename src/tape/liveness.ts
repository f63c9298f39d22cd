// Whether the writer of a draft in tmp/ may still be at work. A recording is
// never taken from a live owner, however long it pauses (an import fed slowly
// through a pipe writes nothing for minutes while SoX fills its buffer), so
// the owner must be told apart from a stranger with the same name or number:
// a host name is shared by every Raspberry Pi left unrenamed, and a pid is
// reused after a reboot or a wrap-around. Each process is therefore named by
// this boot of this computer, its pid and the moment it started.
import {readFileSync} from 'node:fs';
import {hostname, uptime} from 'node:os';

/** What a draft's note says about who writes it (see DraftOwner); read from an untrusted file, so nothing here is assumed. */
export type WriterNote = {
	host?: unknown;
	boot?: unknown;
	pid?: unknown;
	started?: unknown;
	helpers?: unknown;
	helperStarts?: unknown;
};

/**
 * alive: a writer runs on this computer now (leave the draft alone); gone:
 * every writer is known to have ended (recover it now); unknown: it cannot be
 * checked from here (another computer sharing the folder, another boot, a
 * note from an older version), so only a long silence says it was abandoned.
 */
export type Liveness = 'alive' | 'gone' | 'unknown';

let bootId: string | undefined;

/**
 * This boot of this computer: Linux's random boot id, which no other computer
 * or boot shares. Elsewhere, the moment the computer started, from its
 * uptime; read together with the host name.
 */
export function thisBoot(): string {
	if (bootId === undefined) {
		try {
			bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
		} catch {}

		bootId ||= `uptime:${Math.round((Date.now() / 1000) - uptime())}`;
	}

	return bootId;
}

function sameBoot(noted: string, sameHost: boolean): boolean {
	const here = thisBoot();
	const startedAt = (boot: string) => (/^uptime:\d+$/.test(boot) ? Number(boot.slice(7)) : undefined);
	const [notedAt, hereAt] = [startedAt(noted), startedAt(here)];
	if (notedAt === undefined || hereAt === undefined) {
		// A boot id is unique to one boot of one computer, whatever its name.
		return noted === here;
	}

	// Start times worked out from the uptime differ by a second or two
	// between processes (rounding, the clock being adjusted), and only mean
	// something on a computer of the same name.
	return sameHost && Math.abs(notedAt - hereAt) <= 5;
}

/**
 * When a process started, in clock ticks since boot (field 22 of
 * /proc/PID/stat): with the pid, it names one process for this whole boot.
 * Undefined where there is no /proc or the process cannot be seen.
 */
export function processStart(pid: number): number | undefined {
	const stat = readStat(pid);
	return stat === undefined ? undefined : Number(stat[19]) || undefined;
}

/** The fields of /proc/PID/stat after the command's name (which may hold spaces and parentheses): [0] is field 3, the state. */
function readStat(pid: number): string[] | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return text.slice(text.lastIndexOf(')') + 1).trim().split(' ');
	} catch {
		return undefined;
	}
}

/** Whether the process a note names runs now: the same pid, started at the same moment when that was noted. */
function isRunning(pid: unknown, started: unknown): boolean {
	// 0 and negative numbers name process groups, not one process.
	if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) {
		return false;
	}

	try {
		process.kill(pid, 0);
	} catch (error) {
		// EPERM: it runs, as somebody else.
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') {
			return false;
		}
	}

	const stat = readStat(pid);
	if (stat === undefined) {
		// No /proc, or one that hides other users' processes: the pid is all there is to go by.
		return true;
	}

	// A zombie has finished writing; it only waits for its parent to notice.
	if (stat[0] === 'Z') {
		return false;
	}

	return typeof started !== 'number' || Number(stat[19]) === started;
}

/** Judges whether the writers a draft's note names may still write to it (see Liveness). */
export function writersLiveness(note: WriterNote): Liveness {
	const helpers = Array.isArray(note.helpers) ? note.helpers as unknown[] : [];
	// Keyed by pid, not matched by place: a note's list may have been filtered.
	const helperStarts = typeof note.helperStarts === 'object' && note.helperStarts !== null ? note.helperStarts as Record<string, unknown> : {};
	const startOf = (pid: unknown) => (Object.hasOwn(helperStarts, String(pid)) ? helperStarts[String(pid)] : undefined);
	const writers = [{pid: note.pid, started: note.started}, ...helpers.map(pid => ({pid, started: startOf(pid)}))];
	const sameHost = note.host === hostname();
	if (typeof note.boot === 'string') {
		// Another boot may be an earlier one of this computer, or another
		// computer of the same name (a copied SD card even shares its machine
		// id): its writers cannot be checked from here.
		if (!sameBoot(note.boot, sameHost)) {
			return 'unknown';
		}

		return writers.some(writer => isRunning(writer.pid, writer.started)) ? 'alive' : 'gone';
	}

	// A note from before boots were noted: a live pid may be anybody's.
	if (!sameHost) {
		return 'unknown';
	}

	return writers.some(writer => isRunning(writer.pid, undefined)) ? 'unknown' : 'gone';
}

/** What a new draft's note says about the process writing it. */
export function thisWriter(): {host: string; boot: string; pid: number; started?: number} {
	return {host: hostname(), boot: thisBoot(), pid: process.pid, started: processStart(process.pid)};
}
