/**
 * What a saved plan records about the definitions: the git revision (HEAD of the repository
 * holding the definitions, null outside git) and a sha256 over every file under the templates
 * and jobs directories (relative path + bytes), so uncommitted edits count too.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { ExternalError } from '../model/errors.js';

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  }
  await walk(root);
  return out.sort();
}

export async function inputsHash(dirs: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const dir of dirs) {
    for (const file of await listFiles(dir)) {
      h.update(path.relative(dir, file) + '\0');
      h.update(await readFile(file));
      h.update('\0');
    }
    h.update('\u0001');
  }
  return 'sha256:' + h.digest('hex');
}

/** git HEAD of the repository containing `dir`; null when `dir` is not inside a git work tree. */
export async function gitRevision(dir: string): Promise<string | null> {
  const git = simpleGit({ baseDir: path.resolve(dir) });
  let inside: boolean;
  try {
    inside = await git.checkIsRepo();
  } catch {
    return null;
  }
  if (!inside) return null;
  try {
    return (await git.revparse(['HEAD'])).trim();
  } catch (e) {
    const msg = (e as Error).message;
    if (/unknown revision|ambiguous argument 'HEAD'/.test(msg)) return null; // repository without commits
    throw new ExternalError(`git: cannot read the definitions' revision in ${dir}: ${msg.split('\n')[0]}`);
  }
}

export async function definitionsBasis(templatesDir: string, jobsDir: string): Promise<{ revision: string | null; inputsHash: string }> {
  const [revision, hash] = await Promise.all([gitRevision(jobsDir), inputsHash([templatesDir, jobsDir])]);
  return { revision, inputsHash: hash };
}
