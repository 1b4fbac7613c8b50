/**
 * Real file-system conditions for archive failures: a read-only directory and a full volume.
 * As root (the CI machines run tests as root, where permissions do not stop writes) a small tmpfs
 * is mounted; otherwise a read-only directory is made with chmod. A full volume needs the mount:
 * without it the helper throws, naming why (never a silent skip).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function mount(dir: string, options: string): void {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`mounting a tmpfs at ${dir} failed (this test needs root with mount rights): ${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
  }
}

export interface Volume {
  dir: string;
  /** Make it writable again (unmount or chmod back); the directory stays. */
  release(): void;
}

/** A directory nothing can be written to (EROFS as root, EACCES otherwise). */
export function readOnlyDir(dir: string): Volume {
  if (isRoot) {
    mount(dir, 'ro,size=1m');
    return { dir, release: () => execFileSync('umount', [dir]) };
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o555);
  return { dir, release: () => fs.chmodSync(dir, 0o755) };
}

/** A volume with about `freeBytes` left (ENOSPC once they are used). */
export function nearlyFullVolume(dir: string, freeBytes: number): Volume {
  if (!isRoot) throw new Error('a full volume needs a tmpfs mount: run this test as root (as CI does)');
  mount(dir, 'size=256k');
  const st = fs.statfsSync(dir);
  const free = st.bavail * st.bsize;
  if (free > freeBytes) fs.writeFileSync(`${dir}/filler`, Buffer.alloc(free - freeBytes));
  return {
    dir,
    release: () => {
      execFileSync('umount', [dir]);
    },
  };
}
