import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Which Host names `jobsmith serve` answers to (a defence against DNS rebinding: a page on
 * `attacker.example` whose name is rebound to 127.0.0.1 is "same-origin" with the form, so the
 * CSRF checks pass; only its Host header, `attacker.example:PORT`, gives it away).
 *
 * Allowed: IP literals (a rebinding attack always uses a name), `localhost` and `*.localhost`, the
 * name serve listens on (`--host`), and the names given with `--allowed-host` (`form.allowed-hosts`
 * in jobsmith.yaml; a leading dot allows every subdomain: `.corp.example`). The port is not
 * compared (the listening socket decides it). `X-Forwarded-Host`, which a reverse proxy sets, must
 * pass the same test. Others get 421 Misdirected Request and nothing else happens.
 */
export type HostCheck = (req: IncomingMessage) => string | undefined;

/** The host part of a Host header value (`name:port`, `[v6]:port`), lower-cased, or undefined when unreadable. */
export function hostName(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  const m = /^\[([0-9a-f:.]+(?:%[\w.-]+)?)\](?::(\d{1,5}))?$/.exec(v) ?? /^([^:[\]\s/@]+)(?::(\d{1,5}))?$/.exec(v);
  if (!m) return undefined;
  return m[1]!.replace(/\.$/, '');
}

/** Is `name` (as given with --allowed-host or --host) usable as an allow-list entry? An error text, or undefined. */
export function allowedHostProblem(name: string): string | undefined {
  const n = name.trim();
  if (n === '*') return undefined;
  if (!/^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(n) && isIP(n.replace(/^\[|\]$/g, '')) === 0) {
    return `"${name}" is not a host name (give a name such as jobs.corp.example, or .corp.example for every subdomain)`;
  }
  return undefined;
}

export function hostCheck(listenHost: string | undefined, allowed: readonly string[] = []): HostCheck {
  if (allowed.includes('*')) return () => undefined;
  const exact = new Set<string>(['localhost']);
  const suffixes = ['.localhost'];
  const listen = listenHost ? hostName(listenHost.includes(':') && !listenHost.startsWith('[') && isIP(listenHost) === 6 ? `[${listenHost}]` : listenHost) : undefined;
  if (listen) exact.add(listen);
  for (const a of allowed) {
    const n = a.trim().toLowerCase().replace(/\.$/, '');
    if (n.startsWith('.')) suffixes.push(n);
    else exact.add(n.replace(/^\[|\]$/g, ''));
  }
  const ok = (value: string): boolean => {
    const name = hostName(value);
    if (name === undefined) return false;
    if (isIP(name.replace(/%.*$/, '')) !== 0) return true;
    return exact.has(name) || suffixes.some((s) => name.endsWith(s));
  };
  return (req) => {
    const host = req.headers.host;
    if (host === undefined || !ok(host)) return `this server does not answer to the host name ${JSON.stringify(host ?? '')}; if that is its name, start it with --allowed-host NAME (or form.allowed-hosts in jobsmith.yaml)`;
    const fwd = req.headers['x-forwarded-host'];
    const forwarded = (Array.isArray(fwd) ? fwd.join(',') : fwd ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    const bad = forwarded.find((h) => !ok(h));
    if (bad !== undefined) return `this server does not answer to the host name ${JSON.stringify(bad)} (X-Forwarded-Host); if that is its name, start it with --allowed-host NAME (or form.allowed-hosts in jobsmith.yaml)`;
    return undefined;
  };
}
