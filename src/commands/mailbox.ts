import {printable} from '../printable.js';
import {checkName, everyone, nameKey} from '../tape/message.js';
import {openTape, UsageError, type StoreOptions} from './context.js';

const reservedNames = ['household', 'all'];

export type MailboxOptions = StoreOptions & {
	/** Housemates named in the config file, besides those named in the store. */
	housemates: string[];
	json: boolean;
};

/** answerphone mailbox add|remove|list [NAME]: the housemates' mailboxes, kept in the store for every terminal. */
export async function mailbox(args: string[], options: MailboxOptions): Promise<void> {
	const [action = 'list', rawName, ...rest] = args;
	if (rest.length > 0 || (action === 'list' && rawName !== undefined)) {
		throw new UsageError('usage: answerphone mailbox add|remove NAME, or answerphone mailbox list');
	}

	const tape = await openTape(options);
	if (action === 'list') {
		const {mailboxes, messages} = await tape.snapshot();
		const names = [everyone, ...new Set([...options.housemates, ...mailboxes])];
		const counts = names.map(name => {
			const mine = messages.filter(message => message.for === name);
			return {name, messages: mine.length, new: mine.filter(message => !message.heard).length};
		});
		process.stdout.write(options.json ? JSON.stringify(counts) + '\n' : counts.map(count => `${printable(count.name).padEnd(16)} ${count.new} new · ${count.messages} message${count.messages === 1 ? '' : 's'}`).join('\n') + '\n');
		return;
	}

	if (action !== 'add' && action !== 'remove') {
		throw new UsageError(`unknown mailbox action "${action}" (add, remove or list)`);
	}

	if (rawName === undefined) {
		throw new UsageError(`answerphone mailbox ${action} needs a NAME`);
	}

	let name: string;
	try {
		name = checkName(rawName, 'a mailbox name');
	} catch (error) {
		throw new UsageError((error as Error).message);
	}

	if (name === everyone) {
		throw new UsageError(`"${everyone}" is always there and cannot be ${action === 'add' ? 'added' : 'removed'}`);
	}

	// "household" is what --as says for no one in particular, and "all" is the
	// screen's 0 key: a mailbox by either name could not be told from them. Only
	// a new one is refused; a store that already has one still opens and can
	// remove it.
	if (action === 'add' && reservedNames.includes(nameKey(name))) {
		throw new UsageError(`"${name}" cannot be a mailbox name: it is reserved (--as household means the whole household, and "all" is every mailbox on the screen)`);
	}

	if (action === 'add') {
		await tape.changeMailboxes(names => {
			// A second "Sam" or "ｓａｍ" beside "sam" would split one housemate's
			// messages between two mailboxes nobody can tell apart.
			const lookalike = [everyone, ...options.housemates, ...names].find(existing => existing !== name && nameKey(existing) === nameKey(name));
			if (lookalike !== undefined) {
				throw new UsageError(`a mailbox name "${name}" looks like "${printable(lookalike)}", which is already there`);
			}

			return names.includes(name) ? names : [...names, name];
		});
	} else {
		let found = false;
		await tape.changeMailboxes(names => {
			found = names.includes(name);
			return names.filter(existing => existing !== name);
		});
		if (!found) {
			throw new UsageError(`no mailbox "${name}"${options.housemates.includes(name) ? ' in the store (it is named in the config file)' : ''}`);
		}

		// The messages left for them stay on the tape, shown under "all".
	}
}
