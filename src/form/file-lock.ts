import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';

/**
 * A lock file created with O_EXCL: works across processes (the web form and a `jobsmith create`
 * in the same working copy) as well as within one. The file records its holder: process id, the
 * process's start time (so a reused pid is not mistaken for the holder) and the host. A lock whose
 * holder is gone (same host; no such process, or one that started at another time) is taken over
 * at once; a lock from another host (a shared file system) only once it is older than `staleMs`.
 * The holder may record a note (what it is doing) that the one who takes over reads (`stale`).
 */
export interface FileLock {
  /** Record what the holder is doing (read back by whoever takes over a lock left behind). */
  note(text: string): Promise<void>;
  release(): Promise<void>;
  /** The note of the abandoned lock this one took over, if any. */
  readonly stale?: string;
}

export interface LockOptions {
  /** Keep trying for this long before giving up (0: one attempt). */
  waitMs?: number;
  /** A lock file of another host older than this is considered abandoned. */
  staleMs?: number;
  /** Time between attempts. */
  pollMs?: number;
}

interface Holder {
  pid: number;
  start: string;
  host: string;
  note: string;
}

/** The start time of a process as the kernel records it (Linux: /proc/<pid>/stat field 22), or '' where unknown. */
export function processStart(pid: number | 'self'): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? '';
  } catch {
    return '';
  }
}

const SELF_START = processStart('self');

function holderLine(note: string): string {
  return `${process.pid} ${SELF_START || '-'} ${os.hostname()} ${new Date().toISOString()} ${note}\n`;
}

function parseHolder(text: string): Holder | undefined {
  const m = /^(\d+) (\S+) (\S+) \S+ ?(.*)\n?$/.exec(text);
  if (!m) return undefined;
  return { pid: Number(m[1]), start: m[2] === '-' ? '' : m[2]!, host: m[3]!, note: m[4] ?? '' };
}

/** Is the holder recorded in a lock file certainly gone? Only decidable on the same host. */
function holderGone(h: Holder): boolean {
  if (h.host !== os.hostname()) return false;
  if (h.pid === process.pid) return false; // this process: a lock it holds elsewhere (another submission)
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // alive: the same process only if it started when the holder did (pids are reused)
  if (h.start === '') return false;
  const now = processStart(h.pid);
  return now !== '' && now !== h.start;
}

export async function tryLock(file: string, opts: LockOptions = {}): Promise<FileLock | undefined> {
  const waitMs = opts.waitMs ?? 0;
  const staleMs = opts.staleMs ?? 10 * 60_000;
  const pollMs = opts.pollMs ?? 50;
  const deadline = Date.now() + waitMs;
  let stale: string | undefined;
  for (let attempt = 0; attempt < 100_000; attempt++) {
    try {
      const handle = await fs.open(file, 'wx');
      await handle.writeFile(holderLine(''));
      await handle.close();
      let released = false;
      return {
        ...(stale !== undefined ? { stale } : {}),
        note: async (text: string) => {
          if (released) return;
          const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
          await fs.writeFile(tmp, holderLine(text.replace(/\s+/g, ' ')));
          await fs.rename(tmp, file);
        },
        release: async () => {
          if (released) return;
          released = true;
          await fs.rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const text = await fs.readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // released meanwhile
      const holder = parseHolder(text);
      const stat = await fs.stat(file).catch(() => undefined);
      const old = stat !== undefined && Date.now() - stat.mtimeMs > staleMs;
      if ((holder !== undefined && holderGone(holder)) || old) {
        if (await takeOver(file, text)) stale = holder?.note ?? '';
        continue;
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  return undefined;
}

/**
 * Remove an abandoned lock file, but only the one that was examined: it is moved aside and read
 * again; if another process took it over in between (the content differs), it is put back.
 */
async function takeOver(file: string, examined: string): Promise<boolean> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(file, aside);
  } catch {
    return false;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== examined) {
    await fs.link(aside, file).catch(() => undefined);
    await fs.rm(aside, { force: true });
    return false;
  }
  await fs.rm(aside, { force: true });
  return true;
}
