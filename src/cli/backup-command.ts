/**
 * `jobsmith backup --out DIR | --git REPO`: every job's, folder's and view's config.xml into a
 * JENKINS_HOME-layout directory, or into a git repository with one commit per run (none when
 * nothing changed).
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { UsageError } from '../model/errors.js';
import type { BackupResult } from '../bulk/backup-jenkins.js';
import { connectionOptions, openJenkins, type ConnectionArgs } from './connection-options.js';
import { EXIT } from './exit-codes.js';
import { checkDirectoryArg } from './directory-arg.js';

interface BackupArgs extends ConnectionArgs {
  out?: string;
  git?: string;
  json: boolean;
  'allow-mass-remove': boolean;
}

export const backupCommand: CommandModule<object, BackupArgs> = {
  ...commandInfo('backup'),
  builder: (y) =>
    connectionOptions(y)
      .option('out', { type: 'string', describe: 'Directory to write (kept in step: files of deleted items are removed)' })
      .option('git', { type: 'string', describe: 'Git repository directory (created when missing); one commit per run, none when nothing changed' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result on stdout' })
      .option('allow-mass-remove', { type: 'boolean', default: false, describe: 'Remove files even when more than half of the backup (and over 10 files) is no longer listed' })
      .conflicts('out', 'git') as unknown as Argv<BackupArgs>,
  handler: async (a) => {
    if (!a.out && !a.git) throw new UsageError('name where to write: --out DIR or --git REPO');
    checkDirectoryArg(a.git ?? a.out!, a.git ? '--git' : '--out');
    const { systemClock } = await import('../model/clock.js');
    const { backupJenkins } = await import('../bulk/backup-jenkins.js');
    const { backupToGit } = await import('../bulk/backup-git.js');
    process.exitCode = await openJenkins(a, async ({ api, where, url, concurrency }) => {
      if (!a.json) process.stderr.write(`${where}\n`);
      // Ctrl-C: say how far the backup got and what that leaves behind, then exit 130.
      const progress = { done: 0, total: 0 };
      const dir = a.git ?? a.out!;
      const onSigint = (): void => {
        const got = progress.total ? `after ${progress.done} of ${progress.total} items` : 'before any item was fetched';
        const left = a.git
          ? 'files already fetched may have been written into the work tree; nothing was committed (the repository is at its previous commit)'
          : 'files already fetched were written; the others keep their previous copies';
        process.stderr.write(`\ninterrupted: backup into ${dir} stopped ${got}: ${left}; run the backup again to complete it\n`);
        process.exit(EXIT.interrupted);
      };
      process.on('SIGINT', onSigint);
      const common = {
        concurrency,
        allowMassRemove: a['allow-mass-remove'],
        onItem: (done: number, total: number) => {
          progress.done = done;
          progress.total = total;
        },
      };
      let r: BackupResult & { commit?: string | null };
      if (a.git) r = await backupToGit(api, a.git, { ...common, clock: systemClock, ...(a.embedded === undefined ? { jenkinsUrl: url } : {}) });
      else r = await backupJenkins(api, a.out!, common);
      process.off('SIGINT', onSigint);
      const jobs = r.entries.filter((e) => e.kind !== 'view').length;
      const views = r.entries.length - jobs;
      if (a.json) {
        process.stdout.write(JSON.stringify({ dir: a.git ?? a.out, jobs, views, written: r.written, unchanged: r.unchanged, removed: r.removed, keptStale: r.keptStale, failed: r.failed, ...(a.git ? { commit: r.commit ?? null } : {}) }, null, 2) + '\n');
      } else {
        for (const f of r.failed) process.stderr.write(`FAILED ${f.name}: ${f.error}\n`);
        if (r.keptStale) process.stderr.write(`warning: ${r.keptStale} files of items Jenkins no longer lists were kept (more than half of the backup); --allow-mass-remove removes them\n`);
        let line = `backup of ${jobs} jobs and folders, ${views} views in ${a.git ?? a.out}: ${r.written} written, ${r.unchanged} unchanged, ${r.removed} removed`;
        if (r.failed.length) line += `, ${r.failed.length} failed (their previous copies were kept)`;
        if (a.git) line += r.commit ? `; commit ${r.commit.slice(0, 12)}` : '; nothing changed, no commit';
        process.stdout.write(line + '\n');
      }
      return r.failed.length ? EXIT.external : EXIT.ok;
    });
  },
};
