// Sound over SSH: the machine plays on the computer it runs on. Someone who
// opened it over SSH hears nothing unless their own sound server is forwarded
// (PULSE_SERVER pointing back through the tunnel); this says which it is, and
// checks that a forwarded server answers.
import {connect} from 'node:net';

export type SoundPlace =
	/** Not over SSH: the speakers are the ones in front of the person. */
	| {kind: 'local'}
	/** Over SSH and no server forwarded: the sound plays on this (the host) computer. */
	| {kind: 'host'}
	/** PULSE_SERVER names a server over TCP (a tunnel back to the person's own computer, usually). */
	| {kind: 'forwarded'; server: string; host: string; port: number};

/** The first server PULSE_SERVER names, when it is reached over TCP ("tcp:localhost:24713", "host:4713"). */
export function tcpServer(pulseServer: string): {host: string; port: number} | undefined {
	// A list may name several; the first is tried first. "{machine-id}" prefixes are for the local machine.
	const first = pulseServer.trim().split(/\s+/)[0]?.replace(/^\{[^}]*\}/, '') ?? '';
	if (first === '' || first.startsWith('unix:') || first.startsWith('/')) {
		return undefined;
	}

	const address = first.replace(/^tcp[46]?:/, '');
	const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
	const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : address.split(':');
	const number = port === undefined ? 4713 : Number(port);
	return host && Number.isInteger(number) && number > 0 && number < 65_536 ? {host, port: number} : undefined;
}

export function soundPlace(env: NodeJS.ProcessEnv = process.env): SoundPlace {
	const server = env['PULSE_SERVER'];
	const tcp = server ? tcpServer(server) : undefined;
	if (tcp && server) {
		return {kind: 'forwarded', server, ...tcp};
	}

	return env['SSH_CONNECTION'] ? {kind: 'host'} : {kind: 'local'};
}

/** The screen's one-time notice, or undefined when the sound is where the person is. */
export function sshSoundNotice(env: NodeJS.ProcessEnv = process.env): string | undefined {
	return soundPlace(env).kind === 'host'
		? 'Over SSH: sound plays on this computer, not yours (README: "Hearing it over SSH"; answerphone doctor checks it).'
		: undefined;
}

/** Whether something answers on host:port within timeoutMs; the reason when not. */
export async function answers(host: string, port: number, timeoutMs = 1500): Promise<{ok: true} | {ok: false; reason: string}> {
	return new Promise(resolve => {
		const socket = connect({host, port});
		const done = (result: {ok: true} | {ok: false; reason: string}) => {
			socket.destroy();
			resolve(result);
		};

		socket.setTimeout(timeoutMs, () => {
			done({ok: false, reason: `no answer within ${timeoutMs / 1000}s`});
		});
		socket.once('connect', () => {
			done({ok: true});
		});
		socket.once('error', error => {
			done({ok: false, reason: (error as NodeJS.ErrnoException).code ?? error.message});
		});
	});
}
