import { promises as fs } from 'node:fs';

/**
 * A lock file created with O_EXCL: works across processes (the web form and a `jobsmith create`
 * in the same working copy) as well as within one. A lock older than `staleMs` is taken over
 * (its holder crashed).
 */
export interface FileLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** Keep trying for this long before giving up (0: one attempt). */
  waitMs?: number;
  /** A lock file older than this is considered abandoned. */
  staleMs?: number;
  /** Time between attempts. */
  pollMs?: number;
}

export async function tryLock(file: string, opts: LockOptions = {}): Promise<FileLock | undefined> {
  const waitMs = opts.waitMs ?? 0;
  const staleMs = opts.staleMs ?? 10 * 60_000;
  const pollMs = opts.pollMs ?? 50;
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; attempt < 100_000; attempt++) {
    try {
      const handle = await fs.open(file, 'wx');
      await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      await handle.close();
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await fs.rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > staleMs) {
        await fs.rm(file, { force: true });
        continue;
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  return undefined;
}
