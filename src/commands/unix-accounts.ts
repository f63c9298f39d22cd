// Unix groups and accounts by name and number, for the household store: the
// group that shares it, who is in it, and what to tell someone who is not.
// Read from /etc/group and /etc/passwd, then getent (for accounts kept
// elsewhere: LDAP, sssd).
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

export type UnixGroup = {name: string; gid: number; members: string[]};

function lines(file: string, database: string, key: string): string[] {
	let text = '';
	try {
		text = readFileSync(file, 'utf8');
	} catch {}

	const found = text.split('\n').filter(line => line.split(':')[/^\d+$/.test(key) ? 2 : 0] === key);
	if (found.length > 0) {
		return found;
	}

	const getent = spawnSync('getent', [database, key], {encoding: 'utf8', timeout: 5000});
	return getent.status === 0 ? getent.stdout.split('\n').filter(Boolean) : [];
}

/** A group by name or number, or undefined when there is none. */
export function findGroup(nameOrGid: string | number): UnixGroup | undefined {
	const line = lines('/etc/group', 'group', String(nameOrGid))[0];
	if (line === undefined) {
		return undefined;
	}

	const [name = '', , gid = '', members = ''] = line.split(':');
	return {name, gid: Number(gid), members: members.split(',').filter(Boolean)};
}

/** An account's name and primary group by uid or name. */
export function findAccount(nameOrUid: string | number): {name: string; uid: number; gid: number} | undefined {
	const line = lines('/etc/passwd', 'passwd', String(nameOrUid))[0];
	if (line === undefined) {
		return undefined;
	}

	const [name = '', , uid = '', gid = ''] = line.split(':');
	return {name, uid: Number(uid), gid: Number(gid)};
}

/** The group's name, or its number when it has none. */
export function groupName(gid: number): string {
	return findGroup(gid)?.name ?? String(gid);
}

export function ownerName(uid: number): string {
	return findAccount(uid)?.name ?? String(uid);
}

/** Whether the account belongs to the group in the system's files (which a session started before it was added does not yet). */
export function inGroupOnFile(login: string, group: UnixGroup): boolean {
	return group.members.includes(login) || findAccount(login)?.gid === group.gid;
}

/** Whether this process has the group now. */
export function processHasGroup(gid: number): boolean {
	return process.getgid?.() === gid || (process.getgroups?.() ?? []).includes(gid);
}
