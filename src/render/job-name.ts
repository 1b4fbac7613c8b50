/**
 * Jenkins' own item-name rules (`Jenkins.checkGoodName`, jenkins-api.md §3), so render refuses what
 * Jenkins would refuse. Returns Jenkins' message, or undefined when the name is fine.
 */
const UNSAFE = new Set(['?', '*', '/', '\\', '%', '!', '@', '#', '$', '^', '&', '|', '<', '>', '[', ']', ':', ';']);

const BAD_CHAR = /[\u0000-\u001f\u007f-\u009f?*/\\%!@#$^&|<>[\]:;]/;
const PLAIN_OK = /^[^\s.\u0000-\u001f\u007f-\u009f?*/\\%!@#$^&|<>[\]:;][^\u0000-\u001f\u007f-\u009f?*/\\%!@#$^&|<>[\]:;]*[^\s.\u0000-\u001f\u007f-\u009f?*/\\%!@#$^&|<>[\]:;]$/;

export function checkGoodName(name: string): string | undefined {
  // Fast path for the usual name: no bad character, no surrounding space, no trailing dot.
  if (PLAIN_OK.test(name)) return undefined;
  if (name === '') return 'No name is specified';
  const trimmed = name.trim();
  if (trimmed === '.' || trimmed === '..') return `“${trimmed}” is not an allowed name`;
  if (!BAD_CHAR.test(name)) {
    if (trimmed.endsWith('.')) return 'A name cannot end with ‘.’';
    if (trimmed !== name) return 'A name cannot start or end with whitespace (Jenkins trims it)';
    return undefined;
  }
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) {
      return `No control code is allowed: ${name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (x) => `\\u${x.charCodeAt(0)};`)}`;
    }
    if (UNSAFE.has(ch)) return `‘${ch}’ is an unsafe character`;
  }
  if (trimmed.endsWith('.')) return 'A name cannot end with ‘.’';
  if (trimmed !== name) return 'A name cannot start or end with whitespace (Jenkins trims it)';
  return undefined;
}

/** The longest item name Jenkins can store: each item is a directory of that name (file systems allow 255 bytes). */
export const MAX_ITEM_NAME_BYTES = 255;

/**
 * An item's name (job, folder): Jenkins' rules (`checkGoodName`), and what its store needs. Jenkins
 * does not check the length itself: a longer name fails when the directory is made (HTTP 500), so it
 * is refused here. Views have no directory and are checked with `checkGoodName` alone.
 */
export function checkItemName(name: string): string | undefined {
  const bad = checkGoodName(name);
  if (bad) return bad;
  if (name.length * 3 > MAX_ITEM_NAME_BYTES) {
    const bytes = new TextEncoder().encode(name).length;
    if (bytes > MAX_ITEM_NAME_BYTES) return `the name is ${bytes} bytes of UTF-8; Jenkins keeps each item in a directory of that name, and a directory name has at most ${MAX_ITEM_NAME_BYTES} bytes`;
  }
  return undefined;
}

/** Jenkins compares item names case-insensitively (at the root; folders too, until a restart). */
export function nameKey(fullName: string): string {
  return fullName.toLowerCase();
}
