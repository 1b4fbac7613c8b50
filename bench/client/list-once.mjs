#!/usr/bin/env node
// Whole-process benchmark of ONE listing through the client: start, JenkinsClient.list() (one
// api/json?tree= request against a running stand-in), flatten, exit. Prints the item count, the
// server-side time (X-Standin-Elapsed-Ms) and the client-side time of the request.
//
// usage: node bench/client/list-once.mjs URL USER TOKEN [EXPECTED_ITEMS]
import { JenkinsClient } from '../../dist/jenkins/jenkins-client.js';

const [url, user, token, expected] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: list-once.mjs URL USER TOKEN [EXPECTED_ITEMS]\n');
  process.exit(2);
}
let serverMs;
let requestMs;
const client = new JenkinsClient({
  url,
  user,
  token,
  onResponse: (e) => {
    serverMs = Number(e.headers['x-standin-elapsed-ms']);
    requestMs = e.ms;
  },
});
const t = performance.now();
const state = await client.list();
const totalMs = performance.now() - t;
await client.close();
if (expected !== undefined && state.items.length !== Number(expected)) {
  process.stderr.write(`listing returned ${state.items.length} items, expected ${expected}\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify({ items: state.items.length, views: state.views.length, serverMs, requestMs: +requestMs.toFixed(1), listMs: +totalMs.toFixed(1) }) + '\n');
