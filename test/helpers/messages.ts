import type {Message} from '../../src/tape/message.js';

let counter = 0;

/** A message as the store would list it, for tests that never touch disk. */
export function fakeMessage(overrides: Partial<Message> = {}): Message {
	counter += 1;
	const id = overrides.id ?? `20261127-0900${String(counter % 100).padStart(2, '0')}-000-aaaaa${'abcdefghijklmnopqrstuvwxyz'[counter % 26]}`;
	return {
		id,
		for: 'everyone',
		from: 'jo',
		createdAt: new Date(Date.UTC(2026, 10, 27, 9, 0, counter)).toISOString(),
		durationMs: 5000,
		heard: false,
		keep: false,
		recovered: false,
		erasedAt: null,
		waveform: [1, 3, 5, 7, 5, 3, 1],
		heardMarks: {},
		file: `/store/messages/${id}.wav`,
		...overrides,
	};
}
