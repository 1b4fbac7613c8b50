/**
 * Credentials never reach errors, logs or --verbose output. Everything the client writes passes
 * through a Redactor built from the secrets it knows (token, `user:token`, its Basic header value).
 */

/** `https://user:token@host/x` → `https://***@host/x` (any URL with user info inside a text). */
export function redactUserInfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"<>]+@/gi, '$1***@');
}

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: ReadonlyArray<string | undefined>) {
    const all = new Set<string>();
    for (const s of secrets) {
      if (!s || s.length < 3) continue; // too short to redact without mangling ordinary text
      all.add(s);
      all.add(encodeURIComponent(s));
      all.add(Buffer.from(s, 'utf8').toString('base64'));
    }
    // Longest first, so `user:token` is replaced before `token`.
    this.secrets = [...all].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = redactUserInfo(text);
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('***');
    return out;
  }
}
