/**
 * `jobsmith jenkins ping|list`: check a connection (version, identity, CSRF) and show what the
 * one-request listing sees. Small diagnostics for setting up jobsmith against a Jenkins.
 */
import type { Argv, CommandModule } from 'yargs';
import { EXIT } from './exit-codes.js';
import { printDiagnostics, printJson } from './print-diagnostics.js';
import { connectionSettingsFromArgs, withConnectionOptions, type ConnectionOptionArgs } from './connection-options.js';

interface Args extends ConnectionOptionArgs {
  json?: boolean;
}

async function withClient(a: Args, fn: (c: import('../jenkins/jenkins-client.js').JenkinsClient, url: string) => Promise<void>): Promise<void> {
  const { settings, diagnostics } = connectionSettingsFromArgs(a);
  printDiagnostics(diagnostics);
  if (!settings) {
    process.exitCode = EXIT.badInput;
    return;
  }
  const { JenkinsClient } = await import('../jenkins/jenkins-client.js');
  const client = new JenkinsClient(settings);
  try {
    await fn(client, settings.url);
  } finally {
    await client.close();
  }
}

const ping: CommandModule<object, Args> = {
  command: 'ping',
  describe: 'Check the connection: Jenkins version, who you are authenticated as, request time',
  builder: (y) => withConnectionOptions(y).option('json', { type: 'boolean', describe: 'Print JSON' }) as Argv<Args>,
  handler: (a) =>
    withClient(a, async (c, url) => {
      const started = performance.now();
      const version = await c.version();
      const me = await c.whoAmI();
      const ms = Math.round(performance.now() - started);
      if (a.json) printJson({ url, version, user: me.name, anonymous: me.anonymous, authorities: me.authorities, ms });
      else process.stdout.write(`Jenkins ${version} at ${url}\n${me.anonymous ? 'anonymous (no credentials)' : `authenticated as ${me.name}`}\n${ms} ms\n`);
    }),
};

const list: CommandModule<object, Args> = {
  command: 'list',
  describe: 'List every item and view Jenkins has (one api/json?tree= request)',
  builder: (y) => withConnectionOptions(y).option('json', { type: 'boolean', describe: 'Print the listing as JSON' }) as Argv<Args>,
  handler: (a) =>
    withClient(a, async (c) => {
      const state = await c.list();
      if (a.json) return printJson(state);
      let out = '';
      for (const i of state.items) {
        const flags = [i.isFolder ? 'folder' : (i.color ?? ''), i.building ? 'building' : ''].filter(Boolean).join(', ');
        out += `${i.fullName}\t${i.className}\t${flags}\n`;
      }
      for (const v of state.views) out += `view ${[...v.folder, v.name].join('/')}\t${v.className}\t${v.jobs.length} job(s)\n`;
      out += `${state.items.length} item(s), ${state.views.length} view(s)\n`;
      process.stdout.write(out);
    }),
};

export const jenkinsCommand: CommandModule<object, object> = {
  command: 'jenkins',
  describe: 'Talk to Jenkins directly: ping (check the connection), list (what jobsmith sees)',
  builder: (y) => y.command(ping).command(list).demandCommand(1),
  handler: () => {},
};
