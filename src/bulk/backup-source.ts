import path from 'node:path';

/**
 * Which Jenkins a backup is of, as its manifest records it: stable across runs and restarts (not
 * the X-Jenkins-Session header, not an embedded stand-in's random port), and without credentials.
 * A Jenkins URL: scheme, host, port and path, without user info, query or fragment, no trailing
 * slash. An embedded stand-in: its state directory (absolute).
 */
export function backupSource(url: string, embeddedHome?: string): string {
  if (embeddedHome !== undefined) return `embedded stand-in, state in ${path.resolve(embeddedHome)}`;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    // not a URL (the client would have refused it): the text up to any user info, query or fragment
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1').replace(/[?#].*$/, '').replace(/\/+$/, '');
  }
}
