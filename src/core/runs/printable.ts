// Text from files (run names, class names, file names, parse errors quoting a file) made safe to print:
// control characters and bidirectional overrides become visible escapes, so a crafted run.json cannot
// move a terminal's cursor, recolour it, or make one name read as another.

// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI on some terminals), bidirectional embeddings,
// overrides and isolates, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above
const UNSAFE_KEEPING_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of text with every control character shown as an escape (`\x1b`, `\n`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Like `printable`, but line breaks and tabs stay (for multi-line messages). */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_KEEPING_LINES, escape);
}

/**
 * JSON for a terminal or a log: JSON.stringify escapes C0 controls already; this also escapes DEL, C1
 * controls and bidirectional overrides (as \uXXXX, so the output is still the same JSON value).
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
