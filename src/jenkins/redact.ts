/**
 * Credentials never reach errors, logs or --verbose output. Everything the client writes passes
 * through a Redactor built from the secrets it knows (token, `user:token`, its Basic header value),
 * on top of the URL redaction every printed URL gets (src/model/redact-url.ts).
 */
import { redactUrlsInText } from '../model/redact-url.js';

/** `https://user:token@host/x` → `https://***@host/x`, `?token=x` → `?token=***` (any URL inside a text). */
export function redactUserInfo(text: string): string {
  return redactUrlsInText(text);
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
