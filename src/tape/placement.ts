// Room on the tape: how much there is, starting a message's recording within
// it, and placing the finished recording, overwriting older messages in the
// ring's order (ring.ts decides which) when the tape is full.
import path from 'node:path';
import {open, rename, unlink} from 'node:fs/promises';
import {headerSize, msToPcmBytes, readWavInfo, repairWavHeader} from '../pcm/wav.js';
import {computeWaveform} from '../pcm/waveform.js';
import {Draft} from './draft.js';
import type {TapeLayout} from './layout.js';
import {processStart, thisWriter} from './liveness.js';
import {withLock} from './lock.js';
import {checkName, everyone, newMessageId, noMarks, type MessageMeta} from './message.js';
import {assertMessageId, readMeta, removeDraftFiles, removeMessageFiles, writeFileAtomicSync, writeMeta, writeWholeFile} from './meta-files.js';
import {planRoom, roomMs, toRingEntry} from './ring.js';
import type {Scanner} from './scanner.js';
import {readSettings} from './shared-files.js';
import type {CommitResult, DraftOwner} from './types.js';

export class TapeFullError extends Error {
	constructor() {
		super('TAPE FULL: every message left on the tape is marked keep; unkeep or erase some to make room');
	}
}

/** recovered: rescued from a dead process; force: place it even if that overfills the tape; waveform: as gathered while recording. */
export type PlaceOptions = {recovered: boolean; force: boolean; waveform?: number[]};

export class Placement {
	/** afterPlace: told once a message is on the tape, outside the lock (the status files follow). */
	constructor(private readonly layout: TapeLayout, private readonly scanner: Scanner, private readonly afterPlace: () => Promise<void> = async () => undefined) {}

	/** The longest recording that could be placed now, freeing everything that may be freed. */
	async roomMs(): Promise<number> {
		const [settings, metas] = await Promise.all([readSettings(this.layout), this.scanner.allMetas()]);
		return roomMs(metas.map(meta => toRingEntry(meta)), settings.tapeMs);
	}

	/**
	 * Starts a recording in tmp/. Throws TapeFullError when not even the
	 * minimum message length could be made room for.
	 */
	async beginDraft(who: {for?: string; from: string}, now = new Date()): Promise<Draft> {
		const settings = await readSettings(this.layout);
		const room = await this.roomMs();
		if (room < Math.max(settings.minMessageMs, 1)) {
			throw new TapeFullError();
		}

		const owner: DraftOwner = {
			id: newMessageId(now),
			for: checkName(who.for ?? everyone, 'the mailbox'),
			from: checkName(who.from, 'the sender'),
			createdAt: now.toISOString(),
			...thisWriter(),
		};
		const ownerFile = path.join(this.layout.tmpDir, `${owner.id}.json`);
		await writeWholeFile(this.layout, ownerFile, JSON.stringify(owner) + '\n');
		const audioFile = path.join(this.layout.tmpDir, `${owner.id}.wav`);
		const {layout} = this;
		return Draft.create(owner.id, audioFile, Math.min(settings.maxMessageMs, room), {
			place: async draft => {
				const result = await this.place(owner, audioFile, {recovered: false, force: false, waveform: draft.waveform});
				if (result.status === 'tape-full') {
					return result;
				}

				const diskFull = draft.cutByFullDisk ? {cutByFullDisk: true} : {};
				return result.status === 'saved' ? {...result, cutAtLimit: draft.cutAtLimit, ...diskFull} : {...result, ...diskFull};
			},
			keepWhenDiskFull: true,
			drop: async () => removeDraftFiles(this.layout, owner.id),
			noteHelpers(helpers) {
				const helperStarts = Object.fromEntries(helpers.map(pid => [pid, processStart(pid)]));
				writeFileAtomicSync(ownerFile, JSON.stringify({...owner, helpers, helperStarts}) + '\n', layout);
			},
		}, this.layout);
	}

	/** Places a finished draft: called by Draft.commit. */
	async place(owner: DraftOwner, audioFile: string, options: PlaceOptions): Promise<CommitResult> {
		// The id names every file below; recovery hands over only a note whose
		// id is its own file name, and this is the last guard.
		assertMessageId(owner.id);
		const result = await this.placeLocked(owner, audioFile, options);
		if (result.status === 'saved') {
			await this.afterPlace();
		}

		return result;
	}

	private async placeLocked(owner: DraftOwner, audioFile: string, options: PlaceOptions): Promise<CommitResult> {
		return withLock(this.layout, async () => {
			// A draft is placed once. Recovery can meet one that already was: its
			// owner died after writing the metadata but before removing the note in
			// tmp/, or two processes found the same note. Placing it again would
			// count it twice, overwrite others for room it already has, and reset
			// its heard and keep flags.
			const already = await readMeta(this.layout, owner.id);
			if (already !== undefined) {
				await unlink(path.join(this.layout.tmpDir, `${owner.id}.json`)).catch(() => undefined);
				return {status: 'saved', message: {...already, file: path.join(this.layout.messagesDir, `${owner.id}.wav`)}, evicted: [], cutAtLimit: false, cutToFit: false};
			}

			const settings = await readSettings(this.layout);
			const info = await readWavInfo(audioFile);
			let {durationMs} = info;
			// Never an empty message, whatever the minimum: it holds nothing to
			// play, and `play --next` would meet it first every time.
			if (durationMs < Math.max(settings.minMessageMs, 1)) {
				await removeDraftFiles(this.layout, owner.id);
				return {status: 'too-short', durationMs, minMessageMs: settings.minMessageMs};
			}

			const metas = await this.scanner.allMetas();
			const entries = metas.map(meta => toRingEntry(meta));
			let plan = planRoom(entries, settings.tapeMs, durationMs);
			let cutToFit = false;
			let {waveform} = options;
			if (!plan.fits) {
				// Another recording took the room this one was counting on. Keep the
				// part that fits rather than lose the whole message.
				if (options.force) {
					plan = {fits: true, evict: []};
				} else if (plan.roomMs >= Math.max(settings.minMessageMs, 1)) {
					durationMs = plan.roomMs;
					await truncateWav(audioFile, durationMs);
					cutToFit = true;
					// The gathered waveform described the whole recording.
					waveform = undefined;
					plan = planRoom(entries, settings.tapeMs, durationMs);
				}
			}

			if (!plan.fits) {
				await removeDraftFiles(this.layout, owner.id);
				return {status: 'tape-full', roomMs: plan.roomMs};
			}

			for (const id of plan.evict) {
				await removeMessageFiles(this.layout, id);
			}

			const meta: MessageMeta = {
				id: owner.id,
				for: owner.for,
				from: owner.from,
				createdAt: owner.createdAt,
				durationMs,
				heard: false,
				keep: false,
				recovered: options.recovered,
				erasedAt: null,
				waveform: waveform ?? await computeWaveform(audioFile, info.dataOffset, msToPcmBytes(durationMs)).catch(() => []),
				heardMarks: noMarks,
			};
			const placedAudio = path.join(this.layout.messagesDir, `${owner.id}.wav`);
			if (audioFile !== placedAudio) {
				await rename(audioFile, placedAudio);
			}

			try {
				await writeMeta(this.layout, meta);
			} catch (error) {
				// Not placed after all (a full disk refused the metadata): the audio
				// goes back to its draft rather than lie in messages/ without it,
				// and whoever placed it decides (an import drops it, recovery tries
				// again at a later open).
				if (audioFile !== placedAudio) {
					await rename(placedAudio, audioFile).catch(() => undefined);
				}

				throw error;
			}

			await unlink(path.join(this.layout.tmpDir, `${owner.id}.json`)).catch(() => undefined);
			return {
				status: 'saved',
				message: {...meta, file: placedAudio},
				evicted: plan.evict,
				cutAtLimit: false,
				cutToFit,
			};
		});
	}
}

async function truncateWav(file: string, durationMs: number): Promise<void> {
	const handle = await open(file, 'r+');
	try {
		await handle.truncate(headerSize + msToPcmBytes(durationMs));
		await repairWavHeader(handle);
		await handle.sync();
	} finally {
		await handle.close();
	}
}
