#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commandsFor } from './commands.js';
import { EXIT } from './exit-codes.js';
import { ExternalError, UsageError } from '../model/errors.js';

async function main(argv: string[]): Promise<void> {
  const commands = await commandsFor(argv);
  let usageFailure = false;
  const cli = yargs(argv)
    .scriptName('jobsmith')
    .usage('$0 <command> [options]\n\nGenerate Jenkins jobs from templates and keep Jenkins in step with git')
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
