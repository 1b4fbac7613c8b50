#!/usr/bin/env node
// The floor for `jobsmith render`: a bare Node process that creates the same directories and
// writes the same number of files of the same sizes (from floor-list.mjs), the way render does
// (mkdirSync + writeFileSync, one thread), and nothing else. Whole-process time of this is what no
// renderer can beat on that file system.
//   node bench/render/floor.mjs files.tsv DEST      (DEST must not exist)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [list, dest] = process.argv.slice(2);
if (!list || !dest) {
  process.stderr.write('usage: floor.mjs files.tsv DEST\n');
  process.exit(2);
}
const made = new Set();
const filler = 'x'.repeat(1 << 16);
for (const line of readFileSync(list, 'utf8').split('\n')) {
  if (line === '') continue;
  const tab = line.indexOf('\t');
  const size = Number(line.slice(0, tab));
  const file = path.join(dest, line.slice(tab + 1));
  const dir = path.dirname(file);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  writeFileSync(file, size <= filler.length ? filler.slice(0, size) : 'x'.repeat(size));
}
