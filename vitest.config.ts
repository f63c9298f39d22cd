import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		testTimeout: 30_000,
		hookTimeout: 30_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'fast',
					// One name for this computer's state files (messages/ID.state.WRITER.json), whatever the host.
					env: {ANSWERPHONE_COMPUTER: 'test-computer'},
					include: ['test/unit/**/*.test.{ts,tsx}', 'test/ui/**/*.test.{ts,tsx}'],
					sequence: {groupOrder: 0},
				},
			},
			{
				// The end-to-end files share one sound server: a speaker and a
				// microphone that every file would hear. They run one at a time,
				// after the fast tests, so none hears another's caller.
				extends: true,
				test: {
					name: 'real',
					include: ['test/e2e/**/*.test.{ts,tsx}'],
					fileParallelism: false,
					testTimeout: 60_000,
					sequence: {groupOrder: 1},
				},
			},
		],
	},
});
