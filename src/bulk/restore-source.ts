import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { parseHomePath } from './home-layout.js';
import { parsePositioned, XmlSyntaxError } from '../xml/positions.js';

/** What a backup directory holds, read into memory (see home-layout.ts for the layout). */
export interface BackupContents {
  /** Folders and jobs by full name; `isFolder` from the root element. */
  items: Map<string, { config: string; isFolder: boolean; rootElement: string; file: string }>;
  views: Array<{ name: string; folder: string[]; config: string; file: string }>;
  diagnostics: Diagnostic[];
}

const FOLDER_ROOTS = new Set(['com.cloudbees.hudson.plugins.folder.Folder']);

async function walk(dir: string, rel: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === '.git') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(dir, r, out);
    else if (e.isFile() && parseHomePath(r)) out.push(r);
  }
}

/** Read every job/folder/view config in a backup; malformed XML is a diagnostic with its location. */
export async function readBackup(dir: string, displayDir: string = dir): Promise<BackupContents> {
  const files: string[] = [];
  await walk(dir, '', files);
  files.sort();
  const result: BackupContents = { items: new Map(), views: [], diagnostics: [] };
  for (const rel of files) {
    const where = parseHomePath(rel)!;
    const config = await readFile(path.join(dir, rel), 'utf8');
    const file = path.join(displayDir, rel);
    let root: string;
    try {
      root = parsePositioned(config).root.name;
    } catch (err) {
      if (err instanceof XmlSyntaxError) {
        result.diagnostics.push({ severity: 'error', code: 'xml-not-well-formed', file, line: err.line, column: err.column, message: `config is not well-formed XML: ${err.message}` });
        continue;
      }
      throw err;
    }
    if (where.kind === 'job') result.items.set(where.fullName, { config, isFolder: FOLDER_ROOTS.has(root) || root.endsWith('.Folder'), rootElement: root, file });
    else result.views.push({ name: where.name, folder: where.folder, config, file });
  }
  if (files.length === 0) result.diagnostics.push({ severity: 'error', code: 'empty-backup', file: displayDir, message: 'no jobs/**/config.xml or views/*.xml found: not a jobsmith backup directory' });
  return result;
}
