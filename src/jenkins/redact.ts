/**
 * Credentials never reach errors, logs or --verbose output. Everything the client writes passes
 * through a Redactor built from the secrets it knows (token, `user:token`, its Basic header value),
 * on top of the URL redaction every printed URL gets (src/model/redact-url.ts).
 */
import { maskSecretValues, redactUrlsInText, secretMatchers } from '../model/redact-url.js';

/** `https://user:token@host/x` → `https://***@host/x`, `?token=x` → `?token=***` (any URL inside a text). */
export function redactUserInfo(text: string): string {
  return redactUrlsInText(text);
}
/**
 * The client's known secrets (and their URL-encoded and base64 forms) masked as whole values of
 * at least MIN_MASKED_SECRET_LENGTH characters (src/model/redact-url.ts): never inside a word.
 */
export class Redactor {
  private readonly matchers: RegExp[];

  constructor(secrets: ReadonlyArray<string | undefined>) {
    const all = new Set<string>();
    for (const s of secrets) {
      if (!s) continue;
      all.add(s);
      all.add(encodeURIComponent(s));
      all.add(Buffer.from(s, 'utf8').toString('base64'));
    }
    this.matchers = secretMatchers(all);
  }

  redact(text: string): string {
    return maskSecretValues(redactUserInfo(text), this.matchers);
  }
}
