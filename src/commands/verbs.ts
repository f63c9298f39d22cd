// The one table of verbs and the flags each takes, in the order --help lists
// them. The command line refuses a flag its verb does not take (options.ts),
// and the Tab completion offers exactly these (completion.ts): one list, so
// the two never disagree. No imports, so the command line reads it without
// loading any command.

/** What a word can be: a store lookup, a path, or a fixed list. */
export type Candidates = 'ids' | 'erased' | 'names' | 'files' | 'dirs' | readonly string[];

export type VerbCompletion = {
	readonly flags: readonly string[];
	/** The arguments in order. */
	readonly args?: readonly Candidates[];
	/** Every further argument (the verbs that take several ids). */
	readonly rest?: Candidates;
};

/** Every verb takes these. */
export const everyVerbFlags: readonly string[] = ['store', 'as', 'help'];

export const verbs: Readonly<Record<string, VerbCompletion>> = {
	record: {flags: ['input', 'for', 'from', 'quick', 'silence', 'silence-threshold', 'recorder', 'device', 'player']},
	play: {flags: ['next', 'player', 'speed', 'volume'], args: ['ids']},
	list: {flags: ['for', 'new', 'json']},
	status: {flags: ['json', 'login']},
	mark: {flags: ['heard', 'new'], rest: 'ids'},
	erase: {flags: ['bin', 'yes'], rest: 'ids'},
	restore: {flags: [], rest: 'erased'},
	keep: {flags: ['off'], rest: 'ids'},
	export: {flags: [], args: ['ids', 'files']},
	settings: {flags: ['tape', 'max-message', 'min-message', 'repair', 'yes', 'json']},
	greeting: {flags: ['player', 'recorder', 'device'], args: [['record', 'play', 'reset']]},
	mailbox: {flags: ['json'], args: [['add', 'remove', 'list'], 'names']},
	doctor: {flags: ['player', 'recorder', 'device']},
	setup: {flags: ['household', 'shared-folder', 'group', 'login-hook']},
	completion: {flags: [], args: [['bash', 'zsh']]},
};

/** The machine on the screen (no verb): it records and plays, so it takes the sound and recording flags. */
export const machineFlags: readonly string[] = ['from', 'quick', 'silence', 'silence-threshold', 'recorder', 'device', 'player'];
