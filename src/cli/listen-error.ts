/**
 * A server that cannot listen (port in use, not allowed, unknown address) is a clear one-line
 * error, exit 3 (like any failure of the world outside jobsmith), never an internal error.
 */
import { ExternalError } from '../model/errors.js';

const WHY: Record<string, string> = {
  EADDRINUSE: 'the port is in use (stop what holds it, or pick another with --port; 0 picks a free one)',
  EACCES: 'not allowed to listen there (ports below 1024 need privileges; pick another with --port)',
  EADDRNOTAVAIL: 'this machine has no such address (check --host)',
  ENOTFOUND: 'unknown host name (check --host)',
};

/** Run `start`; a listen failure becomes an ExternalError naming the address and what to do. */
export async function listening<T>(host: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && code in WHY) throw new ExternalError(`cannot listen on ${host}:${port}: ${WHY[code]}`);
    throw err;
  }
}
