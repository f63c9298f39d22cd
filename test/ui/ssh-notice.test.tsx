// Issue 12, item 7: opened over SSH, the screen says once that the sound plays
// on the host, unless a sound server is forwarded.
import {describe, expect, it} from 'vitest';
import {App} from '../../src/app.js';
import {sshSoundNotice, tcpServer} from '../../src/audio/remote.js';
import type {Tape} from '../../src/tape/store.js';
import {press, render, screenOnTempTapeEachTest, waitForFrame} from '../helpers/render.js';
import {leaveMessage} from '../helpers/store.js';

let tape: Tape;
const ports = screenOnTempTapeEachTest(fresh => {
	({tape} = fresh);
});

const overSsh = {SSH_CONNECTION: '203.0.113.7 50122 192.0.2.10 22'};

describe('sound over SSH', () => {
	it('tells only an SSH session without a forwarded server', () => {
		expect(sshSoundNotice({})).toBeUndefined();
		expect(sshSoundNotice(overSsh)).toMatch(/Over SSH: sound plays on this computer/);
		expect(sshSoundNotice({...overSsh, PULSE_SERVER: 'unix:/run/user/1000/pulse/native'})).toBeDefined();
		expect(sshSoundNotice({...overSsh, PULSE_SERVER: 'tcp:localhost:24713'})).toBeUndefined();
	});

	it('reads the servers PULSE_SERVER names', () => {
		expect(tcpServer('tcp:localhost:24713')).toEqual({host: 'localhost', port: 24713});
		expect(tcpServer('tcp:127.0.0.1')).toEqual({host: '127.0.0.1', port: 4713});
		expect(tcpServer('tcp6:[::1]:24713')).toEqual({host: '::1', port: 24713});
		expect(tcpServer('{abc}tcp:box:4713 unix:/x')).toEqual({host: 'box', port: 4713});
		expect(tcpServer('unix:/run/pulse/native')).toBeUndefined();
		expect(tcpServer('tcp:host:99999')).toBeUndefined();
	});

	it('shows the notice once when the screen opens, and the next notice replaces it', async () => {
		await leaveMessage(tape, {from: 'jo'});
		const screen = await render(<App ports={ports({soundNotice: sshSoundNotice(overSsh)})}/>);
		const frame = await waitForFrame(screen, text => text.includes('1 new'));
		expect(frame).toContain('Over SSH: sound plays on this computer');
		await press(screen, 'u');
		const after = await waitForFrame(screen, text => text.includes('Nothing to undo.'));
		expect(after).not.toContain('Over SSH');
	});
});
