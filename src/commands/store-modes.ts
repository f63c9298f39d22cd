// The doctor's look at who may read the store: its owner, its group and the
// modes of everything in it. A personal store is its owner's only (folders
// 0700, files 0600); a household store (setgid folder, see setup.ts) is its
// group's (folders 2770, files 0660, all of the store's group). Nothing is
// ever the world's. Only looked at (lstat, never a link followed), never
// changed: the lines say what to run.
import {lstat, readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {printable} from '../printable.js';
import {householdModes, privateModes} from '../tape/layout.js';
import {loginName} from './context.js';
import {groupName, ownerName, processHasGroup} from './unix-accounts.js';

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

type Finding = {file: string; reason: string; fix: string};

/** The doctor's lines about the store's owner, group and modes, and whether all is well. */
export async function checkStoreModes(store: string): Promise<{ok: boolean; lines: string[]}> {
	const root = await stat(store);
	const household = (root.mode & 0o2000) !== 0;
	const group = groupName(root.gid);
	const findings: Finding[] = [];
	const look = async (file: string, depth: number): Promise<void> => {
		const info = await lstat(file).catch(() => undefined);
		// A link's own mode means nothing; the store's scan reports it as a stray file.
		if (info === undefined || info.isSymbolicLink()) {
			return;
		}

		const folder = info.isDirectory();
		const wanted = (household ? householdModes : privateModes)[folder ? 'dirMode' : 'fileMode'];
		const shown = printable(file);
		if (household) {
			if (info.gid !== root.gid) {
				findings.push({file: shown, reason: `group ${groupName(info.gid)}, not ${group}`, fix: `sudo chgrp ${group} ${shown}`});
			}

			if ((info.mode & 0o7777) !== wanted) {
				findings.push({file: shown, reason: `mode ${octal(info.mode)}, not ${octal(wanted)}`, fix: `sudo chmod ${octal(wanted)} ${shown}`});
			}
		} else if ((info.mode & 0o077) !== 0) {
			findings.push({file: shown, reason: `mode ${octal(info.mode)}: others may ${(info.mode & 0o007) === 0 ? 'use it (its group)' : 'read it'}`, fix: `chmod ${octal(wanted)} ${shown}`});
		}

		if (folder && depth < 3) {
			for (const name of await readdir(file).catch(() => [])) {
				await look(path.join(file, name), depth + 1);
			}
		}
	};

	await look(store, 0);
	const lines: string[] = [];
	const owner = ownerName(root.uid);
	if (household) {
		// Root reads and writes every store whatever its groups: nothing to join.
		const member = process.getuid?.() === 0
			? 'root needs no group'
			: (processHasGroup(root.gid) ? 'this account is in it' : `this account is NOT in it: sudo usermod -aG ${group} ${loginName()}, then log in again`);
		lines.push(`access    ${findings.length === 0 ? 'ok   ' : 'WARN '}  household store of the group ${group} (owner ${owner}); ${member}`);
	} else {
		const mine = root.uid === process.getuid?.();
		lines.push(`access    ${findings.length === 0 ? 'ok   ' : 'WARN '}  personal store of ${owner}${mine ? '' : ' (not this account)'}, readable by its owner only`);
	}

	for (const finding of findings.slice(0, 5)) {
		lines.push(`          ${finding.file}: ${finding.reason}: ${finding.fix}`);
	}

	if (findings.length > 5) {
		lines.push(`          and ${findings.length - 5} more`);
	}

	if (findings.length > 0) {
		lines.push(household
			? `          to fix them all: sudo answerphone setup --household --store ${printable(store)} --group ${group}`
			: `          to fix them all: chmod -R go-rwx ${printable(store)}`);
	}

	return {ok: findings.length === 0, lines};
}
