/**
 * Credentials never reach output: `https://user:token@host/x.git` → `https://***@host/x.git`.
 * Applied to every message that may quote a repository URL (ours and the git/svn clients').
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/** Redact every URL with user info inside a free text (client error output). */
export function redactText(text: string, ...knownUrls: string[]): string {
  let out = text;
  for (const u of knownUrls) {
    if (u && u !== redactUrl(u)) out = out.split(u).join(redactUrl(u));
  }
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, '$1***@');
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
