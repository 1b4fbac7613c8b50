import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { simpleGit } from 'simple-git';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import { ExternalError } from '../model/errors.js';
import { commonRoot, Containment, writeProblem } from '../load/contained-path.js';
import { loadWorkspace } from '../load/workspace.js';
import { renderWorkspace } from '../render/render-workspace.js';
import { definitionFacts, DefinitionEditError, renameTokenInTemplate, renameTokenInYaml, setTokenInYaml } from './definition-edit.js';
import { errorText } from './error-text.js';
import { didYouMean } from '../load/did-you-mean.js';

/** A `--where` or a name that matches nothing (a typo): the CLI makes it a usage error (exit 2), like an `--only` that matches nothing. */
export class NoMatchError extends DefinitionEditError {
  override name = 'NoMatchError';
}

/** Names that look like tokens (MVN.VERSION) in `text`, for "did you mean". */
function tokenLikeNames(text: string, into: Set<string>): void {
  for (const m of text.matchAll(/[A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+/g)) into.add(m[0]);
}

export interface DefinitionDirs {
  templatesDir: string;
  jobsDir: string;
}

export interface FileEdit {
  file: string;
  before: string;
  after: string;
  /** Keys or references changed in this file. */
  count: number;
}

/** `--where KEY=GLOB` on a definition: project, folder, template (any of its templates), view. */
export interface DefinitionWhere {
  key: 'project' | 'folder' | 'template' | 'view';
  glob: string;
}

export function parseDefinitionWhere(spec: string): DefinitionWhere {
  const m = /^(project|folder|template|view)=(.+)$/.exec(spec);
  if (!m) throw new DefinitionEditError(`--where ${spec}: expected project=GLOB, folder=GLOB, template=GLOB or view=GLOB`);
  return { key: m[1] as DefinitionWhere['key'], glob: m[2]! };
}

/** The definitions root of `dirs` (see src/load/contained-path.ts). */
function containment(dirs: DefinitionDirs, file: string): Containment {
  const root = commonRoot([dirs.templatesDir, dirs.jobsDir]);
  if (root !== undefined) return new Containment(root);
  return new Containment(path.resolve(path.dirname(file)) === path.resolve(dirs.templatesDir) ? dirs.templatesDir : dirs.jobsDir);
}

/** Read a file of the definitions; one that resolves outside them (a symbolic link out) is refused. */
async function readInside(dirs: DefinitionDirs, file: string): Promise<string> {
  const target = containment(dirs, file).outside(file);
  if (target !== undefined) throw new DefinitionEditError(`${file} resolves to ${target}, outside the definitions: a symbolic link out of the definitions is refused; nothing was changed`);
  return readFile(file, 'utf8');
}

/** The names in one of the two directories; a missing one, or a file in its place, is the user's mistake. */
async function namesIn(dir: string, what: 'jobs' | 'templates'): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is not a directory' : (code ?? String(err));
    throw new DefinitionEditError(`cannot read the ${what} directory ${dir}: ${why}; nothing was changed`);
  }
}

/** Both directories must be readable before anything is planned (an edit of one alone could not be checked). */
async function requireDirs(dirs: DefinitionDirs): Promise<void> {
  await namesIn(dirs.jobsDir, 'jobs');
  await namesIn(dirs.templatesDir, 'templates');
}

async function yamlFiles(dir: string, what: 'jobs' | 'templates'): Promise<string[]> {
  const names = (await namesIn(dir, what)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((n) => path.join(dir, n));
}

/**
 * `set-default TOKEN VALUE`: without `where`, in `jobs/_defaults.yaml` (created when missing);
 * with `where`, in each matching project's own `tokens:`.
 */
export async function planSetDefault(dirs: DefinitionDirs, token: string, value: string, where: DefinitionWhere[]): Promise<FileEdit[]> {
  await requireDirs(dirs);
  if (where.length === 0) {
    const file = path.join(dirs.jobsDir, '_defaults.yaml');
    let before = '';
    try {
      before = await readInside(dirs, file);
    } catch (err) {
      if (err instanceof DefinitionEditError) throw err;
      /* created */
    }
    const after = setTokenInYaml(file, before, token, value);
    return after === before ? [] : [{ file, before, after, count: 1 }];
  }
  const tests = where.map((w) => ({ ...w, test: picomatch(w.glob, { dot: true }), seen: new Set<string>(), hit: false }));
  const edits: FileEdit[] = [];
  let matched = 0;
  for (const file of await yamlFiles(dirs.jobsDir, 'jobs')) {
    if (path.basename(file).startsWith('_')) continue;
    const before = await readInside(dirs, file);
    const facts = definitionFacts(file, before);
    const values = (key: DefinitionWhere['key']): string[] => (key === 'template' ? facts.templates : key === 'view' ? (facts.view !== undefined ? [facts.view] : []) : [facts[key]]);
    let ok = true;
    for (const t of tests) {
      const vs = values(t.key);
      for (const v of vs) t.seen.add(v);
      const hit = t.key === 'template' || t.key === 'view' ? vs.some((x) => t.test(x)) : t.test(vs[0] ?? '');
      if (hit) t.hit = true;
      else ok = false;
    }
    if (!ok) continue;
    matched++;
    const after = setTokenInYaml(file, before, token, value);
    if (after !== before) edits.push({ file, before, after, count: 1 });
  }
  // A filter that matches no definition is a typo, not "nothing to change".
  for (const t of tests) {
    if (!t.hit) throw new NoMatchError(`--where ${t.key}=${t.glob} matches no definition in ${dirs.jobsDir}${didYouMean(t.glob, t.seen)}; nothing was changed`);
  }
  if (matched === 0) throw new NoMatchError(`--where ${where.map((w) => `${w.key}=${w.glob}`).join(' ')}: no definition in ${dirs.jobsDir} matches all of them; nothing was changed`);
  return edits;
}

/** `rename-token OLD NEW`: token keys in definitions, defaults and sidecars; references in templates. */
export async function planRenameToken(dirs: DefinitionDirs, oldName: string, newName: string): Promise<FileEdit[]> {
  await requireDirs(dirs);
  const edits: FileEdit[] = [];
  for (const file of [...(await yamlFiles(dirs.jobsDir, 'jobs')), ...(await yamlFiles(dirs.templatesDir, 'templates'))]) {
    const before = await readInside(dirs, file);
    const r = renameTokenInYaml(file, before, oldName, newName);
    if (r.count) edits.push({ file, before, after: r.text, count: r.count });
  }
  for (const name of (await namesIn(dirs.templatesDir, 'templates')).filter((n) => n.endsWith('-config.xml')).sort()) {
    const file = path.join(dirs.templatesDir, name);
    const before = await readInside(dirs, file);
    const r = renameTokenInTemplate(before, oldName, newName);
    if (r.count) edits.push({ file, before, after: r.text, count: r.count });
  }
  // A token used nowhere is a typo (set-default says the same of a token no template uses).
  if (edits.length === 0) {
    const names = new Set<string>();
    for (const file of [...(await yamlFiles(dirs.jobsDir, 'jobs')), ...(await yamlFiles(dirs.templatesDir, 'templates'))]) tokenLikeNames(await readInside(dirs, file), names);
    for (const name of (await namesIn(dirs.templatesDir, 'templates')).filter((n) => n.endsWith('-config.xml'))) tokenLikeNames(await readInside(dirs, path.join(dirs.templatesDir, name)), names);
    throw new DefinitionEditError(`no template, sidecar or definition uses the token ${oldName}${didYouMean(oldName, names)}; nothing was changed`);
  }
  return edits;
}

/**
 * Every check the write runs, without writing: each edited file must be safe to write (not a
 * symbolic link out of the definitions, or to nothing), and the definitions as they would be after
 * the edits (the edits as an overlay on the loader: the same code as `jobsmith validate`) must load
 * and render without errors.
 */
export async function checkEdits(dirs: DefinitionDirs, edits: readonly FileEdit[]): Promise<Diagnostic[]> {
  const unsafe: Diagnostic[] = [];
  for (const e of edits) {
    const problem = writeProblem(e.file, containment(dirs, e.file));
    if (problem) unsafe.push({ severity: 'error', code: 'outside-definitions', message: problem, file: e.file });
  }
  if (unsafe.length) return unsafe;
  const loaded = await loadWorkspace({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir, overlay: edits.map((e) => ({ file: e.file, text: e.after })) });
  const rendered = renderWorkspace(loaded.workspace, {});
  return [...loaded.diagnostics, ...rendered.diagnostics];
}

/**
 * Check, write and (when the directory is in a git work tree) commit the edits. Nothing is
 * written when the edited definitions would have errors. The commit holds exactly the diff shown:
 * an edited file that already has uncommitted changes (edited, staged or untracked) is refused
 * before anything is written (a dry run says so too), since committing it would sweep those
 * changes in under jobsmith's message. A commit that fails puts the files back as they were.
 */
export async function writeEdits(
  dirs: DefinitionDirs,
  edits: readonly FileEdit[],
  message: string,
  opts: { commit: boolean; dryRun?: boolean },
): Promise<{ diagnostics: Diagnostic[]; written: boolean; commit?: string; notInGit?: boolean }> {
  const diagnostics = await checkEdits(dirs, edits);
  if (hasErrors(diagnostics)) return { diagnostics, written: false };
  let repo: { top: string; rel: string[] } | undefined;
  if (opts.commit && edits.length) {
    const g = simpleGit(path.dirname(path.resolve(edits[0]!.file)));
    if (await g.checkIsRepo().catch(() => false)) {
      const top = (await g.revparse(['--show-toplevel'])).trim();
      repo = { top, rel: edits.map((e) => path.relative(top, path.resolve(e.file)).split(path.sep).join('/')) };
      let status: string;
      try {
        status = await simpleGit(top).raw(['status', '--porcelain', '-z', '--untracked-files=all', '--', ...repo.rel.map((r) => `:(literal)${r}`)]);
      } catch (err) {
        throw new ExternalError(`git status of the edited definitions failed: ${errorText(err)}`);
      }
      const dirty = new Set(status.split('\0').filter((l) => l.length > 3).map((l) => l.slice(3)));
      for (const [i, e] of edits.entries()) {
        if (!dirty.has(repo.rel[i]!)) continue;
        diagnostics.push({ severity: 'error', code: 'uncommitted-changes', file: e.file, message: `uncommitted changes in this file: the commit would take them in with this edit: commit or stash them first, or use --no-commit (then nothing is committed)` });
      }
      if (hasErrors(diagnostics)) return { diagnostics, written: false };
    }
  }
  if (opts.dryRun) return { diagnostics, written: false };
  for (const e of edits) await writeFile(e.file, e.after);
  if (!opts.commit || edits.length === 0) return { diagnostics, written: true };
  if (!repo) return { diagnostics, written: true, notInGit: true };
  try {
    const rg = simpleGit(repo.top);
    await rg.add(repo.rel);
    const c = await rg.commit(message, repo.rel);
    return { diagnostics, written: true, commit: c.commit || (await rg.revparse(['HEAD'])).trim() };
  } catch (err) {
    // Put the files back (and out of the index) so that a failed run leaves nothing behind.
    for (const e of edits) await writeFile(e.file, e.before).catch(() => undefined);
    await simpleGit(repo.top).raw(['reset', '--quiet', '--', ...repo.rel]).catch(() => undefined);
    throw new ExternalError(`git: committing the edited definitions failed; the files were put back as they were: ${errorText(err)}`);
  }
}
