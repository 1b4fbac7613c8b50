import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandModule<any, any>;

/**
 * Every `jobsmith` sub-command, one file each under src/cli/, loaded on demand: when a command
 * is named only its own module (and its dependencies) is imported, so `render` does not pay for
 * the HTTP client or git, and `sync` does not pay for the web form. `--help` loads them all.
 * Add yours here (name = first word of its `command` string).
 */
export const commandLoaders: Record<string, () => Promise<AnyCommand>> = {
  render: async () => (await import('./render-command.js')).renderCommand,
  validate: async () => (await import('./validate-command.js')).validateCommand,
  list: async () => (await import('./list-command.js')).listCommand,
  templates: async () => (await import('./templates-command.js')).templatesCommand,
  show: async () => (await import('./show-command.js')).showCommand,
  plan: async () => (await import('./plan-command.js')).planCommand,
  apply: async () => (await import('./apply-command.js')).applyCommand,
  sync: async () => (await import('./sync-command.js')).syncCommand,
  standin: async () => (await import('./standin-command.js')).standinCommand,
  jenkins: async () => (await import('./jenkins-command.js')).jenkinsCommand,
  bulk: async () => (await import('./bulk-command.js')).bulkCommand,
  backup: async () => (await import('./backup-command.js')).backupCommand,
  restore: async () => (await import('./restore-command.js')).restoreCommand,
  import: async () => (await import('./import-command.js')).importCommand,
  'set-default': async () => (await import('./set-default-command.js')).setDefaultCommand,
  'rename-token': async () => (await import('./rename-token-command.js')).renameTokenCommand,
  serve: async () => (await import('./serve-command.js')).serveCommand,
  create: async () => (await import('./create-command.js')).createCommand,
  bootstrap: async () => (await import('./bootstrap-command.js')).bootstrapCommand,
};

/** The commands to register for this command line: the named one only, or all of them. */
export async function commandsFor(argv: readonly string[]): Promise<AnyCommand[]> {
  const first = argv.find((a) => !a.startsWith('-'));
  const only = first !== undefined && Object.hasOwn(commandLoaders, first) ? commandLoaders[first] : undefined;
  if (only) return [await only()];
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}
