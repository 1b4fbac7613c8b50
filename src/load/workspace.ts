/**
 * Loading everything render needs from disk: the templates (+ sidecars), the definitions and the
 * shared defaults file. Reads files only; never throws for a user's mistake (diagnostics instead).
 */
import { constants, promises as fs, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { commonRoot, Containment } from './contained-path.js';
import { parseDefinition, tokenMap, type Definition, type LocatedValue } from './definition.js';
import { parseTemplate, TEMPLATE_SUFFIX, type ParsedTemplate } from './parsed-template.js';
import { parseSidecar, type TemplateSidecar } from './template-sidecar.js';
import { YamlSource, type Loc } from './yaml-source.js';

/** The shared defaults file in the jobs directory. */
export const DEFAULTS_FILE = '_defaults.yaml';
export const DEFAULTS_KEYS = ['tokens'] as const;

export interface Defaults {
  /** Path of the defaults file, when there is one. */
  file?: string;
  /** Token values every project gets unless it gives its own. */
  tokens: Map<string, LocatedValue>;
}

export interface Workspace {
  templatesDir: string;
  jobsDir: string;
  /** Templates by name, in name order. */
  templates: Map<string, ParsedTemplate>;
  /** Definitions in file-name order (one per readable `jobs/*.yaml`). */
  definitions: Definition[];
  defaults: Defaults;
}

export interface LoadOptions {
  templatesDir: string;
  jobsDir: string;
  /**
   * Virtual files that replace or add to the templates directory (templates, sidecars) or jobs/ (the
   * web form validates a prospective jobs/<p>.yaml, set-default and rename-token their edits, with
   * exactly the same code).
   */
  overlay?: Array<{ file: string; text: string }>;
  /**
   * The definitions root: files (and the two directories) resolving outside it through a symbolic
   * link are refused. Default: the deepest directory holding both (see contained-path.ts).
   */
  root?: string;
  /**
   * Called with each definition as soon as it is parsed, in file-name order, after the templates and
   * the defaults file are loaded (`workspace` holds them, and the definitions so far): a caller can
   * render one definition while the next is read. The result is the same with or without it.
   */
  onDefinition?: (definition: Definition, workspace: Workspace) => void;
  /**
   * Reads the definition files elsewhere (render reads them ahead on its writer thread): given the
   * files, in order, it returns a function giving each one's text, or the errno code that kept it
   * from being read, in that order. Default: each is read here when its turn comes.
   */
  readFiles?: (files: readonly string[]) => () => string | { code: string } | Promise<string | { code: string }>;
}

/** Where the definitions may be: one Containment per directory (the same one when they share a root). */
function containments(templatesDir: string, jobsDir: string, root: string | undefined): { templates: Containment; jobs: Containment } {
  const shared = root ?? commonRoot([templatesDir, jobsDir]);
  if (shared !== undefined) {
    const c = new Containment(shared);
    return { templates: c, jobs: c };
  }
  return { templates: new Containment(templatesDir), jobs: new Containment(jobsDir) };
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A definition is read as UTF-8 without waiting to open it (a named pipe would wait for a writer).
 * open(2) flags as a number: Node accepts them (its types say string).
 */
const READ_NOW = { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NONBLOCK } as unknown as { encoding: 'utf8'; flag: string };

/**
 * File names in `dir` (files and symbolic links to files). The directory itself, and every link in
 * it, must resolve inside `inside`; what does not is an error and is left out.
 */
async function listDir(dir: string, what: string, diagnostics: Diagnostic[], inside: Containment, missingOk = false, subdirs?: string[]): Promise<string[]> {
  const outsideDir = inside.check(dir, `the ${what} directory,`);
  if (outsideDir) {
    diagnostics.push(outsideDir);
    return [];
  }
  try {
    const names: string[] = [];
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      if (e.isFile()) names.push(e.name);
      else if (e.isDirectory()) subdirs?.push(e.name);
      else if (e.isSymbolicLink()) {
        const file = path.join(dir, e.name);
        const problem = inside.check(file, 'a symbolic link');
        if (problem) diagnostics.push(problem);
        else names.push(e.name);
      }
    }
    return names.sort(byCodePoint);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (missingOk && code === 'ENOENT') return [];
    diagnostics.push({ severity: 'error', code: 'missing-directory', message: `cannot read the ${what} directory ${dir}: ${code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is not a directory' : code}`, file: dir });
    return [];
  }
}

export interface LoadTemplatesOptions {
  /** See LoadOptions.root; default: the templates directory itself. */
  root?: string;
  /** Virtual files of the templates directory (by path), replacing or adding to what is on disk. */
  overlay?: ReadonlyMap<string, string>;
  /** Set by loadWorkspace. */
  inside?: Containment;
}

export async function loadTemplates(templatesDir: string, opts: LoadTemplatesOptions = {}): Promise<{ templates: Map<string, ParsedTemplate>; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const inside = opts.inside ?? new Containment(opts.root ?? templatesDir);
  const virtual = new Map<string, string>();
  for (const [file, text] of opts.overlay ?? []) if (path.resolve(path.dirname(file)) === path.resolve(templatesDir)) virtual.set(path.basename(file), text);
  const onDisk = await listDir(templatesDir, 'templates', diagnostics, inside, virtual.size > 0);
  const names = [...new Set([...onDisk, ...virtual.keys()])].sort(byCodePoint);
  const templates = new Map<string, ParsedTemplate>();
  const xmlNames = names.filter((n) => n.endsWith(TEMPLATE_SUFFIX) && n.length > TEMPLATE_SUFFIX.length);
  const templateNames = new Set(xmlNames.map((n) => n.slice(0, -TEMPLATE_SUFFIX.length)));
  const sidecars = new Map<string, string>();
  for (const n of names) {
    const m = /^(.*)\.ya?ml$/.exec(n);
    if (!m) continue;
    const file = path.join(templatesDir, n);
    if (!templateNames.has(m[1]!)) {
      diagnostics.push({ severity: 'warning', code: 'orphan-sidecar', message: `sidecar without a template: expected ${path.join(templatesDir, m[1]! + TEMPLATE_SUFFIX)}`, file });
      continue;
    }
    if (sidecars.has(m[1]!)) {
      diagnostics.push({ severity: 'error', code: 'duplicate-sidecar', message: `template ${m[1]} has two sidecars (${sidecars.get(m[1]!)} and ${file})`, file });
      continue;
    }
    sidecars.set(m[1]!, file);
  }
  await Promise.all(
    xmlNames.map(async (n) => {
      const name = n.slice(0, -TEMPLATE_SUFFIX.length);
      const file = path.join(templatesDir, n);
      let sidecar: TemplateSidecar | undefined;
      const sidecarFile = sidecars.get(name);
      const read = (f: string): Promise<Buffer> => {
        const v = virtual.get(path.basename(f));
        return v !== undefined ? Promise.resolve(Buffer.from(v, 'utf8')) : fs.readFile(f);
      };
      const unreadable = (f: string) => (err: unknown): undefined => {
        diagnostics.push({ severity: 'error', code: 'unreadable-file', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file: f });
        return undefined;
      };
      const [bytes, sidecarText] = await Promise.all([
        read(file).catch(unreadable(file)),
        sidecarFile ? read(sidecarFile).then((b) => b.toString('utf8'), unreadable(sidecarFile)) : undefined,
      ]);
      if (bytes === undefined) return;
      if (sidecarFile && sidecarText !== undefined) {
        const s = parseSidecar(sidecarFile, sidecarText);
        sidecar = s.sidecar;
        diagnostics.push(...s.diagnostics);
      }
      const t = parseTemplate(name, file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sidecar);
      diagnostics.push(...t.diagnostics);
      templates.set(name, t.template);
    }),
  );
  const sorted = new Map([...templates.entries()].sort((a, b) => byCodePoint(a[0], b[0])));
  return { templates: sorted, diagnostics };
}

export function parseDefaults(file: string, text: string): { defaults: Defaults; diagnostics: Diagnostic[] } {
  const y = new YamlSource(file, text);
  const defaults: Defaults = { file, tokens: new Map() };
  const top = y.ok ? y.topMap('the defaults file') : undefined;
  if (top) {
    for (const { key, value } of y.pairs(top, DEFAULTS_KEYS, '')) {
      if (key === 'tokens') defaults.tokens = tokenMap(y, value, 'tokens');
    }
  }
  return { defaults, diagnostics: y.diagnostics };
}

/**
 * Files of the jobs directory that look like definitions but are not read (only `jobs/*.yaml` and
 * `jobs/*.yml` are): definition files in a subdirectory, and `.YAML`-style names, are errors (their
 * projects would silently vanish, and the sync delete their jobs); backups such as `x.yaml.orig`
 * or `x.yaml~` are warnings. Hidden subdirectories (`.git`) and the templates directory are not looked into.
 */
function unreadDefinitions(jobsDir: string, names: readonly string[], subdirs: readonly string[], templatesDir: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const n of names) {
    if (/\.ya?ml$/.test(n)) continue;
    const file = path.join(jobsDir, n);
    if (/\.ya?ml$/i.test(n)) {
      out.push({ severity: 'error', code: 'definition-name', file, message: `not read: a definition file's name ends in .yaml or .yml, in lower case; rename it to ${n.replace(/\.(ya?ml)$/i, (_m, ext: string) => `.${ext.toLowerCase()}`)}` });
    } else if (/\.ya?ml(?:[.~_-]|$)/i.test(n)) {
      out.push({ severity: 'warning', code: 'ignored-file', file, message: 'not read: only *.yaml and *.yml files are definitions (a backup or editor copy? if it holds a project, rename it)' });
    }
  }
  for (const d of subdirs.filter((x) => !x.startsWith('.')).sort(byCodePoint)) {
    const sub = path.resolve(jobsDir, d);
    if (templatesDir === sub || templatesDir.startsWith(sub + path.sep)) continue; // the templates (and their sidecars) live there
    const found = firstYamlBelow(path.join(jobsDir, d), 4);
    if (found !== undefined) {
      out.push({
        severity: 'error',
        code: 'definitions-in-subdirectory',
        file: found,
        message: `not read: definitions are read only from ${jobsDir}/*.yaml, not from its subdirectories (${path.join(jobsDir, d)}/); move the file up to ${path.join(jobsDir, path.basename(found))} (a project's Jenkins folder is set with folder: inside the file)`,
      });
    }
  }
  return out;
}

/** The first *.yaml / *.yml file (any case) below `dir`, at most `depth` levels down (hidden directories skipped). */
function firstYamlBelow(dir: string, depth: number): string | undefined {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  entries.sort((a, b) => byCodePoint(a.name, b.name));
  for (const e of entries) if ((e.isFile() || e.isSymbolicLink()) && /\.ya?ml$/i.test(e.name)) return path.join(dir, e.name);
  if (depth <= 1) return undefined;
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const found = firstYamlBelow(path.join(dir, e.name), depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export async function loadWorkspace(opts: LoadOptions): Promise<{ workspace: Workspace; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const inside = containments(opts.templatesDir, opts.jobsDir, opts.root);
  const overlay = new Map((opts.overlay ?? []).map((o) => [o.file, o.text]));
  const templatesDir = path.resolve(opts.templatesDir);
  const jobsOverlay = (opts.overlay ?? []).filter((o) => path.resolve(path.dirname(o.file)) !== templatesDir || path.resolve(opts.jobsDir) === templatesDir);
  const jobSubdirs: string[] = [];
  const [t, jobNames] = await Promise.all([
    loadTemplates(opts.templatesDir, { inside: inside.templates, overlay }),
    listDir(opts.jobsDir, 'jobs', diagnostics, inside.jobs, jobsOverlay.length > 0, jobSubdirs),
  ]);
  diagnostics.push(...t.diagnostics);
  // Never silently: a definition that is not read is a project whose jobs the sync would delete.
  if (path.resolve(opts.jobsDir) !== templatesDir) diagnostics.push(...unreadDefinitions(opts.jobsDir, jobNames, jobSubdirs, templatesDir));

  // Definition files by resolved path; overlay entries replace or add.
  const files = new Map<string, { file: string; name: string; text?: string }>();
  // (path.resolve of each of thousands of names, without resolving the directory each time)
  const jobsAbs = path.resolve(opts.jobsDir);
  const jobsPrefix = jobsAbs.endsWith(path.sep) ? jobsAbs : jobsAbs + path.sep;
  // (and path.join(jobsDir, n) for a plain file name n, without normalising the directory each time)
  const jobsJoined = path.join(opts.jobsDir, '.');
  const shownPrefix = jobsJoined === '.' ? '' : jobsJoined.endsWith(path.sep) ? jobsJoined : jobsJoined + path.sep;
  for (const n of jobNames) {
    if (!(n.endsWith('.yaml') || n.endsWith('.yml'))) continue;
    files.set(jobsPrefix + n, { file: shownPrefix + n, name: n });
  }
  for (const o of jobsOverlay) files.set(path.resolve(o.file), { file: o.file, name: path.basename(o.file), text: o.text });

  const entries = [...files.values()].sort((a, b) => byCodePoint(a.name, b.name));
  const workspace: Workspace = { templatesDir: opts.templatesDir, jobsDir: opts.jobsDir, templates: t.templates, definitions: [], defaults: { tokens: new Map() } };
  // Diagnostics in a fixed order however the files are visited: every unreadable file first, then
  // each file's own, in file-name order.
  const unreadable: Array<Diagnostic | undefined> = entries.map(() => undefined);
  const ofFile: Diagnostic[][] = entries.map(() => []);
  // Many small files: synchronous reads are several times faster than as many promises.
  const cannotRead = (i: number, code: string | undefined): undefined => {
    unreadable[i] = { severity: 'error', code: 'unreadable-file', message: `cannot read: ${code}`, file: entries[i]!.file };
    return undefined;
  };
  const readHere = (i: number): string | undefined => {
    const e = entries[i]!;
    if (e.text !== undefined) return e.text;
    try {
      // The same rule as render's writer thread reading ahead (src/output/staged-tree.ts): opened
      // without waiting, so a named pipe cannot hold the command; what reads as empty and is a
      // pipe, a socket or a device is refused as such.
      const text = readFileSync(e.file, READ_NOW);
      if (text === '') {
        const st = statSync(e.file);
        if (!st.isFile() && !st.isDirectory()) return cannotRead(i, 'not a regular file');
      }
      return text;
    } catch (err) {
      return cannotRead(i, (err as NodeJS.ErrnoException).code);
    }
  };
  const isDefaults = (e: { name: string }): boolean => e.name === DEFAULTS_FILE || e.name === '_defaults.yml';
  // Every file but the defaults (read first, here) and the overlay's, in order, when read elsewhere.
  const readNext = opts.readFiles?.(entries.filter((e) => e.text === undefined && !isDefaults(e)).map((e) => e.file));
  const read = (i: number): string | undefined | Promise<string | undefined> => {
    const e = entries[i]!;
    if (!readNext || e.text !== undefined || isDefaults(e)) return readHere(i);
    const r = readNext();
    const take = (x: string | { code: string }): string | undefined => (typeof x === 'string' ? x : cannotRead(i, x.code));
    return r instanceof Promise ? r.then(take) : take(r);
  };
  // The defaults file first: every definition's values depend on it (the last one read wins).
  entries.forEach((e, i) => {
    if (!isDefaults(e)) return;
    const text = readHere(i);
    if (text === undefined) return;
    const d = parseDefaults(e.file, text);
    workspace.defaults = d.defaults;
    ofFile[i]!.push(...d.diagnostics);
  });
  for (let i = 0; i < entries.length; i++) {
    // Now and then a turn of the event loop (a signal handler, a server's other requests).
    if (i % 512 === 511) await new Promise((resolve) => setImmediate(resolve));
    const e = entries[i]!;
    if (isDefaults(e)) continue;
    if (e.name.startsWith('_') || e.name.startsWith('.')) {
      if ((await read(i)) !== undefined) ofFile[i]!.push({ severity: 'warning', code: 'ignored-file', message: `ignored: names starting with _ or . are reserved (the defaults file is ${DEFAULTS_FILE})`, file: e.file });
      continue;
    }
    let text = read(i);
    if (text instanceof Promise) text = await text;
    if (text === undefined) continue;
    const d = parseDefinition(e.file, text);
    ofFile[i]!.push(...d.diagnostics);
    if (d.definition) {
      workspace.definitions.push(d.definition);
      opts.onDefinition?.(d.definition, workspace);
    }
  }
  for (const d of unreadable) if (d) diagnostics.push(d);
  for (const ds of ofFile) diagnostics.push(...ds);
  return { workspace, diagnostics };
}

export type { Loc };
