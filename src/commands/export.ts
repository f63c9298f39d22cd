import {copyFile, constants} from 'node:fs/promises';
import {assertRegularFile} from '../tape/safe-files.js';
import {openTape, UsageError, CommandError, type StoreOptions} from './context.js';

export async function exportMessage(args: string[], options: StoreOptions): Promise<void> {
	const [id, target] = args;
	if (id === undefined || target === undefined || args.length > 2) {
		throw new UsageError('usage: answerphone export ID FILE');
	}

	const message = await (await openTape(options)).resolveId(id);
	// copyFile follows a link and blocks on a FIFO: only a regular file is copied out.
	await assertRegularFile(message.file).catch((error: unknown) => {
		throw new CommandError(`cannot export ${message.id}: ${(error as Error).message}`);
	});
	try {
		// Never overwrite: the target may be another recording someone cares about.
		await copyFile(message.file, target, constants.COPYFILE_EXCL);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new CommandError(code === 'EEXIST' ? `${target} already exists; not overwritten` : `cannot export to ${target}: ${(error as Error).message}`);
	}
}
