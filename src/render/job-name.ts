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

/** Jenkins compares item names case-insensitively (at the root; folders too, until a restart). */
export function nameKey(fullName: string): string {
  return fullName.toLowerCase();
}
