// answerphone completion bash|zsh: a shell script that completes the verbs,
// each verb's flags, and the message ids and mailbox names of the store named
// on the line. The verbs and their flags are static, written into the script
// from one table, so a Tab costs nothing; ids and names come from the store
// at Tab time, through `answerphone completion ids|erased|names`.
import {existsSync} from 'node:fs';
import {knownPlayers} from '../audio/speaker.js';
import {everyone} from '../tape/message.js';
import {openTape, UsageError, type StoreOptions} from './context.js';

export type CompletionOptions = StoreOptions & {
	/** Housemates named in the config file, besides those named in the store. */
	housemates: string[];
};

/** The flag definitions the command line is parsed with (cli.tsx's), so the script offers exactly what the parser takes. */
export type FlagSpec = Readonly<Record<string, {readonly type: 'string' | 'boolean'; readonly short?: string}>>;

/** What a word can be: a store lookup, a path, or a fixed list. */
export type Candidates = 'ids' | 'erased' | 'names' | 'files' | 'dirs' | readonly string[];

type VerbCompletion = {
	readonly flags: readonly string[];
	/** The arguments in order. */
	readonly args?: readonly Candidates[];
	/** Every further argument (the verbs that take several ids). */
	readonly rest?: Candidates;
};

/** Every verb takes these. */
const everyVerbFlags = ['store', 'help'];

/** The one table of verbs, their flags and their arguments, in the order --help lists them. */
export const verbs: Readonly<Record<string, VerbCompletion>> = {
	record: {flags: ['input', 'for', 'from', 'quick', 'silence', 'silence-threshold', 'recorder', 'device', 'player']},
	play: {flags: ['next', 'player'], args: ['ids']},
	list: {flags: ['for', 'new', 'json']},
	status: {flags: ['json']},
	mark: {flags: ['heard', 'new'], rest: 'ids'},
	erase: {flags: ['yes'], rest: 'ids'},
	restore: {flags: [], rest: 'erased'},
	keep: {flags: ['off'], rest: 'ids'},
	export: {flags: [], args: ['ids', 'files']},
	settings: {flags: ['tape', 'max-message', 'min-message', 'repair', 'yes']},
	greeting: {flags: ['player', 'recorder', 'device'], args: [['record', 'play', 'reset']]},
	mailbox: {flags: ['json'], args: [['add', 'remove', 'list'], 'names']},
	doctor: {flags: ['player', 'recorder', 'device']},
	completion: {flags: [], args: [['bash', 'zsh']]},
};

/** What the value of a flag can be; a flag that takes a value and is not here gets no suggestions (a duration, a level). */
const flagValues: Readonly<Record<string, Candidates>> = {
	store: 'dirs',
	input: 'files',
	for: 'names',
	from: 'names',
	player: knownPlayers,
	recorder: ['sox', 'rec', 'arecord'],
};

/** Tab-time lookups: what `answerphone completion KIND` prints. */
const lookups = ['ids', 'erased', 'names'] as const;

/** The flags of a verb as typed (--json), only those the parser knows; no verb: the ones before any verb. */
export function verbFlags(verb: string | undefined, spec: FlagSpec): string[] {
	const names = verb === undefined ? [...everyVerbFlags, 'version'] : [...verbs[verb]!.flags, ...everyVerbFlags];
	return names.filter(name => spec[name] !== undefined).map(name => `--${name}`);
}

/** Every spelling of the flags that take a value (--store, and -i for --input), which the walk must step over. */
function valueFlags(spec: FlagSpec): string[] {
	return Object.entries(spec).filter(([, flag]) => flag.type === 'string')
		.flatMap(([name, flag]) => [`--${name}`, ...(flag.short ? [`-${flag.short}`] : [])]);
}

function spellings(name: string, spec: FlagSpec): string[] {
	const short = spec[name]?.short;
	return [`--${name}`, ...(short ? [`-${short}`] : [])];
}

/** A word list for the shell's own quoting: only the plain names this table holds, checked rather than escaped. */
function wordList(words: readonly string[]): string {
	for (const word of words) {
		if (!/^[\w.-]+$/.test(word)) {
			throw new Error(`completion: "${word}" is not a plain word`);
		}
	}

	return words.join(' ');
}

/** The bash for one kind of candidates, filling COMPREPLY from $cur. */
function bashCandidates(candidates: Candidates): string {
	if (typeof candidates !== 'string') {
		return `COMPREPLY=($(compgen -W '${wordList(candidates)}' -- "$cur"))`;
	}

	switch (candidates) {
		case 'files': {
			return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))';
		}

		case 'dirs': {
			return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur"))';
		}

		default: {
			return `COMPREPLY=($(compgen -W "$("$program" completion ${candidates} "\${store[@]}" 2>/dev/null)" -- "$cur"))`;
		}
	}
}

export function bashScript(spec: FlagSpec): string {
	const valueArms = Object.entries(flagValues).filter(([name]) => spec[name]?.type === 'string')
		.map(([name, candidates]) => `\t\t${spellings(name, spec).join('|')}) ${bashCandidates(candidates)}; return ;;`);
	const flagArms = [
		`\t\t\t'') words='${wordList(verbFlags(undefined, spec))}' ;;`,
		...Object.keys(verbs).map(verb => `\t\t\t${verb}) words='${wordList(verbFlags(verb, spec))}' ;;`),
	];
	const argumentArms = Object.entries(verbs).filter(([, verb]) => verb.args ?? verb.rest).map(([name, verb]) => {
		const places = (verb.args ?? []).map((candidates, index) => `\t\t\t\t${index}) ${bashCandidates(candidates)} ;;`);
		const rest = verb.rest ? [`\t\t\t\t*) ${bashCandidates(verb.rest)} ;;`] : [];
		return [`\t\t${name})`, '\t\t\tcase $position in', ...places, ...rest, '\t\t\tesac ;;'].join('\n');
	});
	return `# answerphone completion for bash: eval "$(answerphone completion bash)" in ~/.bashrc
_answerphone() {
	local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
	local program=\${COMP_WORDS[0]} verb= position=0 i word words
	local store=()
	[[ $program == '~/'* ]] && program=$HOME/\${program#'~/'}
	# bash splits --store=DIR into --store, = and DIR.
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]]; then
		prev=\${COMP_WORDS[COMP_CWORD-2]}
	fi

	# The words before the cursor: the verb is the first that is neither a
	# flag nor a flag's value; the ones after it count the arguments.
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=\${COMP_WORDS[i]}
		case $word in
			${valueFlags(spec).join('|')})
				[[ \${COMP_WORDS[i+1]} == = ]] && ((i++))
				if [[ $word == --store ]] && ((i + 1 < COMP_CWORD)); then
					store=(--store "\${COMP_WORDS[i+1]}")
				fi
				((i++)) ;;
			-*|=) ;;
			*) if [[ -z $verb ]]; then verb=$word; else ((position++)); fi ;;
		esac
	done
	[[ \${store[1]} == '~/'* ]] && store[1]=$HOME/\${store[1]#'~/'}

	case $prev in
${valueArms.join('\n')}
		${valueFlags(spec).join('|')}) return ;;
	esac

	if [[ $cur == -* ]]; then
		case $verb in
${flagArms.join('\n')}
			*) return ;;
		esac
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi

	case $verb in
		'') COMPREPLY=($(compgen -W '${wordList(Object.keys(verbs))}' -- "$cur")) ;;
${argumentArms.join('\n')}
	esac
}
complete -F _answerphone answerphone
`;
}

/** The zsh for one kind of candidates. */
function zshCandidates(candidates: Candidates): string {
	if (typeof candidates !== 'string') {
		return `compadd -- ${wordList(candidates)}`;
	}

	switch (candidates) {
		case 'files': {
			return '_files';
		}

		case 'dirs': {
			return '_files -/';
		}

		default: {
			return `compadd -- \${(f)"$("$program" completion ${candidates} $store 2>/dev/null)"}`;
		}
	}
}

export function zshScript(spec: FlagSpec): string {
	const valueArms = Object.entries(flagValues).filter(([name]) => spec[name]?.type === 'string')
		.map(([name, candidates]) => `\t\t${spellings(name, spec).join('|')}) ${zshCandidates(candidates)}; return ;;`);
	const flagArms = [
		`\t\t\t'') compadd -- ${wordList(verbFlags(undefined, spec))} ;;`,
		...Object.keys(verbs).map(verb => `\t\t\t${verb}) compadd -- ${wordList(verbFlags(verb, spec))} ;;`),
	];
	const argumentArms = Object.entries(verbs).filter(([, verb]) => verb.args ?? verb.rest).map(([name, verb]) => {
		const places = (verb.args ?? []).map((candidates, index) => `\t\t\t\t${index}) ${zshCandidates(candidates)} ;;`);
		const rest = verb.rest ? [`\t\t\t\t*) ${zshCandidates(verb.rest)} ;;`] : [];
		return [`\t\t${name})`, '\t\t\tcase $position in', ...places, ...rest, '\t\t\tesac ;;'].join('\n');
	});
	const valueFlagPattern = valueFlags(spec).join('|');
	return `#compdef answerphone
# answerphone completion for zsh: eval "$(answerphone completion zsh)" in ~/.zshrc after compinit,
# or save it as _answerphone in a folder on $fpath.
_answerphone() {
	local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]}
	local program=\${words[1]} verb= position=0 i word
	local -a store
	[[ $program == '~/'* ]] && program=$HOME/\${program#'~/'}

	# The words before the cursor: the verb is the first that is neither a
	# flag nor a flag's value; the ones after it count the arguments.
	for ((i = 2; i < CURRENT; i++)); do
		word=\${words[i]}
		case $word in
			--store=*) store=(--store \${word#--store=}) ;;
			${valueFlagPattern})
				if [[ $word == --store ]] && ((i + 1 < CURRENT)); then
					store=(--store \${words[i+1]})
				fi
				((i++)) ;;
			-*) ;;
			*) if [[ -z $verb ]]; then verb=$word; else ((position++)); fi ;;
		esac
	done
	[[ \${store[2]} == '~/'* ]] && store[2]=$HOME/\${store[2]#'~/'}

	if [[ $cur == --*=* ]]; then
		prev=\${cur%%=*}
		compset -P '*='
	fi

	case $prev in
${valueArms.join('\n')}
		${valueFlagPattern}) return ;;
	esac

	if [[ $cur == -* ]]; then
		case $verb in
${flagArms.join('\n')}
		esac
		return
	fi

	case $verb in
		'') compadd -- ${wordList(Object.keys(verbs))} ;;
${argumentArms.join('\n')}
	esac
}

if [[ $funcstack[1] == _answerphone ]]; then
	_answerphone "$@"
else
	compdef _answerphone answerphone
fi
`;
}

/** answerphone completion bash|zsh, and the lookups the scripts make at Tab time. */
export async function completion(args: string[], options: CompletionOptions, spec: FlagSpec): Promise<void> {
	const [kind, ...rest] = args;
	if (rest.length > 0 || kind === undefined || ![...['bash', 'zsh'], ...lookups].includes(kind)) {
		throw new UsageError('usage: answerphone completion bash|zsh (eval "$(answerphone completion bash)" in ~/.bashrc)');
	}

	if (kind === 'bash' || kind === 'zsh') {
		process.stdout.write(kind === 'bash' ? bashScript(spec) : zshScript(spec));
		return;
	}

	// A Tab must never create a store where there was none.
	if (!existsSync(options.store)) {
		if (kind === 'names') {
			process.stdout.write([everyone, ...options.housemates].join('\n') + '\n');
		}

		return;
	}

	const {messages, bin, mailboxes} = await (await openTape(options)).snapshot({waveforms: false});
	const words = {
		ids: () => messages.map(message => message.id),
		erased: () => bin.map(message => message.id),
		names: () => [...new Set([everyone, ...options.housemates, ...mailboxes])],
	}[kind as typeof lookups[number]]();
	process.stdout.write(words.length > 0 ? words.join('\n') + '\n' : '');
}
