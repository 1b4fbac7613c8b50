import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { hasErrors } from '../model/diagnostic.js';
import { EXIT } from './exit-codes.js';
import { diagnosticsJson, printDiagnostics, printJson } from './print-diagnostics.js';
import { loadAndRender, workspaceOptions, type WorkspaceArgs } from './render-command.js';

interface ShowArgs extends WorkspaceArgs {
  job: string;
}

export const showCommand: CommandModule<object, ShowArgs> = {
  ...commandInfo('show'),
  builder: (y) => workspaceOptions(y).positional('job', { type: 'string', demandOption: true, describe: 'Job full name' }) as unknown as Argv<ShowArgs>,
  handler: async (args) => {
    const { didYouMean } = await import('../load/did-you-mean.js');
    const r = await loadAndRender(args);
    const jobs = r.desired.jobs;
    const job = jobs.find((j) => j.fullName === args.job) ?? jobs.find((j) => j.fullName.toLowerCase() === args.job.toLowerCase()) ?? jobs.find((j) => j.name === args.job);
    const errors = hasErrors(r.diagnostics);
    if (!job) {
      const msg = `no job ${args.job}${didYouMean(args.job, jobs.map((j) => j.fullName))}`;
      if (args.json) printJson({ ok: false, error: msg, diagnostics: diagnosticsJson(r.diagnostics) });
      else {
        printDiagnostics(r.diagnostics);
        process.stderr.write(`error: ${msg}\n`);
      }
      process.exitCode = EXIT.badInput;
      return;
    }
    if (args.json) printJson({ ok: !errors, job, diagnostics: diagnosticsJson(r.diagnostics) });
    else {
      printDiagnostics(r.diagnostics);
      process.stdout.write(job.config);
    }
    if (errors) process.exitCode = EXIT.badInput;
  },
};
