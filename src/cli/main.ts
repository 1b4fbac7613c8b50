#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { CommandModule } from 'yargs';
import { EXIT } from './exit-codes.js';
import { ExternalError, UsageError } from '../model/errors.js';

/**
 * Commands that must start fast (they run over thousands of files in CI): when one of them is
 * named, only its module is loaded, not every command's dependencies (HTTP client, git, ...).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const LEAN_COMMANDS: Record<string, () => Promise<CommandModule<any, any>>> = {
  render: async () => (await import('./render-command.js')).renderCommand,
  validate: async () => (await import('./validate-command.js')).validateCommand,
  list: async () => (await import('./list-command.js')).listCommand,
  show: async () => (await import('./show-command.js')).showCommand,
};

async function main(argv: string[]): Promise<void> {
  const first = argv.find((a) => !a.startsWith('-'));
  const lean = first !== undefined && Object.hasOwn(LEAN_COMMANDS, first) ? LEAN_COMMANDS[first] : undefined;
  const commands = lean ? [await lean()] : (await import('./commands.js')).commands;
  let usageFailure = false;
  const cli = yargs(argv)
    .scriptName('jobsmith')
    .usage('$0 <command> [options]\n\nGenerate Jenkins jobs from templates and keep Jenkins in step with git.')
    .strict()
    .demandCommand(1, 'Name a command (see --help).')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      usageFailure = true;
      process.stderr.write(`error: ${msg}\n(run with --help for usage)\n`);
    });
  // yargs still runs a command's handler after a validation failure: skip it then.
  for (const c of commands) cli.command({ ...c, handler: (args) => (usageFailure ? undefined : c.handler(args)) });
  try {
    await cli.parseAsync();
    if (usageFailure) process.exitCode = EXIT.usage;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = EXIT.usage;
    } else if (err instanceof ExternalError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = EXIT.external;
    } else {
      process.stderr.write(`internal error (a bug in jobsmith; please report it):\n${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.internal;
    }
  }
}

await main(hideBin(process.argv));
