/**
 * How the counter blinks while a message is new. A module of its own, without
 * Ink, so that reading the options does not load the screen.
 *
 * redraw: a timer draws and erases the digits about once a second by
 * rewriting only the counter's cells on the terminal (not an Ink frame), so
 * it blinks in every terminal at almost no cost.
 * terminal: the terminal's own blinking text (SGR 5), which costs nothing
 * but which kitty, Alacritty, iTerm2 and Zed show steady.
 * off: never blinks, for people for whom blinking is a problem: while a
 * message is new the digits are drawn in reverse video instead.
 */
export const blinkModes = ['redraw', 'terminal', 'off'] as const;
export type BlinkMode = typeof blinkModes[number];
