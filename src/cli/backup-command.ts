/**
 * `jobsmith backup --out DIR | --git REPO`: every job's, folder's and view's config.xml into a
 * JENKINS_HOME-layout directory, or into a git repository with one commit per run (none when
 * nothing changed).
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { InputError, UsageError } from '../model/errors.js';
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
    const { removeStaleBatches } = await import('../output/output-tree.js');
    // Ctrl-C: say how far each backup got and what that leaves behind, then exit 130.
    const progress = new Map<string, { done: number; total: number }>();
    const onSigint = (): void => {
      for (const [dir, p] of progress) {
        // Files are renamed into place only once every item was fetched (one synchronous step).
        const fetching = p.done < p.total || p.total === 0;
        const files = fetching ? 'nothing was written (every file keeps its previous copy)' : 'the fetched files were written, files of removed items may still be there';
        const left = a.git ? `${files}; nothing was committed (the repository is at its previous commit)` : files;
        const got = p.total ? `after ${p.done} of ${p.total} items` : 'before any item was fetched';
        removeStaleBatches(dir, true);
        process.stderr.write(`\ninterrupted: backup into ${dir} stopped ${got}: ${left}; run the backup again to complete it\n`);
      }
      process.exit(EXIT.interrupted);
    };
    const { backupSource } = await import('../bulk/backup-source.js');
    const backupOne = async (api: import('../model/jenkins-api.js').JenkinsApi, url: string, concurrency: number, target: string, controller?: string): Promise<{ code: number; json: Record<string, unknown> }> => {
      const p = { done: 0, total: 0 };
      progress.set(target, p);
      const { join } = await import('node:path');
      const home = a.embedded === undefined ? undefined : controller !== undefined ? join(a.embedded, controller) : a.embedded;
      const common = {
        concurrency,
        source: backupSource(url, home),
        allowMassRemove: a['allow-mass-remove'],
        onItem: (done: number, total: number) => {
          p.done = done;
          p.total = total;
        },
      };
      let r: BackupResult & { commit?: string | null };
      try {
        if (a.git) r = await backupToGit(api, target, { ...common, clock: systemClock, ...(a.embedded === undefined ? { jenkinsUrl: url } : {}) });
        else r = await backupJenkins(api, target, common);
      } finally {
        progress.delete(target);
      }
      const jobs = r.entries.filter((e) => e.kind !== 'view').length;
      const views = r.entries.length - jobs;
      const json = { ...(controller !== undefined ? { controller } : {}), dir: target, jobs, views, written: r.written, unchanged: r.unchanged, removed: r.removed, keptStale: r.keptStale, failed: r.failed, ...(a.git ? { commit: r.commit ?? null } : {}) };
      if (!a.json) {
        const who = controller !== undefined ? `${controller}: ` : '';
        for (const f of r.failed) process.stderr.write(`${who}FAILED ${f.name}: ${f.error}\n`);
        if (r.keptStale) process.stderr.write(`${who}warning: ${r.keptStale} files of items Jenkins no longer lists were kept (more than half of the backup); --allow-mass-remove removes them\n`);
        let line = `${who}backup of ${jobs} jobs and folders, ${views} views in ${target}: ${r.written} written, ${r.unchanged} unchanged, ${r.removed} removed`;
        if (r.failed.length) line += `, ${r.failed.length} failed (their previous copies were kept)`;
        if (a.git) line += r.commit ? `; commit ${r.commit.slice(0, 12)}` : '; nothing changed, no commit';
        process.stdout.write(line + '\n');
      }
      return { code: r.failed.length ? EXIT.external : EXIT.ok, json };
    };
    // many controllers (docs/controllers.md): every controller (or those --controller names) into DIR/<name>, in parallel
    const { controllersConfig, openControllers, selectedControllers } = await import('./controller-options.js');
    const controllers = await controllersConfig(a);
    // Ctrl-C from the first request on (as long as a backup may be writing)
    const withSigint = async (run: () => Promise<number>): Promise<number> => {
      process.on('SIGINT', onSigint);
      try {
        return await run();
      } finally {
        process.off('SIGINT', onSigint);
      }
    };
    if (controllers) {
      const path = await import('node:path');
      const names = await selectedControllers(a, controllers);
      process.exitCode = await openControllers(a, controllers, names, (cs) =>
        withSigint(async () => {
          if (!a.json) for (const c of cs) process.stderr.write(`${c.where}\n`);
          const results = await Promise.all(
            cs.map(async (c) => {
              try {
                return await backupOne(c.api, c.url, c.concurrency, path.join(a.git ?? a.out!, c.name), c.name);
              } catch (err) {
                // a directory in the way is bad input (exit 1), as with one Jenkins; anything else is this controller's failure
                const message = err instanceof Error ? err.message : String(err);
                if (!a.json) process.stderr.write(`${c.name}: FAILED: ${message} (its backup was left as it was)\n`);
                return { code: err instanceof InputError ? EXIT.badInput : EXIT.external, json: { controller: c.name, error: message } };
              }
            }),
          );
          if (a.json) process.stdout.write(JSON.stringify({ controllers: results.map((r) => r.json) }, null, 2) + '\n');
          return results.some((r) => r.code === EXIT.external) ? EXIT.external : results.some((r) => r.code !== EXIT.ok) ? EXIT.badInput : EXIT.ok;
        }),
      );
      return;
    }
    process.exitCode = await openJenkins(a, ({ api, where, url, concurrency }) =>
      withSigint(async () => {
        if (!a.json) process.stderr.write(`${where}\n`);
        const r = await backupOne(api, url, concurrency, a.git ?? a.out!);
        if (a.json) process.stdout.write(JSON.stringify(r.json, null, 2) + '\n');
        return r.code;
      }),
    );
  },
};
