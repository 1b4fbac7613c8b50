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
