/**
 * Text from outside (job names and logs read from Jenkins or an archive) made safe for a
 * terminal: control characters (escape sequences that move the cursor, retitle the window or
 * rewrite what was printed) are shown as `\u001b` and the like; tabs and newlines stay in logs.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const shown = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One-line text (names): every control character escaped. */
export function printable(s: string): string {
  return s.replace(CONTROLS, shown);
}

/** Multi-line text (logs): line breaks and tabs kept, other controls escaped (`\r` too: no overprinting). */
export function printableLines(s: string): string {
  return s.replace(/\r\n/g, '\n').replace(CONTROLS_BUT_LINES, shown);
}
