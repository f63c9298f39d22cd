import {access, copyFile, constants, open, realpath} from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {assertRegularFile, noFollow} from '../tape/safe-files.js';
import {openTape, UsageError, CommandError, type StoreOptions} from './context.js';

/** answerphone export ID FILE, or ID - for the WAV on stdout (`answerphone export ID - | aplay`). */
export async function exportMessage(args: string[], options: StoreOptions): Promise<void> {
	const [id, target] = args;
	// An empty FILE (an unset shell variable) names nothing: a usage mistake, not a failed copy.
	if (id === undefined || target === undefined || target === '' || args.length > 2) {
		throw new UsageError('usage: answerphone export ID FILE (or - for stdout)');
	}

	if (target === '-' && process.stdout.isTTY) {
		throw new UsageError('export ID - writes the WAV to stdout, which is a terminal here: pipe it on (… | aplay) or name a file');
	}

	const tape = await openTape(options);
	const message = await tape.resolveId(id);
	// A link would be followed and a FIFO would block: only a regular file is copied out.
	await assertRegularFile(message.file).catch((error: unknown) => {
		throw new CommandError(`cannot export ${message.id}: ${(error as Error).message}`);
	});
	if (target === '-') {
		// Not ended with the copy: stdout is the process's, and the reader
		// going away is handled where the process writes (cli.tsx).
		const audio = await open(message.file, constants.O_RDONLY | noFollow);
		await pipeline(audio.createReadStream(), process.stdout, {end: false});
		return;
	}

	// A copy inside the store would be a stray file there (or, named like a
	// message, a second copy of one that no erase would ever free).
	if (await isInside(target, tape.dir)) {
		throw new UsageError(`${target} is inside the store (${tape.dir}): export to a file outside it`);
	}

	try {
		// Never overwrite: the target may be another recording someone cares about.
		await copyFile(message.file, target, constants.COPYFILE_EXCL);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') {
			throw new CommandError(`${target} already exists; not overwritten`);
		}

		// ENOENT is also the message's own file going (erased elsewhere meanwhile): then Node's text says so.
		const reason = code === 'ENOENT' && await exists(path.dirname(path.resolve(target))) ? undefined : copyFailure[code ?? ''];
		throw new CommandError(`cannot export to ${target}: ${reason ?? (error as Error).message}`);
	}
}

// Node's own text names the store's file too ("copyfile '/store/messages/ID.wav' -> 'x'"): the person needs only what is wrong with theirs.
const copyFailure: Record<string, string> = {
	ENOENT: 'no such folder',
	ENOTDIR: 'a part of the path is not a folder',
	EISDIR: 'it is a folder: name a file',
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EROFS: 'read-only file system',
	ENOSPC: 'the disk is full',
};

/** Whether file (which need not exist yet) would be in folder, links followed; a folder that cannot be resolved is left to the copy to report. */
async function isInside(file: string, folder: string): Promise<boolean> {
	try {
		const where = await realpath(path.dirname(path.resolve(file)));
		const store = await realpath(folder);
		const relative = path.relative(store, where);
		return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
	} catch {
		return false;
	}
}

async function exists(file: string): Promise<boolean> {
	return access(file).then(() => true, () => false);
}
