#!/usr/bin/env node
// Runs one command against a FRESH stand-in (a separate `jobsmith standin` process on PORT with an
// empty HOME), then stops the stand-in. Used to time cold creates of both tools the same way.
// Usage: node bench/sync/with-standin.mjs PORT HOME -- CMD [ARGS...]
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [port, home, dashdash, ...cmd] = process.argv.slice(2);
if (!port || !home || dashdash !== '--' || cmd.length === 0) {
  console.error('usage: with-standin.mjs PORT HOME -- CMD [ARGS...]');
  process.exit(2);
}
rmSync(home, { recursive: true, force: true });
const token = process.env.BENCH_TOKEN ?? '11benchbenchbenchbenchbenchbench00';
const standin = spawn(process.execPath, [path.join(repo, 'dist/cli/main.js'), 'standin', '--port', port, '--home', home, '--user', 'bench', '--token', token], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  let buf = '';
  const timer = setTimeout(() => reject(new Error('stand-in did not start in 30 s')), 30_000);
  standin.stdout.on('data', (d) => {
    buf += d;
    if (buf.includes('listening on')) {
      clearTimeout(timer);
      resolve();
    }
  });
  standin.on('exit', (c) => reject(new Error(`stand-in exited with ${c}`)));
});
standin.stdout.resume();
const child = spawn(cmd[0], cmd.slice(1), { stdio: 'inherit' });
const code = await new Promise((r) => child.on('exit', (c) => r(c ?? 1)));
standin.kill('SIGTERM');
await new Promise((r) => standin.on('exit', r));
process.exit(code);
