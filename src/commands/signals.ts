// Ctrl-C, kill and a closed terminal all reach a command as signals. While a
// command records or plays, each of them is turned into its own ending (save
// the message, stop the player, cancel the import) instead of a sudden exit
// that would leave a player sounding or a recording half-placed.
const endingSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function whileHandlingSignals<T>(work: () => Promise<T>, onSignal: () => void): Promise<T> {
	for (const signal of endingSignals) {
		process.on(signal, onSignal);
	}

	try {
		return await work();
	} finally {
		for (const signal of endingSignals) {
			process.off(signal, onSignal);
		}
	}
}
