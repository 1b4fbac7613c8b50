#!/usr/bin/env node
/**
 * The command line: yargs, the exit-code rule (src/cli/exit-codes.ts) and the mapping of errors to
 * it. `--version` and `--help` answer without loading yargs or any command (start-up is most of a
 * short command's time); a named command loads only its own module (src/cli/commands.ts).
 */
import { readFileSync } from 'node:fs';
import { EXIT } from './exit-codes.js';
import { ExternalError, InputError, UsageError } from '../model/errors.js';

/** "error: ..." once, however the message starts. */
function errorLine(message: string): string {
  return `error: ${message.replace(/^(error:\s*)+/i, '')}\n`;
}

/** yargs found the command line wrong (unknown flag, missing argument, a check failed). */
class CommandLineError extends UsageError {}

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<void> {
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(version() + '\n');
    return;
  }
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    const { topLevelHelp } = await import('./top-help.js');
    process.stdout.write(topLevelHelp(process.stdout.columns || 100));
    return;
  }
  const [{ default: yargs }, { commandsFor }, { DESCRIPTION, USAGE }] = await Promise.all([import('yargs'), import('./commands.js'), import('./top-help.js')]);
  const { emptyFlagValues, withNoProxyValue } = await import('./empty-flag-values.js');
  const commands = await commandsFor(argv);
  const failures: string[] = [];
  const line = withNoProxyValue(argv);
  const cli = yargs(line)
    .scriptName('jobsmith')
    .usage(`${USAGE}\n\n${DESCRIPTION}`)
    .version(version())
    .strict()
    .demandCommand(1, 'Name a command (see --help).')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // A command handler's own error arrives here with no message: let parseAsync reject with it.
      // yargs' own errors (YError: a flag given without its value, `requiresArg`) are usage errors too.
      if (err && !(msg && (err instanceof UsageError || err.name === 'YError'))) throw err;
      // yargs' own validation failures: collected, all are reported. A check's UsageError (a
      // command's own check, which runs after them): stops here with everything found so far.
      const named = argv.find((a) => !a.startsWith('-'));
      failures.push(/^Did you mean/.test(msg) && named !== undefined ? `unknown command ${named}. ${msg}` : msg);
      if (err) throw new CommandLineError(failures.join('\n'));
    })
    // After validation, before any handler (nested ones too): a command line with failures runs nothing.
    .middleware(() => {
      // A value flag without its value (`--embedded` alone, `--out ""`, `--port $UNSET`): never read as '' or a default.
      const { string, number, alias, narg } = (cli as unknown as { getOptions(): unknown }).getOptions() as { string: string[]; number: string[]; alias: Record<string, string[]>; narg: Record<string, number> };
      for (const f of emptyFlagValues(line, { string, number, alias, narg })) failures.push(`${f} needs a value (it was given an empty one or none: an unset variable?)`);
      if (failures.length) throw new CommandLineError(failures.join('\n'));
    }, false);
  for (const c of commands) cli.command(c);
  let failure: { class: string; message: string; diagnostics?: readonly unknown[] } | undefined;
  try {
    await cli.parseAsync();
    if (failures.length) throw new CommandLineError(failures.join('\n'));
  } catch (err) {
    failure = {
      class: err instanceof CommandLineError || err instanceof UsageError ? 'usage' : err instanceof InputError ? 'input' : err instanceof ExternalError ? 'external' : 'internal',
      message: err instanceof CommandLineError ? failures.join('\n') || err.message : ((err as Error)?.message ?? String(err)),
      ...(err instanceof InputError && err.diagnostics.length ? { diagnostics: err.diagnostics } : {}),
    };
    if (err instanceof CommandLineError) {
      process.stderr.write(`${err.message.split('\n').map(errorLine).join('')}(run with --help for usage)\n`);
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
  await jsonOnFailure(argv, failure);
}

/**
 * `--json` on plan, sync, apply and restore promises one result document on stdout, also when the
 * run failed before it could make one (Jenkins unreachable, a bad URL or flag, an unreadable saved
 * plan): `status: "error"` with the exit code and the message (already redacted, as on stderr).
 */
async function jsonOnFailure(argv: string[], failure: { class: string; message: string; diagnostics?: readonly unknown[] } | undefined): Promise<void> {
  const command = argv.find((x) => !x.startsWith('-'));
  if (!argv.includes('--json') || command === undefined) return;
  const { RESULT_COMMANDS, resultJson, resultWritten } = await import('../plan/print-json.js');
  if (!(RESULT_COMMANDS as readonly string[]).includes(command) || resultWritten()) return;
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : 0;
  if (exitCode === 0) return;
  const { diagnostics, ...error } = failure ?? { class: exitCode === EXIT.badInput ? 'input' : exitCode === EXIT.external ? 'external' : 'usage', message: 'see the messages on stderr' };
  process.stdout.write(resultJson(command as never, { status: 'error', exitCode, error, diagnostics: diagnostics ?? [] }));
}

await main(process.argv.slice(2));
