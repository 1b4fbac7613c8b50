/**
 * `jobsmith archive list [--job GLOB]` and `jobsmith archive show JOB [BUILD]`: read the build
 * relics jobsmith archived before deleting jobs (`--json` for scripts). The archive is `--archive
 * DIR` or `archive.dir` in jobsmith.yaml. Names and logs come from Jenkins: control characters are
 * escaped before they reach the terminal (`--raw` prints a log byte for byte).
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { EXIT } from './exit-codes.js';
import { withArchiveOption, type ArchiveArgs } from './archive-options.js';
import { printable, printableLines } from './printable.js';
import type { ArchivedBuild, ArchivedJob } from '../model/archive-store.js';
import type { FsArchiveStore } from '../archive/fs-archive-store.js';

interface Args extends ArchiveArgs {
  json: boolean;
}
interface ListArgs extends Args {
  job?: string;
}
interface ShowArgs extends Args {
  job: string;
  build?: number;
  entry?: string;
  raw: boolean;
}

function options<T>(y: Argv<T>): Argv<T & Args> {
  return withArchiveOption(y, 'The archive directory (default: archive.dir in jobsmith.yaml)')
    .option('config', { type: 'string', describe: 'Config file (default ./jobsmith.yaml when present)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as unknown as Argv<T & Args>;
}

/** The store, or undefined after printing why there is none (exit code set). */
async function openArchive(a: Args): Promise<FsArchiveStore | undefined> {
  if (Array.isArray(a.archive)) {
    process.stderr.write('error: --archive was given more than once\n');
    process.exitCode = EXIT.usage;
    return undefined;
  }
  const { readArchiveSettings } = await import('../archive/archive-settings.js');
  const { printDiagnostics } = await import('./print-diagnostics.js');
  const r = readArchiveSettings({ cwd: process.cwd(), ...(a.config !== undefined ? { configFile: a.config } : {}), ...(a.archive !== undefined ? { flagDir: a.archive } : {}) });
  printDiagnostics(r.diagnostics);
  if (r.diagnostics.some((d) => d.severity === 'error')) {
    process.exitCode = EXIT.badInput;
    return undefined;
  }
  if (!r.policy) {
    process.stderr.write('error: no archive: pass --archive DIR or set archive.dir in jobsmith.yaml\n');
    process.exitCode = EXIT.usage;
    return undefined;
  }
  const { FsArchiveStore } = await import('../archive/fs-archive-store.js');
  const store = new FsArchiveStore(r.policy.dir);
  if (!(await store.exists())) {
    process.stderr.write(`error: ${printable(store.location)} is not a jobsmith archive (no jobsmith-archive.json): nothing has been archived there yet, or the path is wrong\n`);
    process.exitCode = EXIT.badInput;
    return undefined;
  }
  return store;
}

function tests(t: ArchivedBuild['tests'] | undefined): string {
  return t ? `tests ${t.totalCount} (${t.failCount} failed, ${t.skipCount} skipped)` : 'no tests';
}

const list: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'List archived jobs (newest archiving first)',
  builder: (y) => options(y).option('job', { type: 'string', describe: 'Only jobs whose full name matches this glob (team/*, *feature*)' }) as unknown as Argv<ListArgs>,
  handler: async (a) => {
    // an empty pattern (`--job "$UNSET"`) or one picomatch cannot use is a usage error, as `--only ""` is
    const bad = a.job !== undefined ? (await import('../model/glob.js')).globProblem(a.job) : undefined;
    if (bad !== undefined) {
      process.stderr.write(`error: --job ${printable(JSON.stringify(a.job))}: ${bad}; leave --job out to list every archived job\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    const store = await openArchive(a);
    if (!store) return;
    const picomatch = (await import('picomatch')).default;
    const match = a.job !== undefined ? picomatch(a.job, { dot: true }) : () => true;
    const entries = (await store.list()).filter((e) => match(e.fullName));
    if (a.json) {
      process.stdout.write(JSON.stringify({ archive: store.location, entries }, null, 1) + '\n');
      return;
    }
    const { formatTime } = await import('../archive/read-archive.js');
    if (entries.length === 0) {
      process.stdout.write(a.job !== undefined ? `No archived job matches ${printable(a.job)} in ${printable(store.location)}.\n` : `No archived jobs in ${printable(store.location)}.\n`);
      return;
    }
    let out = '';
    for (const e of entries) {
      const last = e.builds[0];
      const lastText = last ? `last #${last.number} ${last.result ?? 'running'}` : 'no builds';
      out += `${printable(e.fullName)}\t${e.builds.length} build(s), ${lastText}\tarchived ${formatTime(Date.parse(e.archivedAt))}\t${printable(e.id)}\n`;
    }
    out += `${entries.length} archived job(s) in ${printable(store.location)}\n`;
    process.stdout.write(out);
  },
};

function entryText(e: ArchivedJob, where: string, formatTime: (ms: number) => string, formatDuration: (ms: number) => string): string {
  let out = `${printable(e.fullName)}  archived ${formatTime(Date.parse(e.archivedAt))}: ${printable(e.reason)}\n`;
  out += `  entry ${printable(e.id)} in ${printable(where)}\n`;
  const m = e.marker;
  if (m) {
    const made = [m.project !== undefined ? `project ${m.project}` : '', m.template !== undefined ? `template ${m.template}` : '', m.branch !== undefined ? `branch ${m.branch}` : ''].filter(Boolean).join(', ');
    if (made) out += `  made by jobsmith from ${printable(made)}\n`;
  }
  if (e.builds.length === 0) out += '  no builds\n';
  for (const b of e.builds) {
    const arts = b.artifactCount === 0 ? 'no artifacts' : `${b.artifactCount} artifact(s)${b.artifactsCopied ? '' : ' (listed, not copied)'}`;
    out += `  #${b.number}\t${(b.result ?? 'running').padEnd(9)}\t${formatTime(b.timestamp)}\t${formatDuration(b.duration)}\t${tests(b.tests)}\t${arts}\n`;
  }
  if (e.buildsNotArchived > 0) out += `  ${e.buildsNotArchived} older build(s) not archived\n`;
  for (const n of e.notes) out += `  note: ${printable(n)}\n`;
  return out;
}

function buildText(e: ArchivedJob, b: ArchivedBuild, formatTime: (ms: number) => string, formatDuration: (ms: number) => string): string {
  let out = `${printable(e.fullName)} #${b.number}: ${b.result ?? 'still running when archived'}\n`;
  out += `  started ${formatTime(b.timestamp)}, took ${formatDuration(b.duration)}\n`;
  for (const c of b.causes) out += `  cause: ${printable(c.shortDescription ?? c.className)}\n`;
  if (b.parameters.length) out += `  parameters: ${b.parameters.map((p) => printable(`${p.name}=${p.value === undefined ? '(not exported)' : String(p.value)}`)).join(', ')}\n`;
  if (b.revision) out += `  revision: ${printable(b.revision.sha1)}${b.revision.branches.length ? ` (${printable(b.revision.branches.join(', '))})` : ''}\n`;
  out += `  ${tests(b.tests)}\n`;
  if (b.artifacts.list.length) {
    out += `  artifacts: ${b.artifacts.list.map((x) => printable(x.relativePath)).join(', ')}\n`;
    out += b.artifacts.copied ? `    copied (artifacts.zip, ${b.artifacts.bytes ?? 0} bytes)\n` : `    not copied: ${printable(b.artifacts.notCopied ?? '')}\n`;
  }
  return out;
}

const show: CommandModule<object, ShowArgs> = {
  command: 'show <job> [build]',
  describe: 'Show an archived job (its builds), or one build with its console log',
  builder: (y) =>
    options(y)
      .positional('job', { type: 'string', demandOption: true, describe: 'Full name of the job (folder/name)' })
      .positional('build', { type: 'number', describe: 'Build number' })
      .option('entry', { type: 'string', describe: 'Which archiving of the job (its id, from `archive list`); default: the newest that has the build' })
      .option('raw', { type: 'boolean', default: false, describe: 'Print the console log byte for byte (control characters included)' }) as unknown as Argv<ShowArgs>,
  handler: async (a) => {
    // Jenkins numbers builds with a Java int
    if (a.build !== undefined && (!Number.isInteger(a.build) || a.build < 1 || a.build > 2147483647)) {
      process.stderr.write('error: BUILD must be a build number (1, 2, ...)\n');
      process.exitCode = EXIT.usage;
      return;
    }
    const store = await openArchive(a);
    if (!store) return;
    const { entriesOf, findBuild, formatDuration, formatTime, readWhole } = await import('../archive/read-archive.js');
    const entries = (await entriesOf(store, a.job)).filter((e) => a.entry === undefined || e.id === a.entry);
    if (entries.length === 0) {
      const { didYouMean } = await import('../load/did-you-mean.js');
      const names = new Set((await store.list()).map((e) => e.fullName));
      process.stderr.write(`error: no archived job ${printable(a.job)}${a.entry !== undefined ? ` with entry ${printable(a.entry)}` : ''} in ${printable(store.location)}${printable(didYouMean(a.job, names))}\n`);
      process.exitCode = EXIT.badInput;
      return;
    }
    if (a.build === undefined) {
      if (a.json) process.stdout.write(JSON.stringify({ archive: store.location, entries }, null, 1) + '\n');
      else process.stdout.write(entries.map((e) => entryText(e, store.where(e.id), formatTime, formatDuration)).join('\n'));
      return;
    }
    const found = await findBuild(store, a.job, a.build, a.entry);
    if (!found) {
      const numbers = [...new Set(entries.flatMap((e) => e.builds.map((b) => b.number)))].sort((x, y) => y - x);
      process.stderr.write(`error: ${printable(a.job)} has no archived build #${a.build}${numbers.length ? ` (archived: ${numbers.map((n) => `#${n}`).join(', ')})` : ''}\n`);
      process.exitCode = EXIT.badInput;
      return;
    }
    const log = (await readWhole(store, found.entry.id, { kind: 'console', build: a.build }))?.toString('utf8') ?? '';
    if (a.json) {
      process.stdout.write(JSON.stringify({ archive: store.location, entry: found.entry.id, job: found.entry.fullName, build: found.build, log }, null, 1) + '\n');
      return;
    }
    process.stdout.write(buildText(found.entry, found.build, formatTime, formatDuration));
    process.stdout.write(`  files: ${printable(store.where(found.entry.id))}/builds/${a.build}/\n--- console log ---\n`);
    process.stdout.write(a.raw ? log : printableLines(log));
    if (log !== '' && !log.endsWith('\n')) process.stdout.write('\n');
  },
};

export const archiveCommand: CommandModule<object, object> = {
  ...commandInfo('archive'),
  builder: (y) => y.command(list).command(show).demandCommand(1),
  handler: () => {},
};
