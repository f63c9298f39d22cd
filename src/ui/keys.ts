// Every key the machine answers to, in one place: the footer, the help screen
// and the README's table all follow this list, so none of them can drift.
export type KeyHelp = {keys: string; does: string; footer?: string};

export const keyTable: readonly KeyHelp[] = [
	{keys: 'space / p', does: 'play new messages (oldest first), or the one under the cursor; pause and resume while playing', footer: 'space play'},
	{keys: 'n / →', does: 'next message (skips while playing)', footer: 'n next'},
	{keys: 'b / ←', does: 'back: in a message\'s first 2 seconds the previous one, later this one again', footer: 'b back'},
	{keys: '↑ ↓ / k j', does: 'move the cursor'},
	{keys: 'e / Delete', does: 'erase the message (it goes to the undo bin)', footer: 'e erase'},
	{keys: 'u', does: 'undo the last erase', footer: 'u undo'},
	{keys: 'E', does: 'erase all heard messages shown (asks first; kept ones stay)'},
	{keys: '*', does: 'keep: never overwrite this message (again to unkeep)'},
	{keys: 'r', does: 'record a message (asks who it is for); r, space or Enter stops and saves', footer: 'r record'},
	{keys: 's / Esc', does: 'stop recording or playing'},
	{keys: 'g', does: 'the greeting callers hear first: p play it, r record your own, d back to the built-in one'},
	{keys: 'Tab / 0–9', does: 'show one mailbox: Tab goes round, 1 everyone, 2… housemates, 0 all'},
	{keys: '?', does: 'this help', footer: '? help'},
	{keys: 'q', does: 'quit (a recording in progress is saved first)', footer: 'q quit'},
];
