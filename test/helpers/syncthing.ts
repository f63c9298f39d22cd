// Two real Syncthing instances on loopback sharing one folder: two computers
// of a household sharing one store, on one machine. Each has its own home
// (keys, config, database) in a temp folder; discovery, relays, NAT,
// upgrades and usage reporting are off, so nothing leaves the machine. The
// config is written before the first start: `syncthing cli config ... add`
// panics in 1.19 (see NOTES.md, "Syncthing").
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {findProgram} from '../../src/audio/programs.js';
import {waitFor} from './wait-for.js';

/** Why the Syncthing tests cannot run here, or undefined (for describeNeeding). */
export const syncthingMissing = findProgram('syncthing') ? undefined : 'syncthing is not installed (apt-get install syncthing)';

/** A port nobody listens on right now (the kernel's pick, then released). */
async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				resolve(typeof address === 'object' && address !== null ? address.port : 0);
			});
		});
	});
}

type Node = {
	name: 'a' | 'b';
	home: string;
	folder: string;
	guiPort: number;
	syncPort: number;
	apiKey: string;
	deviceId: string;
	process?: ChildProcess;
};

const folderId = 'tape';

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** The whole config.xml, for one node that shares the folder with the other. */
function configXml(self: Node, other: Node, rescanS: number, version: string): string {
	const device = (node: Node) => `<device id="${node.deviceId}" name="${node.name}" compression="metadata" introducer="false">`
		+ `<address>tcp://127.0.0.1:${node.syncPort}</address><autoAcceptFolders>false</autoAcceptFolders></device>`;
	return `<configuration version="${version}">
	<folder id="${folderId}" label="${folderId}" path="${escapeXml(self.folder)}" type="sendreceive" rescanIntervalS="${rescanS}" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
		<device id="${self.deviceId}"></device>
		<device id="${other.deviceId}"></device>
		<markerName>.stfolder</markerName>
		<!-- Syncthing's default for a folder made in its GUI; left out of the XML it is 0, which keeps no conflict copy at all. -->
		<maxConflicts>10</maxConflicts>
	</folder>
	${device(self)}
	${device(other)}
	<gui enabled="true" tls="false">
		<address>127.0.0.1:${self.guiPort}</address>
		<apikey>${self.apiKey}</apikey>
		<theme>default</theme>
	</gui>
	<options>
		<listenAddress>tcp://127.0.0.1:${self.syncPort}</listenAddress>
		<globalAnnounceEnabled>false</globalAnnounceEnabled>
		<localAnnounceEnabled>false</localAnnounceEnabled>
		<relaysEnabled>false</relaysEnabled>
		<natEnabled>false</natEnabled>
		<urAccepted>-1</urAccepted>
		<urSeen>3</urSeen>
		<autoUpgradeIntervalH>0</autoUpgradeIntervalH>
		<crashReportingEnabled>false</crashReportingEnabled>
		<startBrowser>false</startBrowser>
		<announceLANAddresses>false</announceLANAddresses>
		<setLowPriority>false</setLowPriority>
	</options>
</configuration>
`;
}

export type PairOptions = {
	/** How often each side rescans the folder besides watching it (Syncthing's default is an hour). */
	rescanS?: number;
	/** Files to put in the folder on both sides before the first start (name → content), e.g. .stignore. */
	before?: (folderA: string, folderB: string) => Promise<void>;
};

/**
 * Two Syncthing instances, A and B, sharing one folder: storeA and storeB
 * are the same store on two computers. start() returns once they are
 * connected; stop() kills both.
 */
export class SyncthingPair {
	readonly storeA: string;
	readonly storeB: string;
	private stopped = false;

	private constructor(readonly base: string, private readonly a: Node, private readonly b: Node) {
		this.storeA = a.folder;
		this.storeB = b.folder;
	}

	static async start({rescanS = 2, before}: PairOptions = {}): Promise<SyncthingPair> {
		const base = await mkdtemp(path.join(tmpdir(), 'answerphone-syncthing-'));
		const nodes: Node[] = [];
		// The config's schema version is whatever this syncthing writes.
		let version = '36';
		for (const name of ['a', 'b'] as const) {
			const home = path.join(base, name, 'home');
			// Keys and a default config; the config is then replaced whole.
			execFileSync('syncthing', ['generate', `--home=${home}`, '--no-default-folder'], {stdio: 'ignore', env: syncthingEnv()});
			const generated = await readFile(path.join(home, 'config.xml'), 'utf8');
			const deviceId = /<device id="([A-Z\d-]+)"/.exec(generated)?.[1];
			version = /<configuration version="(\d+)"/.exec(generated)?.[1] ?? version;
			if (deviceId === undefined) {
				throw new Error(`syncthing generate wrote no device id in ${home}/config.xml`);
			}

			nodes.push({
				name, home, folder: path.join(base, name, 'tape'), guiPort: await freePort(), syncPort: await freePort(),
				apiKey: randomBytes(16).toString('hex'), deviceId,
			});
		}

		const [a, b] = nodes as [Node, Node];
		for (const [self, other] of [[a, b], [b, a]] as const) {
			await mkdir(self.folder, {recursive: true});
			// The marker says the folder is there on purpose (not an unmounted disk).
			await mkdir(path.join(self.folder, '.stfolder'), {recursive: true});
			await writeFile(path.join(self.home, 'config.xml'), configXml(self, other, rescanS, version));
		}

		await before?.(a.folder, b.folder);
		const pair = new SyncthingPair(base, a, b);
		try {
			await pair.launch(a);
			await pair.launch(b);
			await pair.waitConnected();
		} catch (error) {
			await pair.stop();
			throw error;
		}

		return pair;
	}

	/** B goes offline (its Syncthing is stopped; its folder stays). */
	async stopB(): Promise<void> {
		await this.kill(this.b);
	}

	/** B comes back online; resolves once A and B are connected again. */
	async startB(): Promise<void> {
		await this.launch(this.b);
		await this.waitConnected();
	}

	/**
	 * Waits until predicate holds (the two sides agree on what the test
	 * needs); resolves with the seconds it took.
	 */
	async waitForConvergence(predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<number> {
		const started = performance.now();
		await waitFor('the two computers to converge', async () => predicate(), {timeoutMs, intervalMs: 50, lastSeen: () => this.logTail()});
		return (performance.now() - started) / 1000;
	}

	/** Kills both instances and removes every file. */
	async stop(): Promise<void> {
		this.stopped = true;
		await Promise.all([this.kill(this.a), this.kill(this.b)]);
		await rm(this.base, {recursive: true, force: true}).catch(() => undefined);
	}

	/** Asks one side's REST API (GET). */
	async rest(node: 'a' | 'b', route: string): Promise<unknown> {
		const self = node === 'a' ? this.a : this.b;
		const response = await fetch(`http://127.0.0.1:${self.guiPort}${route}`, {headers: {'X-API-Key': self.apiKey}});
		if (!response.ok) {
			throw new Error(`syncthing ${node} ${route}: HTTP ${response.status}`);
		}

		return response.json();
	}

	private async launch(node: Node): Promise<void> {
		if (this.stopped) {
			throw new Error('the pair was stopped');
		}

		const child = spawn('syncthing', ['serve', `--home=${node.home}`, '--no-browser', '--no-restart', `--logfile=${path.join(node.home, 'log')}`], {
			stdio: 'ignore', env: syncthingEnv(),
		});
		node.process = child;
		await waitFor(`syncthing ${node.name} to answer`, async () => {
			if (child.exitCode !== null) {
				throw new Error(`syncthing ${node.name} exited (${child.exitCode}); ${this.logTail()}`);
			}

			return this.rest(node.name, '/rest/system/ping').then(() => true, () => false);
		}, {timeoutMs: 30_000, intervalMs: 100});
	}

	private async waitConnected(): Promise<void> {
		await waitFor('the two syncthing instances to connect', async () => {
			const connections = await this.rest('a', '/rest/system/connections').catch(() => undefined) as {connections?: Record<string, {connected?: boolean}>} | undefined;
			return connections?.connections?.[this.b.deviceId]?.connected === true;
		}, {timeoutMs: 30_000, intervalMs: 100, lastSeen: () => this.logTail()});
	}

	private async kill(node: Node): Promise<void> {
		const child = node.process;
		node.process = undefined;
		if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
			return;
		}

		const exited = new Promise<void>(resolve => {
			child.once('exit', () => {
				resolve();
			});
		});
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
	}

	private logTail(): string {
		const tail = (node: Node) => {
			try {
				return execFileSync('tail', ['-n', '8', path.join(node.home, 'log')], {encoding: 'utf8'});
			} catch {
				return '(no log)';
			}
		};

		return `syncthing a's log ends:\n${tail(this.a)}\nsyncthing b's log ends:\n${tail(this.b)}`;
	}
}

function syncthingEnv(): NodeJS.ProcessEnv {
	// No upgrade checks, no default folder in the user's home, no monitor process.
	return {...process.env, STNOUPGRADE: '1', STNODEFAULTFOLDER: '1', STNORESTART: '1'};
}
