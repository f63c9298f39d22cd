// In place of main.tsx's commands in the screen's bundle (see
// noCommandsOnTheScreen in bundle.mjs): cli.tsx never sends a command line
// with a verb there. Reaching this is a bug in that choice, said plainly.
throw new Error('a command ran from the screen\'s bundle (dist/screen.js), which has none: see src/opens-the-screen.ts');
