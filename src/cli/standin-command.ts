import type { CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import type { StandinOptions } from '../standin/server.js';
import type { FaultConfig } from '../standin/faults.js';
import { UsageError } from '../model/errors.js';
import { checkNumberFlags, PORT_RANGE } from './number-flags.js';
import { listening } from './listen-error.js';
import { checkDirectoryArg } from './directory-arg.js';

const RATE = { min: 0, max: 1, integer: false };

interface StandinArgs {
  port: number;
  home: string;
  user?: string;
  token?: string;
  password?: string;
  'token-file'?: string;
  'password-file'?: string;
  anonymous?: 'none' | 'read' | 'admin';
  'jenkins-version'?: string;
  'verbatim-config'?: boolean;
  'absolute-redirects'?: boolean;
  'build-seconds'?: number;
  'quiet-seconds'?: number;
  'max-body-bytes'?: number;
  seed?: number;
  'latency-ms'?: number;
  'error-rate'?: number;
  'error-status'?: number;
  'drop-rate'?: number;
  'slow-listing-ms'?: number;
}

/** `jobsmith standin`: a Jenkins stand-in on 127.0.0.1. */
export const standinCommand: CommandModule<object, StandinArgs> = {
  ...commandInfo('standin'),
  builder: (y) =>
    y
      .option('port', { type: 'number', default: 8080, describe: 'Port on 127.0.0.1 (0 picks a free one)' })
      .option('home', { type: 'string', demandOption: true, describe: 'Directory holding jobs/ and config.xml' })
      .option('user', { type: 'string', describe: 'User name accepted with --token or --password' })
      .option('token', { type: 'string', describe: 'API token of --user (CSRF-exempt)' })
      .option('password', { type: 'string', describe: 'Password of --user (POSTs need a crumb)' })
      .option('token-file', { type: 'string', describe: 'File holding the API token of --user (first line); or JOBSMITH_STANDIN_TOKEN (a secret on the command line is visible to every user of the machine)' })
      .option('password-file', { type: 'string', describe: 'File holding the password of --user (first line); or JOBSMITH_STANDIN_PASSWORD' })
      .option('anonymous', { choices: ['none', 'read', 'admin'] as const, describe: 'Anonymous access (default none with --user, else admin)' })
      .option('jenkins-version', { type: 'string', describe: 'X-Jenkins header value (default 2.479.3)' })
      .option('verbatim-config', { type: 'boolean', default: false, describe: 'config.xml GET returns the stored file (Jenkins < 2.568)' })
      .option('absolute-redirects', { type: 'boolean', default: false, describe: '302 Location as absolute URL (Jenkins < 2.472)' })
      .option('build-seconds', { type: 'number', describe: 'How long a simulated build runs (default 3)' })
      .option('quiet-seconds', { type: 'number', describe: 'Quiet period of queued builds (default 0.1)' })
      .option('max-body-bytes', { type: 'number', describe: 'Request body limit, 413 above it (default 10 MiB)' })
      .option('seed', { type: 'number', describe: 'Seed of the fault RNG' })
      .option('latency-ms', { type: 'number', describe: 'Fault: added latency per request' })
      .option('error-rate', { type: 'number', describe: 'Fault: share of requests (0..1) answered with --error-status' })
      .option('error-status', { type: 'number', default: 503, describe: 'Fault: status for --error-rate' })
      .option('drop-rate', { type: 'number', describe: 'Fault: share of connections dropped before answering' })
      .option('slow-listing-ms', { type: 'number', describe: 'Fault: extra delay of item listings' })
      .check(
        checkNumberFlags({
          port: PORT_RANGE,
          'build-seconds': { min: 0, max: 86_400, integer: false, unit: 'seconds' },
          'quiet-seconds': { min: 0, max: 86_400, integer: false, unit: 'seconds' },
          'max-body-bytes': { min: 1, max: 2 ** 31 - 1, integer: true, unit: 'bytes' },
          seed: { min: 0, max: 2 ** 32 - 1, integer: true },
          'latency-ms': { min: 0, max: 600_000, integer: true, unit: 'milliseconds' },
          'error-rate': RATE,
          'error-status': { min: 400, max: 599, integer: true },
          'drop-rate': RATE,
          'slow-listing-ms': { min: 0, max: 600_000, integer: true, unit: 'milliseconds' },
        }),
      ),
  handler: async (a) => {
    // main.ts's yargs fail handler reports a missing option but still runs the handler.
    if (typeof a.home !== 'string' || a.home === '') throw new UsageError('--home DIR is required');
    checkDirectoryArg(a.home, '--home');
    // The user's secret: a flag, a file, or a variable (files and variables are not shown by `ps`).
    const { standinSecret } = await import('./standin-secret.js');
    const token = standinSecret('token', a.token, a['token-file'], process.env.JOBSMITH_STANDIN_TOKEN);
    const password = standinSecret('password', a.password, a['password-file'], process.env.JOBSMITH_STANDIN_PASSWORD);
    if (token !== undefined) a.token = token;
    if (password !== undefined) a.password = password;
    if ((a.token !== undefined || a.password !== undefined) && !a.user) throw new UsageError('--token and --password need --user (so do --token-file, --password-file, JOBSMITH_STANDIN_TOKEN and JOBSMITH_STANDIN_PASSWORD)');
    if (a.user && a.token === undefined && a.password === undefined) throw new UsageError('--user needs a token or password: --token-file FILE or JOBSMITH_STANDIN_TOKEN (or --token), --password-file FILE or JOBSMITH_STANDIN_PASSWORD (or --password)');
    const faults: FaultConfig = {};
    if (a['latency-ms']) faults.latencyMs = a['latency-ms'];
    if (a['error-rate']) faults.errors = { '*': { rate: a['error-rate'], status: a['error-status'] ?? 503 } };
    if (a['drop-rate']) faults.dropRequest = { '*': { rate: a['drop-rate'] } };
    if (a['slow-listing-ms']) faults.slowListingMs = a['slow-listing-ms'];
    const opts: StandinOptions = {
      home: a.home,
      port: a.port,
      users: a.user ? [{ name: a.user, ...(a.token !== undefined ? { token: a.token } : {}), ...(a.password !== undefined ? { password: a.password } : {}) }] : [],
      configGet: a['verbatim-config'] ? 'verbatim' : 'reserialise',
      redirects: a['absolute-redirects'] ? 'absolute' : 'path',
      faults,
    };
    if (a.anonymous) opts.anonymous = a.anonymous;
    if (a['jenkins-version']) opts.version = a['jenkins-version'];
    if (a['build-seconds'] !== undefined) opts.buildDurationMs = a['build-seconds'] * 1000;
    if (a['quiet-seconds'] !== undefined) opts.quietPeriodMs = a['quiet-seconds'] * 1000;
    if (a['max-body-bytes'] !== undefined) opts.maxBodyBytes = a['max-body-bytes'];
    if (a.seed !== undefined) opts.seed = a.seed;
    const { startStandin } = await import('../standin/server.js');
    const s = await listening('127.0.0.1', a.port, () => startStandin(opts));
    // Stop handlers first, then announce: a Ctrl-C right after "listening on" must still close
    // the stand-in cleanly (and release its home's lock).
    const stopped = new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void s.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    process.stdout.write(`listening on ${s.url}\n`);
    for (const w of s.loadWarnings) process.stderr.write(`warning: skipped ${w}\n`);
    await stopped;
  },
};
