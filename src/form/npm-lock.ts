/** The real LockMaker: `npm install --package-lock-only` (no node_modules, no install scripts). */
import { execFile } from 'node:child_process';
import type { LockMaker } from './package-pin.js';
import { redactUrlsInText as redactUrls } from '../model/redact-url.js';

export function npmLockMaker(opts: { npm?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): LockMaker {
  return {
    lock: (dir) =>
      new Promise<void>((resolve, reject) => {
        execFile(
          opts.npm ?? 'npm',
          ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
          { cwd: dir, timeout: opts.timeoutMs ?? 300_000, maxBuffer: 8 * 1024 * 1024, env: { ...process.env, ...opts.env } },
          (err, _stdout, stderr) => {
            if (!err) return resolve();
            const lines = String(stderr)
              .split('\n')
              .map((l) => l.replace(/^npm (?:ERR!|error) ?/, '').trim())
              .filter(Boolean);
            const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'npm is not installed or not on PATH' : lines.slice(0, 6).join(' / ') || err.message;
            reject(new Error(redactUrls(code)));
          },
        );
      }),
  };
}
