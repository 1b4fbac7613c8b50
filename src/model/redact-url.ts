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

/** The secrets a URL carries (its password, user info, secret query values), longest first. */
function secretsOf(url: string): string[] {
  const out = new Set<string>();
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\s@]*)@/i.exec(url);
  if (m && m[1]) {
    out.add(m[1]);
    const pass = m[1].split(':').slice(1).join(':');
    if (pass) out.add(pass);
  }
  for (const [, , name, value] of url.matchAll(QUERY_PAIR)) if (value && isSecretParam(decodeSafe(name!))) out.add(value);
  for (const s of [...out]) out.add(decodeSafe(s));
  return [...out].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
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
  let out = text;
  for (const u of knownUrls) if (u) for (const s of secretsOf(u)) out = out.split(s).join('***');
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
