import { ExternalError } from '../model/errors.js';

export type JenkinsErrorKind =
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'crumb'
  | 'bad-request'
  | 'conflict'
  | 'server'
  | 'network'
  | 'timeout';

export interface JenkinsErrorInit {
  kind: JenkinsErrorKind;
  /** What the client was doing, e.g. `create job`. */
  operation: string;
  /** The job/view/folder concerned, when there is one. */
  target?: string;
  status?: number;
  /** The `X-Error` header text (Jenkins' validation message), decoded. */
  xError?: string;
  /** Short human detail (never credentials). */
  detail?: string;
}

/**
 * Every failure of the Jenkins client. `kind` is the machine-readable class; a missing job is
 * `kind === 'not-found'` (see `isNotFound`). Messages never contain credentials.
 */
export class JenkinsError extends ExternalError {
  override name = 'JenkinsError';
  readonly kind: JenkinsErrorKind;
  readonly status?: number;
  readonly xError?: string;
  readonly operation: string;
  readonly target?: string;

  constructor(init: JenkinsErrorInit) {
    super(formatMessage(init));
    this.kind = init.kind;
    this.operation = init.operation;
    if (init.status !== undefined) this.status = init.status;
    if (init.xError !== undefined) this.xError = init.xError;
    if (init.target !== undefined) this.target = init.target;
  }
}

export function isNotFound(err: unknown): err is JenkinsError {
  return err instanceof JenkinsError && err.kind === 'not-found';
}

function formatMessage(init: JenkinsErrorInit): string {
  const what = init.target !== undefined ? `${init.operation} '${init.target}'` : init.operation;
  const status = init.status !== undefined ? `HTTP ${init.status}` : init.kind;
  const why = init.xError || init.detail;
  return `${what} failed: ${status}${why ? `: ${why}` : ''}`;
}

/** Kind of an HTTP failure status. */
export function kindForStatus(status: number): JenkinsErrorKind {
  if (status === 404 || status === 410) return 'not-found';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'server';
  return 'bad-request';
}

/**
 * `X-Error` arrives as header bytes that undici exposes as Latin-1 characters. Jetty writes
 * characters up to U+00FF as one byte each and replaces others (`?` or a space), so Latin-1 is the
 * right reading; a server or proxy that sent UTF-8 bytes instead is recognised (valid multi-byte
 * UTF-8) and decoded as such.
 */
export function decodeHeaderText(latin1: string): string {
  const bytes = Buffer.from(latin1, 'latin1');
  if (bytes.some((b) => b >= 0x80)) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // not UTF-8: the Latin-1 reading stands
    }
  }
  return latin1;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#039': "'", '#39': "'" };

/** Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      const named = ENTITIES[e.toLowerCase()];
      if (named !== undefined) return named;
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        if (Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff) return String.fromCodePoint(cp);
      }
      return m;
    })
    .replace(/\s+/g, ' ');
}

/**
 * The best rendering of a Jenkins validation message. The header loses characters above U+00FF
 * (typographic quotes become `?` or a space); the HTML error page carries the true text. When the
 * page holds a text matching the header with those placeholders, the page's spelling wins.
 */
export function bestErrorText(xErrorLatin1: string, body: string): string {
  const header = decodeHeaderText(xErrorLatin1);
  if (!/[? ]/.test(header) || body.length === 0 || body.length > 200_000) return header;
  const pattern = header
    .split('')
    // Jetty puts '?' (12.1) or ' ' (older) where a character above U+00FF was.
    .map((c) => (c === '?' ? '(?:\\?|[^\\x00-\\xff])' : c === ' ' ? '(?:\\s|[^\\x00-\\xff])' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const text = htmlText(body);
  const m = new RegExp(pattern).exec(text);
  if (!m) return header;
  // HTTP parsing trims the header, so a quote Jetty turned into a leading or trailing space is lost
  // altogether: take an adjacent quote character back from the page.
  const QUOTE = /^[\u2018\u2019\u201C\u201D"'`]$/;
  let start = m.index;
  let end = m.index + m[0].length;
  if (start > 0 && QUOTE.test(text[start - 1]!)) start--;
  if (end < text.length && QUOTE.test(text[end]!)) end++;
  return text.slice(start, end);
}
