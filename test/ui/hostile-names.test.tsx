// Whatever reaches the screen from the store is drawn harmlessly, even if a
// check upstream were ever missed: a name cannot retitle the terminal, write
// its clipboard, hide a row or forge one.
import {afterEach, expect, it} from 'vitest';
import {MailboxBar} from '../../src/ui/mailbox-bar.js';
import {MessageList} from '../../src/ui/message-list.js';
import {StatusLine} from '../../src/ui/status-line.js';
import {fakeMessage} from '../helpers/messages.js';
import {render, unmountAll} from '../helpers/render.js';

afterEach(async () => {
	await unmountAll();
});

const retitle = '\u001B]0;pwned\u0007';
const clipboard = '\u001B]52;c;cm0gLXJmIH4=\u0007';
const hide = '\u001B[8m';

/** Ink styles with SGR sequences of its own; no other escape (OSC, a hiding SGR 8, C1) may appear. */
function expectNoForeignEscapes(frame: string): void {
	expect(frame).not.toContain('\u001B]');
	expect(frame).not.toContain('\u0007');
	expect(frame).not.toContain(hide);
	expect(frame).not.toContain('\u009B');
}

it('the message list shows names with their controls made visible', async () => {
	const messages = [fakeMessage({from: `jo${retitle}`, for: `sam${clipboard}`}), fakeMessage({from: `a\nb${hide}`})];
	const list = await render(<MessageList messages={messages} selectedId={undefined} playingId={undefined} rows={10} width={100} now={new Date()}/>);
	const frame = list.lastFrame()!;
	expectNoForeignEscapes(frame);
	expect(frame.split('\n')).toHaveLength(2);
	expect(frame).toContain('jo\u241B]0;pw');
});

it('the mailbox bar and the recipient chooser do the same', async () => {
	const bar = await render(<MailboxBar order={['everyone', `sam${retitle}`]} messages={[]} shown={undefined}/>);
	expectNoForeignEscapes(bar.lastFrame()!);
	const chooser = await render(<StatusLine mode={{kind: 'choose-recipient'}} notice={undefined} readLevel={() => undefined} width={100} recipients={[`jo${clipboard}`]} defaultRecipient={`x${hide}`}/>);
	expectNoForeignEscapes(chooser.lastFrame()!);
});

it('a notice quoting a name is drawn harmlessly', async () => {
	const line = await render(<StatusLine mode={{kind: 'idle'}} notice={{text: `No mailbox "${retitle}"`, tone: 'error'}} readLevel={() => undefined} width={100} recipients={[]} defaultRecipient="everyone"/>);
	expectNoForeignEscapes(line.lastFrame()!);
	expect(line.lastFrame()).toContain('No mailbox');
});
