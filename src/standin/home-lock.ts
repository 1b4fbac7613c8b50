/**
 * One stand-in per home: `jobsmith standin --home DIR` and `--embedded DIR` take a lock file in the
 * home before reading it, so two of them never overwrite each other's files. The lock holds the
 * holder's pid and host; a second stand-in on the same home refuses to start and names the holder.
 * A lock whose process is gone (same host, pid not running) is stale and taken over.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExternalError } from '../model/errors.js';

export const HOME_LOCK_FILE = '.jobsmith-standin.lock';

interface Holder {
  pid: number;
  host: string;
  started: string;
  token: string;
}

export class HomeLockedError extends ExternalError {
  override name = 'HomeLockedError';
}

export interface HomeLock {
  readonly file: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const h = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<Holder>;
    if (typeof h.pid === 'number' && Number.isInteger(h.pid) && h.pid > 0 && typeof h.host === 'string') {
      return { pid: h.pid, host: h.host, started: String(h.started ?? '?'), token: String(h.token ?? '') };
    }
  } catch {
    // unreadable or not ours: treated as stale below
  }
  return undefined;
}

/** Stale: unreadable, or held by a process of this host that no longer runs. */
function stale(h: Holder | undefined): boolean {
  return h === undefined || (h.host === os.hostname() && !alive(h.pid));
}

/**
 * Take the lock of `home` (created if missing). The lock file is written in full under a temporary
 * name and linked into place, so a reader never sees a half-written one.
 */
export async function lockHome(home: string): Promise<HomeLock> {
  await fs.mkdir(home, { recursive: true });
  const file = path.join(home, HOME_LOCK_FILE);
  const me: Holder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const tmp = `${file}.${process.pid}.${me.token}`;
  await fs.writeFile(tmp, JSON.stringify(me) + '\n');
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await fs.link(tmp, file);
        return {
          file,
          release: async () => {
            const h = await readHolder(file);
            if (h?.token === me.token) await fs.rm(file, { force: true });
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = await readHolder(file);
      if (!stale(holder)) {
        const h = holder!;
        const where = h.host === me.host ? `pid ${h.pid}` : `pid ${h.pid} on host ${h.host}`;
        throw new HomeLockedError(
          `${home} is in use by another jobsmith stand-in (${where}, since ${h.started}); stop it, or use another home (lock file ${file})`,
        );
      }
      // Take over a stale lock: move it aside first, so two takers cannot remove each other's fresh lock.
      const aside = `${file}.stale.${me.token}`;
      try {
        await fs.rename(file, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const moved = await readHolder(aside);
      if (!stale(moved)) await fs.link(aside, file).catch(() => undefined); // a live holder got in between: put it back
      await fs.rm(aside, { force: true });
    }
    throw new HomeLockedError(`${home}: cannot take the stand-in lock ${file} (it keeps changing hands)`);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
