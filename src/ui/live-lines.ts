// Lines that change many times a second (the level meter, the turning reels)
// are rewritten in place on the terminal, without asking Ink for a frame.
// Ink redraws the whole screen for any change, which costs 15 ms of CPU a
// frame on a small computer: at the meter's 12 updates a second that alone
// was 15% of a core while recording. Ink stays in charge of everything
// else: its next frame simply draws over what was written here.
import type {WriteStream} from 'node:tty';

// Ink erases its last frame before writing the next: "erase line" and
// "cursor up" pairs, then "cursor to column 1".
// eslint-disable-next-line no-control-regex -- these are the terminal's escape sequences
const erasePrefix = /^(?:\u001B\[2K(?:\u001B\[1A)?)*(?:\u001B\[G)?/;
// eslint-disable-next-line no-control-regex -- the same
const ansi = /\u001B\[[\d;?]*[A-Za-z]/g;

export class LiveLines {
	/** The stream to give Ink: it writes through, and remembers the last frame. */
	readonly stream: WriteStream;
	private frame: string[] = [];
	private plain: string[] | undefined;
	/** The cells paint() last wrote over the current frame, by the frame's rows. */
	private painted: {top: number; column: number; cells: string[]} | undefined;
	private cursorRow = 0;

	/**
	 * transform: applied to everything written, after it is remembered (the
	 * ASCII stand-ins of a console without the glyphs; one for one, so the
	 * columns stay).
	 */
	constructor(private readonly stdout: WriteStream, private readonly transform: (text: string) => string = text => text) {
		const proxy = Object.create(stdout) as WriteStream;
		proxy.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
			if (typeof chunk === 'string') {
				const frame = this.remember(chunk);
				return (stdout.write as (...args: unknown[]) => boolean)(this.transform(frame && this.clearing ? this.clearFor(chunk) : chunk), ...rest);
			}

			return (stdout.write as (...args: unknown[]) => boolean)(chunk, ...rest);
		}) as WriteStream['write'];
		this.stream = proxy;
		// The terminal rewraps the old frame's lines when it narrows (tmux, most
		// emulators), and Ink draws once more at the old width before the screen
		// has laid itself out for the new one: Ink, erasing as many lines as it
		// drew, would leave the rest above the new frame. So after a narrowing,
		// each frame clears the screen first, until one fits the new width.
		let columns = stdout.columns;
		stdout.on('resize', () => {
			if (stdout.columns < columns) {
				this.clearing = true;
			}

			columns = stdout.columns;
		});
	}

	/** Whether the frames since the terminal narrowed are still wider than it. */
	private clearing = false;

	/** chunk (a frame) drawn on a cleared screen, from its top; clearing stops once a frame fits. */
	private clearFor(chunk: string): string {
		const width = this.stdout.columns || Number.POSITIVE_INFINITY;
		if (this.frame.every(line => [...line.replaceAll(ansi, '')].length <= width)) {
			this.clearing = false;
		}

		return `\u001B[H\u001B[2J${chunk}`;
	}

	/**
	 * Rewrites the first line of the current frame that matches, with what
	 * make() returns (given that line as Ink drew it, styles included).
	 * Returns false when there is no such line on screen.
	 */
	rewrite(matches: (plain: string) => boolean, make: (drawn: string) => string): boolean {
		const row = this.frame.findIndex(line => matches(line.replaceAll(ansi, '')));
		if (row < 0) {
			return false;
		}

		const up = this.cursorRow - row;
		// Save the cursor, go up to the line, write it, come back: Ink's idea of
		// where its frame is stays true.
		this.stdout.write(this.transform(`\u001B7${up > 0 ? `\u001B[${up}A` : ''}\r${make(this.frame[row]!)}\u001B[K${this.paintedOn(row)}\u001B8`));
		return true;
	}

	/**
	 * Rewrites cells in place, leaving the rest of their lines as they are:
	 * finds the first lines of the current frame that show texts[0],
	 * texts[1]… one under the other at the same column, and writes make(row)
	 * over each (as wide as that text; styles are reset after it). Returns
	 * false when they are not on screen. The column is counted in characters,
	 * so only what has plain ASCII before it is found.
	 */
	paint(texts: readonly string[], make: (row: number, drawn: string) => string): boolean {
		// Worked out once a frame, not on every tick of a blink.
		this.plain ??= this.frame.map(line => line.replaceAll(ansi, ''));
		const {plain} = this;
		const screenRows = this.stdout.rows || Number.POSITIVE_INFINITY;
		for (let top = 0; top + texts.length <= plain.length; top++) {
			const column = plain[top]!.indexOf(texts[0]!);
			const fits = column >= 0 && /^[ -~]*$/.test(plain[top]!.slice(0, column))
				&& texts.every((text, row) => plain[top + row]!.startsWith(text, column));
			if (!fits) {
				continue;
			}

			const up = this.cursorRow - top;
			// A line scrolled off the top cannot be reached: the cursor would stop at
			// the first row and paint over another line.
			if (up < 0 || up >= screenRows) {
				return false;
			}

			const cells = texts.map((_, row) => make(row, this.frame[top + row]!));
			this.painted = {top, column, cells};
			const rows = cells.map((_, row) => this.paintedOn(top + row));
			// Cursor down (not a newline, which could scroll) between the rows.
			this.stdout.write(this.transform(`\u001B7${up > 0 ? `\u001B[${up}A` : ''}${rows.join('\u001B[1B')}\u001B8`));
			return true;
		}

		return false;
	}

	/**
	 * The painted cells on a line, to write again after the line is rewritten
	 * whole: the turning reels share a line with the blinking counter, which
	 * must not light up with every turn.
	 */
	private paintedOn(row: number): string {
		const painted = this.painted;
		const cells = painted?.cells[row - painted.top];
		if (!painted || cells === undefined) {
			return '';
		}

		return `\r${painted.column > 0 ? `\u001B[${painted.column}C` : ''}${cells}\u001B[0m`;
	}

	/** Takes note of a frame; true when chunk was one. */
	private remember(chunk: string): boolean {
		const body = chunk.replace(erasePrefix, '');
		// Only a frame has lines; the cursor and synchronisation codes Ink also
		// writes do not.
		if (!body.includes('\n')) {
			return false;
		}

		const lines = body.split('\n');
		if (body.endsWith('\n')) {
			lines.pop();
			this.cursorRow = lines.length;
		} else {
			this.cursorRow = lines.length - 1;
		}

		this.frame = lines;
		this.plain = undefined;
		// Ink's new frame drew over them.
		this.painted = undefined;
		return true;
	}
}
