// Types for scripts/string-width-fast.mjs (the same as string-width's).
export default function fastStringWidth(input: string, options?: {ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean}): number;
