/**
 * `jobsmith set-default TOKEN VALUE [--where KEY=GLOB]`: set a token's value in jobs/_defaults.yaml
 * (or, with --where, in each matching project's definition), keeping the YAML's comments and
 * formatting; check the result renders; commit. Review with `jobsmith plan --diff`.
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { UsageError } from '../model/errors.js';
import type { DefinitionWhere, FileEdit } from '../bulk/edit-definitions.js';
import { EXIT } from './exit-codes.js';

export interface DefinitionEditArgs {
  templates: string;
  jobs: string;
  commit: boolean;
  'dry-run': boolean;
}

export function definitionEditOptions<T>(y: Argv<T>): Argv<T & DefinitionEditArgs> {
  return y
    .option('templates', { type: 'string', default: 'job-templates', describe: 'Templates directory' })
    .option('jobs', { type: 'string', default: 'jobs', describe: 'Definitions directory' })
    .option('commit', { type: 'boolean', default: true, describe: 'Commit the edited files (when in a git work tree); --no-commit leaves them for you' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Show the edits, write nothing' }) as unknown as Argv<T & DefinitionEditArgs>;
}

/** Print diffs, check, write, commit; returns the exit code. */
export async function finishDefinitionEdit(a: DefinitionEditArgs, edits: FileEdit[], message: string): Promise<number> {
  const { createTwoFilesPatch } = await import('diff');
  const { writeEdits } = await import('../bulk/edit-definitions.js');
  const { hasErrors } = await import('../model/diagnostic.js');
  const { printDiagnostics } = await import('./print-diagnostics.js');
  for (const e of edits) process.stdout.write(createTwoFilesPatch(e.file, e.file, e.before, e.after, undefined, undefined, { context: 2 }).replace(/^={10,}\n/, ''));
  if (edits.length === 0) {
    process.stdout.write('nothing to change\n');
    return EXIT.ok;
  }
  // A dry run runs every check the real run runs, and exits as it would.
  const r = await writeEdits({ templatesDir: a.templates, jobsDir: a.jobs }, edits, message, { commit: a.commit, dryRun: a['dry-run'] });
  printDiagnostics(r.diagnostics);
  if (hasErrors(r.diagnostics)) {
    const uncommitted = r.diagnostics.every((d) => d.severity !== 'error' || d.code === 'uncommitted-changes');
    process.stderr.write(`${uncommitted ? 'The commit would not equal the diff shown' : 'The definitions would have errors after this edit'}: nothing was written${a['dry-run'] ? ' (--dry-run)' : ''}.\n`);
    return EXIT.badInput;
  }
  if (a['dry-run']) {
    process.stdout.write(`${edits.length} file(s) would change; nothing written (--dry-run)\n`);
    return EXIT.ok;
  }
  let line = `${edits.length} file(s) changed`;
  if (r.commit) line += `; committed ${r.commit.slice(0, 12)} (${message.split('\n')[0]})`;
  else if (r.notInGit) line += '; not in a git work tree, nothing committed';
  process.stdout.write(`${line}\nreview what it does to Jenkins with: jobsmith plan --diff\n`);
  return EXIT.ok;
}

interface SetDefaultArgs extends DefinitionEditArgs {
  token: string;
  value: string;
  where?: string[];
}

export const setDefaultCommand: CommandModule<object, SetDefaultArgs> = {
  ...commandInfo('set-default'),
  builder: (y) =>
    definitionEditOptions(y)
      .positional('token', { type: 'string', describe: 'Token name, e.g. MVN.VERSION' })
      .positional('value', { type: 'string', describe: 'New value' })
      .option('where', { type: 'string', array: true, describe: 'Only projects matching project=GLOB, folder=GLOB, template=GLOB or view=GLOB (set in their own files)' }) as unknown as Argv<SetDefaultArgs>,
  handler: async (a) => {
    const { DefinitionEditError, TOKEN_NAME } = await import('../bulk/definition-edit.js');
    const { NoMatchError, parseDefinitionWhere, planSetDefault } = await import('../bulk/edit-definitions.js');
    const token = String(a.token);
    if (!TOKEN_NAME.test(token)) throw new UsageError(`${token} is not a token name (like MVN.VERSION: capitals, digits, _ and at least one dot)`);
    let where: DefinitionWhere[];
    try {
      where = (a.where ?? []).map(parseDefinitionWhere);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    let edits: FileEdit[];
    try {
      edits = await planSetDefault({ templatesDir: a.templates, jobsDir: a.jobs }, token, String(a.value), where);
    } catch (err) {
      if (err instanceof NoMatchError) throw new UsageError(err.message);
      if (err instanceof DefinitionEditError) {
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = EXIT.badInput;
        return;
      }
      throw err;
    }
    const scope = where.length ? ` where ${(a.where ?? []).join(' ')}` : ' (default for all projects)';
    process.exitCode = await finishDefinitionEdit(a, edits, `jobsmith set-default ${token}=${String(a.value)}${scope}`);
  },
};
