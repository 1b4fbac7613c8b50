/**
 * Which projects the definitions ever had: the names of the definition files (`jobs/<project>.yaml`)
 * in any commit of HEAD's history, read with one `git log`. The planner holds the deletion of a
 * project's jobs when the project was never in these definitions (src/plan/rules/project-history.ts):
 * its jobs were made or adopted from a commit this checkout does not have (an `import --adopt` not
 * pushed yet, a sync from a local branch), and "no longer in the definitions" would be untrue.
 *
 * Undefined when it cannot be told: not a git work tree, a shallow clone (its history is cut), no
 * commit yet, or git failed; the planner then goes by the definitions alone, as before.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { definitionsGit } from './definitions-git.js';

export async function projectHistory(jobsDir: string, opts: { timeoutMs?: number } = {}): Promise<ReadonlySet<string> | undefined> {
  const dir = path.resolve(jobsDir);
  if (!existsSync(dir)) return undefined;
  const git = definitionsGit(dir, opts.timeoutMs);
  try {
    if ((await git.raw(['rev-parse', '--is-shallow-repository'])).trim() !== 'false') return undefined;
    const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
    const listing = await git.raw(['-c', 'core.quotePath=false', 'log', '--format=', '--name-only', '--no-renames', 'HEAD', '--', '.']);
    const names = new Set<string>();
    for (const line of listing.split('\n')) {
      const file = line.trim();
      if (!file.startsWith(prefix)) continue;
      const rel = file.slice(prefix.length);
      const m = /^([^/]+)\.ya?ml$/.exec(rel);
      if (m && !m[1]!.startsWith('_')) names.add(m[1]!);
    }
    return names;
  } catch {
    return undefined;
  }
}
