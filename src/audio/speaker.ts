// The real speaker: the OS's own player through play-sound.
import createPlayer from 'play-sound';
import {spawn, type ChildProcess} from 'node:child_process';
import {installAdvice, findProgram} from './programs.js';
import {isPlain, type Availability, type PlayAdjust, type Playback, type Speaker} from './ports.js';
import {readWavInfo} from '../pcm/wav.js';

/** WAV-capable players in order of preference; mp3-only players are left out. */
export const knownPlayers = ['paplay', 'pw-play', 'aplay', 'play', 'afplay', 'ffplay'] as const;

const playerArgs: Record<string, string[]> = {
	aplay: ['-q'],
	play: ['-q'],
	ffplay: ['-nodisp', '-autoexit', '-loglevel', 'quiet'],
};

// Players keep playing when their parent dies, so every child is tracked and
// killed when we exit, however we exit.
const playing = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllPlayers(): void {
	for (const child of playing) {
		child.kill('SIGKILL');
	}

	playing.clear();
}

function installExitHook(): void {
	if (exitHookInstalled) {
		return;
	}

	exitHookInstalled = true;
	process.on('exit', killAllPlayers);
}

/**
 * SoX's play with its effects: trim to start at a position, tempo to change
 * the speed without the pitch (-s: tuned for speech), vol for the loudness.
 * Used only when one of them is asked for; the plain player does the rest.
 */
export function adjustedPlayArgs(file: string, adjust: PlayAdjust): string[] {
	const startMs = Math.max(0, adjust.startMs ?? 0);
	const speed = adjust.speed ?? 1;
	const volume = adjust.volume ?? 100;
	return [
		'-q', file,
		...(startMs > 0 ? ['trim', (startMs / 1000).toFixed(3)] : []),
		...(speed === 1 ? [] : ['tempo', '-s', String(speed)]),
		...(volume === 100 ? [] : ['vol', (volume / 100).toFixed(2)]),
	];
}

export function systemSpeaker(options: {player?: string} = {}): Speaker {
	const program = options.player ?? knownPlayers.find(name => findProgram(name));
	// play-sound looks for its player when constructed, so construct it once.
	const player = program && findProgram(program) ? createPlayer({player: program as never}) : undefined;
	return {
		check(): Availability {
			if (player && program) {
				return {ok: true, program};
			}

			return {
				ok: false,
				reason: options.player
					// Missing programs always come with the line that installs one.
					? `cannot play: ${options.player} is not installed (${installAdvice('player')})`
					: `cannot play: no audio player found (${installAdvice('player')})`,
			};
		},
		play(file, adjust) {
			let child: ChildProcess | undefined;
			let stopped = false;
			const follow = (started: ChildProcess, name: string) => new Promise<Awaited<Playback['done']>>(resolve => {
				child = started;
				playing.add(started);
				started.on('error', error => {
					playing.delete(started);
					resolve({status: 'failed', reason: `cannot play: ${error.message}`});
				});
				started.on('close', code => {
					playing.delete(started);
					if (stopped) {
						resolve({status: 'stopped'});
					} else if (code === 0) {
						resolve({status: 'finished'});
					} else {
						resolve({status: 'failed', reason: `${name} failed (exit code ${code ?? 'none'})`});
					}
				});
			});

			// A change of speed, volume or place restarts the player, and must be
			// heard within 300 ms: SoX starts at once, in this call, with no look
			// at the file first (SoX reads the header itself and refuses what is
			// not sound, unlike aplay). Waiting for that look let a whole frame of
			// the screen be drawn first: 140 ms under load.
			const sox = isPlain(adjust) ? undefined : findProgram('play');
			if (!isPlain(adjust)) {
				installExitHook();
				const done = sox
					? follow(spawn(sox, adjustedPlayArgs(file, adjust!), {stdio: 'ignore'}), 'play')
					: Promise.resolve({status: 'failed' as const, reason: `cannot change the speed, volume or position: SoX's play is not installed (${installAdvice('recorder')})`});
				return handle(done);
			}

			const done = (async () => {
				if (!player || !program) {
					return {status: 'failed' as const, reason: 'no audio player found'};
				}

				// aplay plays anything as noise and exits 0: check the file first.
				try {
					const info = await readWavInfo(file);
					if (info.dataBytes === 0) {
						return {status: 'failed' as const, reason: 'the message has no sound in it'};
					}
				} catch (error) {
					return {status: 'failed' as const, reason: `cannot play ${file}: ${(error as Error).message}`};
				}

				if (stopped) {
					return {status: 'stopped' as const};
				}

				installExitHook();
				// play-sound overwrites options.stdio, so it gets a fresh object each time.
				return follow(player.play(file, {[program]: playerArgs[program] ?? []}, () => undefined) as ChildProcess, program);
			})();
			return handle(done);

			function handle(done: Playback['done']): Playback {
				return {
					done,
					stop() {
						stopped = true;
						// A paused player must be woken to hear its SIGTERM.
						child?.kill('SIGCONT');
						child?.kill('SIGTERM');
					},
					pause() {
						child?.kill('SIGSTOP');
					},
					resume() {
						child?.kill('SIGCONT');
					},
				};
			}
		},
	};
}

export {killAllPlayers};
