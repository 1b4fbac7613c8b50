#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commandsFor } from './commands.js';
import { EXIT } from './exit-codes.js';
import { ExternalError, InputError, UsageError } from '../model/errors.js';

/** "error: ..." once, however the message starts. */
function errorLine(message: string): string {
  return `error: ${message.replace(/^(error:\s*)+/i, '')}\n`;
}

/** yargs found the command line wrong (unknown flag, missing argument, a check failed). */
class CommandLineError extends UsageError {}

async function main(argv: string[]): Promise<void> {
  const commands = await commandsFor(argv);
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
      // A command handler's own error arrives here with no message: let parseAsync reject with it.
      if (err && !(msg && err instanceof UsageError)) throw err;
      // A validation failure (yargs' own, or a check's UsageError): stop here, handlers do not run.
      throw new CommandLineError(msg);
    });
  for (const c of commands) cli.command(c);
  try {
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof CommandLineError) {
      process.stderr.write(`${errorLine(err.message)}(run with --help for usage)\n`);
      process.exitCode = EXIT.usage;
    } else if (err instanceof UsageError) {
      process.stderr.write(errorLine(err.message));
      process.exitCode = EXIT.usage;
    } else if (err instanceof InputError) {
      if (err.diagnostics.length) {
        const { printDiagnostics } = await import('./print-diagnostics.js');
        printDiagnostics(err.diagnostics);
      } else process.stderr.write(errorLine(err.message));
      process.exitCode = EXIT.badInput;
    } else if (err instanceof ExternalError) {
      process.stderr.write(errorLine(err.message));
      process.exitCode = EXIT.external;
    } else {
      process.stderr.write(`internal error (a bug in jobsmith; please report it):\n${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.internal;
    }
  }
}

await main(hideBin(process.argv));
