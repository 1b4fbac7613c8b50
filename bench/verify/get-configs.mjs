#!/usr/bin/env node
// The yardstick for `sync --verify`: one process that reads the config.xml of every job of the
// bench/sync/gen-defs.mjs set (N projects × CI-build-trunk, RC-build-branch) through JenkinsClient
// .getConfig, C at a time (as --verify does), and nothing else. Prints one JSON line.
// usage: node bench/verify/get-configs.mjs URL USER TOKEN PROJECTS [C=8]
import { JenkinsClient } from '../../dist/jenkins/jenkins-client.js';

const [url, user, token, projects, c] = process.argv.slice(2);
const n = Number(projects);
if (!url || !Number.isInteger(n) || n < 1) {
  process.stderr.write('usage: get-configs.mjs URL USER TOKEN PROJECTS [C=8]\n');
  process.exit(2);
}
const concurrency = c === undefined ? 8 : Number(c);
const names = [];
for (let i = 0; i < n; i++) {
  const p = `svc${String(i).padStart(5, '0')}`;
  names.push(`${p}-CI-build-trunk`, `${p}-RC-build-branch`);
}
const client = new JenkinsClient({ url, user, token, concurrency });
const t = performance.now();
let next = 0;
let bytes = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < names.length) {
      const name = names[next++];
      bytes += (await client.getConfig(name)).length;
    }
  }),
);
const ms = performance.now() - t;
await client.close();
process.stdout.write(JSON.stringify({ configs: names.length, chars: bytes, getMs: +ms.toFixed(1) }) + '\n');
