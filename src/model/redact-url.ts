/**
 * Credentials never reach output or logs: every URL jobsmith prints (a Jenkins URL, a repository
 * in `branches.repo`, a proxy, a git remote) goes through here. Two kinds of secret are hidden:
 * user info (`https://user:token@host/` -> `https://***@host/`) and secret-like query values
 * (`?token=abc`, `private_token=`, `X-Amz-Signature=`, `password=`, ... -> `token=***`).
 * The one home of URL redaction (the Jenkins client adds its known secrets on top: src/jenkins/redact.ts).
 */

/** Query parameter names whose values are secrets. */
const SECRET_NAME = /(?:^|[-_.])(?:token|secret|passw(?:or)?d|pwd|pass|key|apikey|sig|signature|auth|authorization|credentials?|session(?:id)?|jwt|code)$|token|secret|password/i;

export function isSecretParam(name: string): boolean {
  return SECRET_NAME.test(name);
}

const QUERY_PAIR = /([?&;])([^=&;#\s'"<>]+)=([^&;#\s'"<>]*)/g;
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]*@/i;

function redactQuery(text: string): string {
  return text.replace(QUERY_PAIR, (all, sep: string, name: string, value: string) => (value !== '' && isSecretParam(decodeSafe(name)) ? `${sep}${name}=***` : all));
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** One URL (valid or not): user info and secret query values hidden, everything else as written. */
export function redactUrl(url: string): string {
  return redactQuery(url.replace(USER_INFO, '$1***@'));
}

/**
 * Known secret values (an API token, a password) are masked in free text only as whole values of
 * at least this many characters: never inside a longer word or name (letters, digits, `_`, `-`
 * around it: a password `pipeline` leaves the job `web-pipeline-trunk` alone; a token `tok` must not turn "API
 * token" into "API ***en"), and not at all when shorter (such a value is hidden only where it
 * stands as a credential: URL user info `user:pw@`, a secret query value, an Authorization header).
 */
export const MIN_MASKED_SECRET_LENGTH = 6;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A matcher for each secret (longest first, so `user:token` goes before `token`) as a whole value. */
export function secretMatchers(secrets: Iterable<string>): RegExp[] {
  const all = [...new Set(secrets)].filter((s) => s.length >= MIN_MASKED_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return all.map((s) => new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(s)}(?![A-Za-z0-9_-])`, 'g'));
}

/** `text` with every whole occurrence of the matchers' secrets replaced by `***`. */
export function maskSecretValues(text: string, matchers: readonly RegExp[]): string {
  let out = text;
  for (const m of matchers) out = out.replace(m, '***');
  return out;
}

/** The secrets a URL carries: its user info (masked where followed by `@`), and its password and secret query values (whole values). */
function secretsOf(url: string): { userInfo?: string; values: string[] } {
  const values = new Set<string>();
  let userInfo: string | undefined;
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\s@]*)@/i.exec(url);
  if (m && m[1]) {
    userInfo = m[1];
    const pass = m[1].split(':').slice(1).join(':');
    if (pass) values.add(pass);
  }
  for (const [, , name, value] of url.matchAll(QUERY_PAIR)) if (value && isSecretParam(decodeSafe(name!))) values.add(value);
  for (const s of [...values]) values.add(decodeSafe(s));
  return { ...(userInfo !== undefined ? { userInfo } : {}), values: [...values] };
}

const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;

/**
 * Names of the secret-like query parameters with a value in the URLs of a text (`?private_token=x`
 * -> `private_token`): the same rule that hides them in output, so what is redacted when printed
 * is also refused where it would be committed or sent to Jenkins (src/form/package-spec.ts).
 */
export function secretQueryParams(text: string): string[] {
  const out = new Set<string>();
  for (const [u] of text.matchAll(URL_IN_TEXT)) {
    for (const [, , name, value] of u.matchAll(QUERY_PAIR)) if (value && isSecretParam(decodeSafe(name!))) out.add(decodeSafe(name!));
  }
  return [...out];
}

/**
 * Every URL inside a free text (a git or svn client's error output, a message): redacted. The
 * secrets of `knownUrls` are also hidden wherever they appear (git quotes a repository as a path,
 * without its scheme).
 */
export function redactUrlsInText(text: string, ...knownUrls: ReadonlyArray<string | undefined>): string {
  let out = String(text);
  for (const u of knownUrls) {
    if (!u) continue;
    const { userInfo, values } = secretsOf(u);
    // User info stands as a credential wherever it is followed by `@` (git quotes `user:pw@host/x` without the scheme).
    if (userInfo !== undefined) out = out.replace(new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(userInfo)}@`, 'g'), '***@');
    out = maskSecretValues(out, secretMatchers(values));
  }
  return redactQuery(out.replace(URL_IN_TEXT, (u) => u.replace(USER_INFO, '$1***@')));
}
/** A user name that is really a credential (a token passed as the user, as GitHub and GitLab allow). */
export function looksLikeToken(user: string): boolean {
  let u = user;
  try {
    u = decodeURIComponent(user);
  } catch {
    // keep it as written
  }
  if (/^(gh[pousr]_|github_pat_|glpat-|gldt-|glcbt-|xox[abpr]-)/i.test(u)) return true;
  if (u.length < 20) return false;
  // long random-looking strings: hex, or base62/base64url mixing upper case, lower case and digits
  if (/^[0-9a-f]+$/i.test(u) && /[0-9]/.test(u) && /[a-f]/i.test(u)) return true;
  return /^[A-Za-z0-9_+/=-]+$/.test(u) && /[0-9]/.test(u) && /[a-z]/.test(u) && /[A-Z]/.test(u);
}

/**
 * The URL without its password (`ssh://git:pw@host/x` → `ssh://git@host/x`): the user stays, so a
 * checkout runs as that user, unless the user itself looks like a token (then it goes too).
 */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_m, scheme: string, userinfo: string) => {
    const user = userinfo.split(':')[0] ?? '';
    return user === '' || looksLikeToken(user) ? scheme : `${scheme}${user}@`;
  });
}
