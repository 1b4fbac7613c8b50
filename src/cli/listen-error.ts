/**
 * A server that cannot listen is a clear one-line error, never an internal error: a port in use or
 * not allowed is exit 3 (like any failure of the world outside jobsmith); a `--host` that does not
 * resolve, or an address this machine does not have, is bad input (exit 1: the flag is wrong).
 */
import { ExternalError, InputError } from '../model/errors.js';

const WHY: Record<string, { why: string; input: boolean }> = {
  EADDRINUSE: { why: 'the port is in use (stop what holds it, or pick another with --port; 0 picks a free one)', input: false },
  EACCES: { why: 'not allowed to listen there (ports below 1024 need privileges; pick another with --port)', input: false },
  EADDRNOTAVAIL: { why: 'this machine has no such address (check --host)', input: true },
  ENOTFOUND: { why: 'unknown host name (check --host)', input: true },
};

/** Run `start`; a listen failure becomes an InputError or ExternalError naming the address and what to do. */
export async function listening<T>(host: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const known = code !== undefined ? WHY[code] : undefined;
    if (known) {
      const message = `cannot listen on ${host}:${port}: ${known.why}`;
      throw known.input ? new InputError(message) : new ExternalError(message);
    }
    throw err;
  }
}
