#!/usr/bin/env node
// Which modules a jobsmith command line loads (no timing: a count and the list, so it can be
// checked on a busy machine). Usage:
//   node bench/startup/modules.mjs [--list] -- --version
//   node bench/startup/modules.mjs -- render --help
// Prints: <n> modules (<k> jobsmith, <m> from node_modules): <the packages>
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const sep = args.indexOf('--');
const list = args.slice(0, sep < 0 ? 0 : sep).includes('--list');
const cliArgs = sep < 0 ? args : args.slice(sep + 1);

const loaded = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => loaded.add(url));
port1.unref();
register('./load-hooks.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });

const report = () => {
  const urls = [...loaded].filter((u) => u.startsWith('file:'));
  const ours = urls.filter((u) => u.includes('/dist/'));
  const deps = urls.filter((u) => u.includes('/node_modules/'));
  const packages = [...new Set(deps.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1]))].sort();
  process.stderr.write(`\n${urls.length} modules (${ours.length} jobsmith, ${deps.length} from node_modules): ${packages.join(', ') || 'none'}\n`);
  if (list) for (const u of urls) process.stderr.write(`  ${path.relative(root, fileURLToPath(u))}\n`);
};
process.on('exit', report);
process.argv = [process.argv[0], path.join(root, 'dist/cli/main.js'), ...cliArgs];
await import(pathToFileURL(path.join(root, 'dist/cli/main.js')).href);
