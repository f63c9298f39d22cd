// Every key the machine answers to, in one place: the footer, the help screen
// and the key hook all read this table, so none of them can drift.
export type KeyHelp = {keys: string; does: string; footer?: string};

export const keyTable: readonly KeyHelp[] = [
	{keys: 'space / p', does: 'play new messages (oldest first), or the one under the cursor; again to stop', footer: 'space play'},
	{keys: 'n / →', does: 'next message (skips while playing)', footer: 'n next'},
	{keys: '↑ ↓ / k j', does: 'move the cursor'},
	{keys: 'e / Delete', does: 'erase the message (it goes to the undo bin)', footer: 'e erase'},
	{keys: 'u', does: 'undo the last erase', footer: 'u undo'},
	{keys: 'E', does: 'erase all heard messages (asks first)'},
	{keys: 'r', does: 'record a message; r, space or Enter stops and saves', footer: 'r record'},
	{keys: 's / Esc', does: 'stop recording or playing'},
	{keys: '?', does: 'this help', footer: '? help'},
	{keys: 'q', does: 'quit (a recording in progress is saved first)', footer: 'q quit'},
];
