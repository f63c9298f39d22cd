// What to tell an account the store refuses (EACCES): a housemate not (yet)
// in the store's group, someone else's private store, or files that are not
// the group's. One line that says why and what to do.
import {stat} from 'node:fs/promises';
import {findGroup, groupName, inGroupOnFile, ownerName, processHasGroup} from './unix-accounts.js';

export function isAccessDenied(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code === 'EACCES' || code === 'EPERM';
}

/** Why the store refused this account, and what to do; undefined when the error is not a refusal. */
export async function accessAdvice(error: unknown, store: string, login: string): Promise<string | undefined> {
	if (!isAccessDenied(error)) {
		return undefined;
	}

	const where = (error as NodeJS.ErrnoException).path ?? store;
	const plain = `permission denied: ${where}`;
	const info = await stat(store).catch(() => undefined);
	if (info === undefined) {
		return plain;
	}

	if ((info.mode & 0o2000) !== 0) {
		// A household store: its group is the way in.
		const group = findGroup(info.gid);
		const name = group?.name ?? String(info.gid);
		if (!processHasGroup(info.gid)) {
			return group !== undefined && inGroupOnFile(login, group)
				? `you are in the group ${name}, but this session began before you were added: log out and in again`
				: `you are not in the group ${name}: sudo usermod -aG ${name} ${login}, then log in again`;
		}

		return `${plain} (not the group ${name}'s: sudo answerphone setup --household --store ${store} gives every file in the store back to the group)`;
	}

	if (info.uid !== process.getuid?.()) {
		return `it is ${ownerName(info.uid)}'s own store (group ${groupName(info.gid)}, mode ${(info.mode & 0o7777).toString(8).padStart(4, '0')}): use your own (--store DIR), or share one with sudo answerphone setup --household`;
	}

	return plain;
}
