import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { parseHomePath, unknownEscapes } from './home-layout.js';
import { BACKUP_MANIFEST, readBackupManifest } from './backup-jenkins.js';
import { InputError } from '../model/errors.js';
import { parsePositioned, XmlSyntaxError } from '../xml/positions.js';

/** What a backup directory holds, read into memory (see home-layout.ts for the layout). */
export interface BackupContents {
  /** Folders and jobs by full name; `isFolder` from the root element. */
  items: Map<string, { config: string; isFolder: boolean; rootElement: string; file: string }>;
  views: Array<{ name: string; folder: string[]; config: string; file: string }>;
  diagnostics: Diagnostic[];
}

const FOLDER_ROOTS = new Set(['com.cloudbees.hudson.plugins.folder.Folder']);

/** Layout files below `dir` (`out`), and symbolic links in the layout (`links`: never followed, each reported). */
async function walk(dir: string, rel: string, out: string[], links: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    // a git repository's own directory (backup --git) is only ever at the top; a job named `.git` is an item
    if (rel === '' && e.name === '.git') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isSymbolicLink()) {
      if (r.startsWith('jobs/') || r.startsWith('views/')) links.push(r);
    } else if (e.isDirectory()) await walk(dir, r, out, links);
    else if (e.isFile() && parseHomePath(r)) out.push(r);
  }
}

/** Read every job/folder/view config in a backup; malformed XML is a diagnostic with its location. */
export async function readBackup(dir: string, displayDir: string = dir): Promise<BackupContents> {
  const files: string[] = [];
  const links: string[] = [];
  await walk(dir, '', files, links);
  files.sort();
  links.sort();
  const result: BackupContents = { items: new Map(), views: [], diagnostics: [] };
  for (const rel of links) {
    result.diagnostics.push({ severity: 'error', code: 'backup-symlink', file: path.join(displayDir, rel), message: 'a symbolic link: restore does not follow links in a backup (backup never writes one); replace it with the file or directory it points to, or remove it' });
  }
  // Names that are not file names as they are (too long, `.git`) are stored escaped; the manifest maps them back.
  let names: ReadonlyMap<string, string>;
  try {
    names = readBackupManifest(dir).names;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    names = new Map();
  }
  for (const rel of files) {
    const unknown = unknownEscapes(rel, names);
    if (unknown.length) {
      result.diagnostics.push({ severity: 'error', code: 'escaped-name-unknown', file: path.join(displayDir, rel), message: `its path has an escaped name (${unknown.join(', ')}) that ${BACKUP_MANIFEST} does not map back to the item's name; restore it from a backup with its manifest` });
      continue;
    }
    const where = parseHomePath(rel, names)!;
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
  if (files.length === 0 && links.length === 0) result.diagnostics.push({ severity: 'error', code: 'empty-backup', file: displayDir, message: 'no jobs/**/config.xml or views/*.xml found: not a jobsmith backup directory' });
  return result;
}
