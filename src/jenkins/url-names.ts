/**
 * Jenkins item and view names in URLs, encoded segment by segment exactly like Jenkins'
 * `hudson.Util.rawEncode`: alphanumerics and `! $ & ' ( ) * + , - . = @ _` stay as they are;
 * everything else (space, `"#%/:;<>?[\]^` backtick `{|}~`, control characters, non-ASCII as UTF-8)
 * becomes `%XX` with uppercase hex. `+` is a literal plus in a path.
 */

const SAFE = new Uint8Array(128);
for (const c of "!$&'()*+,-.=@_") SAFE[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) SAFE[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) SAFE[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) SAFE[c] = 1;

const HEX = '0123456789ABCDEF';

export function rawEncode(segment: string): string {
  let out = '';
  let plainFrom = 0;
  let i = 0;
  for (; i < segment.length; i++) {
    const code = segment.charCodeAt(i);
    if (code < 128 && SAFE[code] === 1) continue;
    out += segment.slice(plainFrom, i);
    // Encode the whole code point (a surrogate pair is one character) as UTF-8.
    const cp = segment.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    for (const b of Buffer.from(ch, 'utf8')) out += '%' + HEX[b >> 4] + HEX[b & 15];
    if (cp > 0xffff) i++;
    plainFrom = i + 1;
  }
  return out + segment.slice(plainFrom);
}

/** Why a full name cannot be turned into a URL path (empty segment, `.`/`..`), or undefined. */
export function badFullName(fullName: string): string | undefined {
  if (fullName === '') return 'the name is empty';
  for (const seg of fullName.split('/')) {
    if (seg === '') return `"${fullName}" has an empty path segment`;
    if (seg.trim() === '.' || seg.trim() === '..') return `"${fullName}" contains the segment "${seg}"`;
  }
  return undefined;
}

/** `a/b/c` → `['a','b','c']`; `''` → `[]`. */
export function splitFullName(fullName: string): string[] {
  return fullName === '' ? [] : fullName.split('/');
}

/** Parent folder and short name of a full name: `a/b/c` → `{ parent: 'a/b', name: 'c' }`. */
export function parentAndName(fullName: string): { parent: string; name: string } {
  const i = fullName.lastIndexOf('/');
  return i < 0 ? { parent: '', name: fullName } : { parent: fullName.slice(0, i), name: fullName.slice(i + 1) };
}

/** `a/b` → `job/a/job/b/`; `''` (the root) → `''`. Always ends with `/` unless empty. */
export function itemPath(fullName: string): string {
  return splitFullName(fullName)
    .map((s) => `job/${rawEncode(s)}/`)
    .join('');
}

/** A view in a folder (or the root): `job/F/view/V/`. */
export function viewPath(view: string, folder = ''): string {
  return `${itemPath(folder)}view/${rawEncode(view)}/`;
}

/** Query string from pairs, values encoded with encodeURIComponent (form-style query). */
export function query(params: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
