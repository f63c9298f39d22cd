// Issue 12, item 7: doctor says where the sound plays over SSH, and checks
// that a forwarded sound server (PULSE_SERVER over TCP) answers.
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {isolatedEnv, runCli} from '../helpers/cli.js';

let work: string;

beforeEach(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'answerphone-ssh-'));
});

afterEach(async () => {
	await rm(work, {recursive: true, force: true});
});

async function doctor(extra: NodeJS.ProcessEnv) {
	const env = isolatedEnv(work, extra);
	delete env['SSH_CONNECTION'];
	delete env['PULSE_SERVER'];
	return runCli(['doctor', '--store', path.join(work, 'store')], {env: {...env, ...extra}});
}

/** A TCP port something listens on, as an SSH tunnel's end does. */
async function listening(): Promise<{server: Server; port: number}> {
	const server = createServer(socket => socket.destroy());
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {server, port: (server.address() as {port: number}).port};
}

describe('doctor and sound over SSH', () => {
	it('says nothing of SSH when not over SSH', async () => {
		const result = await doctor({});
		expect(result.stdout).not.toMatch(/^sound /m);
	});

	it('says the sound plays on the host over SSH without a forwarded server', async () => {
		const result = await doctor({SSH_CONNECTION: '203.0.113.7 50122 192.0.2.10 22'});
		expect(result.stdout).toMatch(/^sound +HOST +over SSH, the sound plays on this computer, not on yours;$/m);
		expect(result.stdout).toContain('Hearing it over SSH');
	});

	it('checks that a forwarded server answers', async () => {
		const {server, port} = await listening();
		try {
			const result = await doctor({SSH_CONNECTION: '203.0.113.7 50122 192.0.2.10 22', PULSE_SERVER: `tcp:127.0.0.1:${port}`});
			expect(result.stdout).toMatch(new RegExp(`^sound +ok +PULSE_SERVER tcp:127\\.0\\.0\\.1:${port} answers \\(forwarded over SSH\\)$`, 'm'));
		} finally {
			server.close();
		}
	});

	it('fails when the forwarded server does not answer (the tunnel is down)', async () => {
		const {server, port} = await listening();
		await new Promise(resolve => {
			server.close(resolve);
		});
		const result = await doctor({SSH_CONNECTION: '203.0.113.7 50122 192.0.2.10 22', PULSE_SERVER: `tcp:127.0.0.1:${port}`});
		expect(result.stdout).toMatch(/^sound +FAIL +PULSE_SERVER tcp:127\.0\.0\.1:\d+ does not answer \(ECONNREFUSED\)/m);
		expect(result.code).toBe(1);
	});
});
