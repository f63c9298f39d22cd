// answerphone setup: one-time preparation of a store. For now only
// --shared-folder (see shared-folder.ts).
import {UsageError, type StoreOptions} from './context.js';
import {setupSharedFolder} from './shared-folder.js';

export type SetupOptions = StoreOptions & {
	/** Write the .stignore lines for a store shared through Syncthing. */
	sharedFolder: boolean;
};

export async function setup(args: string[], options: SetupOptions): Promise<void> {
	if (args.length > 0) {
		throw new UsageError('setup takes no arguments (answerphone --help)');
	}

	if (!options.sharedFolder) {
		throw new UsageError('answerphone setup needs what to set up: --shared-folder (answerphone --help)');
	}

	await setupSharedFolder(options);
}
