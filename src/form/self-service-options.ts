/** Command-line options of `serve` and `create` (yargs only, no heavy imports: the CLI starts fast). */
import type { Argv } from 'yargs';

/** Command-line options shared by `serve` and `create`. */
export interface SelfServiceArgs {
  definitions: string;
  templates?: string;
  jobs?: string;
  remote: string;
  branch?: string;
  push: boolean;
  identity?: string;
  /** Undefined: the config file's `form.sync`, else `now`. */
  sync?: 'now' | 'master-job';
  config?: string;
}

export function selfServiceOptions<T>(y: Argv<T>): Argv<T & SelfServiceArgs> {
  return y
    .option('definitions', { type: 'string', default: '.', describe: 'Git working copy of the definitions repository (holds job-templates/ and jobs/)' })
    .option('templates', { type: 'string', describe: 'Templates directory (default <definitions>/job-templates)' })
    .option('jobs', { type: 'string', describe: 'Definitions directory (default <definitions>/jobs)' })
    .option('remote', { type: 'string', default: 'origin', describe: 'Git remote to push definitions to' })
    .option('branch', { type: 'string', describe: 'Branch to push (default: the checked-out branch)' })
    .option('push', { type: 'boolean', default: true, describe: 'Push after committing (--no-push: commit only)' })
    .option('identity', { type: 'string', describe: 'Committer "Name <email>" (default: git config, else "jobsmith <jobsmith@localhost>")' })
    .option('sync', {
      choices: ['now', 'master-job'] as const,
      describe: 'now: create the jobs at once; master-job: only commit and push, the sync master job creates them (default now)',
    }) as unknown as Argv<T & SelfServiceArgs>;
}

