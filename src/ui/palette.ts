// The screen's colours, chosen in one place. Only the 16 colours every colour
// terminal has (no 256-colour or truecolor shades, which a 16-colour terminal
// rounds to whatever is nearest), and for words only what reads on a dark
// and a light background alike: yellow, cyan, green and gray letters all but
// vanish on white, and blue on black. Yellow and green stay for what is not
// read (blocks, reels, the meter) and as a background behind black letters.
// Meaning never rests on colour alone: every coloured word also says it.

type Style = {color?: string; backgroundColor?: string};

/** Colours of letters: readable on black and on white. */
export const textColors = {
	/** Keys to press, in the footer, the help and the prompts. */
	key: 'blueBright',
	/** New messages, recording, errors. */
	alert: 'red',
} as const;

/** Words that warn or ask: black on yellow, whatever the terminal's background. */
export const warnStyle: Style = {color: 'black', backgroundColor: 'yellow'};
/** Words for "playing": black on green. */
export const goodStyle: Style = {color: 'black', backgroundColor: 'green'};

/** Colours of what is drawn, not read. */
export const graphicColors = {
	recording: 'red',
	playing: 'green',
	waveform: 'cyan',
	meter: 'green',
} as const;

/** The same styles as SGR parameters, for lines rewritten in place without Ink. */
export const sgr = {alert: '1;31', warn: '30;43', good: '1;30;42', meter: '32', dim: '2'} as const;
