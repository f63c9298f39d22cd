// Types for scripts/ansi-tokenize-fast.mjs (the same as the package's).
export * from '@alcalzone/ansi-tokenize';
