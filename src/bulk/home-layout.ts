import path from 'node:path';

/**
 * Where configs live in a JENKINS_HOME-layout directory:
 *   jobs/<a>/config.xml, jobs/<a>/jobs/<b>/config.xml      jobs and folders (nested)
 *   views/<view>.xml                                        root views
 *   jobs/<folder>/views/<view>.xml                          views inside a folder
 * (Jenkins itself keeps views inside the parent's config.xml; one file per view is easier to
 * diff and restore.) Job names cannot contain `/`; any name that would escape the directory
 * (`.`/`..`) is refused.
 */
export function jobConfigPath(fullName: string): string {
  const segs = fullName.split('/');
  for (const s of segs) if (s === '' || s === '.' || s === '..') throw new Error(`unsafe job name: ${fullName}`);
  return path.posix.join(...segs.flatMap((s) => ['jobs', s]), 'config.xml');
}

export function viewConfigPath(name: string, folder: readonly string[]): string {
  for (const s of [...folder, name]) if (s === '' || s === '.' || s === '..' || s.includes('/')) throw new Error(`unsafe view name: ${[...folder, name].join('/')}`);
  return path.posix.join(...folder.flatMap((s) => ['jobs', s]), 'views', `${name}.xml`);
}

/** The inverse of jobConfigPath / viewConfigPath for a relative posix path, or undefined. */
export function parseHomePath(rel: string): { kind: 'job'; fullName: string } | { kind: 'view'; name: string; folder: string[] } | undefined {
  const segs = rel.split('/');
  const names: string[] = [];
  let i = 0;
  while (i + 1 < segs.length && segs[i] === 'jobs') {
    names.push(segs[i + 1]!);
    i += 2;
    if (segs[i] === 'config.xml' && i === segs.length - 1) return { kind: 'job', fullName: names.join('/') };
  }
  if (segs[i] === 'views' && i === segs.length - 2 && segs[i + 1]!.endsWith('.xml')) {
    return { kind: 'view', name: segs[i + 1]!.slice(0, -4), folder: names };
  }
  return undefined;
}
