import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandModule<any, any>;

export interface CommandEntry {
  /** yargs command string: name and positionals. */
  usage: string;
  describe: string;
  load: () => Promise<AnyCommand>;
}

/**
 * Every `jobsmith` sub-command, one file each under src/cli/, loaded on demand: when a command is
 * named only its own module (and what its builder needs) is imported, and its handler imports the
 * rest when it runs. `jobsmith --help` and `--version` load no command at all (see main.ts): the
 * name, usage and description of each command live here, and only here (each command module
 * spreads `commandInfo(name)`). Add yours here (name = first word of its usage).
 */
export const COMMANDS: Record<string, CommandEntry> = {
  render: { usage: 'render', describe: 'Render every job into a JENKINS_HOME layout (<out>/jobs/<name>/config.xml); writes nothing if any check fails', load: async () => (await import('./render-command.js')).renderCommand },
  validate: { usage: 'validate', describe: 'Run every check on templates and definitions; writes nothing', load: async () => (await import('./validate-command.js')).validateCommand },
  list: { usage: 'list', describe: 'List the jobs the definitions produce (full name, template, project)', load: async () => (await import('./list-command.js')).listCommand },
  templates: { usage: 'templates', describe: 'List the templates and their tokens (where each is used, and the sidecar docs)', load: async () => (await import('./templates-command.js')).templatesCommand },
  show: { usage: 'show <job>', describe: 'Print the rendered config.xml of one job (full name, e.g. team-a/payments-CI-build-trunk)', load: async () => (await import('./show-command.js')).showCommand },
  plan: { usage: 'plan', describe: 'Show what a sync would change in Jenkins (changes nothing)', load: async () => (await import('./plan-command.js')).planCommand },
  apply: { usage: 'apply <file>', describe: 'Apply a plan saved with `jobsmith plan --out FILE` (refused when Jenkins or the definitions changed since)', load: async () => (await import('./apply-command.js')).applyCommand },
  sync: { usage: 'sync', describe: 'Make Jenkins match the definitions: plan and apply in one step', load: async () => (await import('./sync-command.js')).syncCommand },
  standin: { usage: 'standin', describe: 'Run a Jenkins stand-in server on 127.0.0.1 (state kept in --home, Jenkins layout)', load: async () => (await import('./standin-command.js')).standinCommand },
  jenkins: { usage: 'jenkins', describe: 'Talk to Jenkins directly: ping (check the connection), list (what jobsmith sees)', load: async () => (await import('./jenkins-command.js')).jenkinsCommand },
  bulk: { usage: 'bulk', describe: 'Change many live jobs at once (dry run by default; --apply backs up, then applies; --undo DIR)', load: async () => (await import('./bulk-command.js')).bulkCommand },
  backup: { usage: 'backup', describe: "Save every job's, folder's and view's config.xml (JENKINS_HOME layout) to a directory or a git repository", load: async () => (await import('./backup-command.js')).backupCommand },
  restore: { usage: 'restore <from>', describe: 'Recreate jobs, folders and views from a backup, or from the definitions at a git revision (plan; --apply)', load: async () => (await import('./restore-command.js')).restoreCommand },
  import: { usage: 'import', describe: 'Turn existing jobs into templates + definitions that render them back, then (--adopt) manage them', load: async () => (await import('./import-command.js')).importCommand },
  'set-default': { usage: 'set-default <token> <value>', describe: 'Set a token value for all projects (jobs/_defaults.yaml) or those matching --where, and commit', load: async () => (await import('./set-default-command.js')).setDefaultCommand },
  'rename-token': { usage: 'rename-token <old> <new>', describe: 'Rename a token in templates, sidecars and definitions, and commit', load: async () => (await import('./rename-token-command.js')).renameTokenCommand },
  serve: { usage: 'serve', describe: 'Serve the self-service create-job web form (the build archive at /archive, push webhooks at /hooks)', load: async () => (await import('./serve-command.js')).serveCommand },
  create: { usage: 'create', describe: 'Create a project: write jobs/<project>.yaml, validate, commit, push, and sync its jobs', load: async () => (await import('./create-command.js')).createCommand },
  bootstrap: { usage: 'bootstrap', describe: 'Create the sync master job and the parameterized create-job job on Jenkins', load: async () => (await import('./bootstrap-command.js')).bootstrapCommand },
  archive: { usage: 'archive', describe: 'Read the build relics (logs, test reports, artifacts) archived before jobs were deleted: list, show', load: async () => (await import('./archive-command.js')).archiveCommand },
};

/** A command's `command` and `describe` for its CommandModule. */
export function commandInfo(name: string): { command: string; describe: string } {
  const c = COMMANDS[name];
  if (!c) throw new Error(`no command ${name} in src/cli/commands.ts`);
  return { command: c.usage, describe: c.describe };
}

/** The command named on this command line, loaded; stubs of all of them when none is (yargs then reports). */
export async function commandsFor(argv: readonly string[]): Promise<AnyCommand[]> {
  const first = argv.find((a) => !a.startsWith('-'));
  const only = first !== undefined && Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (only) return [await only.load()];
  // No command named (or a mistyped one): stubs are enough for yargs to list them or suggest one.
  return Object.values(COMMANDS).map((c) => ({ command: c.usage, describe: c.describe, builder: (y) => y, handler: () => {} }));
}
