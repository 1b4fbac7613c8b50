/** Jenkins name rules (`Jenkins.checkGoodName`) and URL encoding (`Util.rawEncode`). */

const UNSAFE = new Set(['?', '*', '/', '\\', '%', '!', '@', '#', '$', '^', '&', '|', '<', '>', '[', ']', ':', ';']);

function isIsoControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** Returns the Failure message Jenkins gives, or null when the name is good. */
export function checkGoodName(name: string | undefined | null): string | null {
  if (name == null || name === '') return 'No name is specified';
  const t = javaTrim(name);
  if (t === '.') return '\u201c.\u201d is not an allowed name';
  if (t === '..') return '\u201c..\u201d is not an allowed name';
  for (let k = 0; k < name.length; k++) {
    const ch = name[k]!;
    const code = name.charCodeAt(k);
    if (isIsoControl(code)) {
      let shown = '';
      for (let j = 0; j < name.length; j++) {
        const cj = name.charCodeAt(j);
        shown += isIsoControl(cj) ? `\\u${cj};` : name[j];
      }
      return `No control code is allowed: ${shown}`;
    }
    if (UNSAFE.has(ch)) return `\u2018${ch}\u2019 is an unsafe character`;
  }
  if (t.endsWith('.')) return 'A name cannot end with \u2018.\u2019';
  return null;
}

/** Java's String.trim(): strips chars <= U+0020 at both ends. */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

const RAW_SAFE = /[A-Za-z0-9!$&'()*+,\-.=@_]/;
/** `Util.rawEncode`: percent-encode everything but a small safe set (UTF-8, uppercase hex). */
export function rawEncode(s: string): string {
  if (/^[A-Za-z0-9\-._]*$/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    if (RAW_SAFE.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Longest name (UTF-8 bytes) the stand-in stores; a directory name longer than this fails like on disk. */
export const MAX_NAME_BYTES = 255;

/**
 * A last line of defence before a name becomes a directory: names that passed checkGoodName never
 * fail this, but the store checks anyway.
 */
export function isSafeDirName(name: string): boolean {
  if (name === '' || name === '.' || name === '..') return false;
  if (/[\/\\\u0000]/.test(name)) return false;
  return name.length * 3 <= MAX_NAME_BYTES || Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES;
}

/**
 * Header values are written byte-per-char (Latin-1) by Jetty; characters above U+00FF become `?`
 * (Jetty 12.1) or a space (older Jetty). Control characters are replaced too so the header stays valid.
 */
export function latin1Header(s: string, replacement = '?'): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c > 0xff) out += replacement;
    else if ((c < 0x20 && c !== 0x09) || c === 0x7f) out += replacement;
    else out += ch;
  }
  return out;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#039;');
}
