#!/usr/bin/env node
// The file list of a rendered output directory, for floor.mjs: every file below OUT (the JENKINS_HOME
// layout render wrote, not its manifest) with its size, one `size<TAB>relative path` per line.
//   node bench/render/floor-list.mjs OUT > files.tsv
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: floor-list.mjs OUT > files.tsv\n');
  process.exit(2);
}
const lines = [];
const walk = (dir, rel) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(path.join(dir, e.name), r);
    else if (e.isFile() && r !== '.jobsmith-render.json') lines.push(`${statSync(path.join(dir, e.name)).size}\t${r}`);
  }
};
walk(out, '');
process.stdout.write(lines.join('\n') + '\n');
