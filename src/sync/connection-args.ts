/**
 * Connection flags shared by plan, apply and sync (yargs only: no heavy imports, so building the
 * command line stays fast; the client is loaded when a command runs).
 */
import type { Argv } from 'yargs';

export interface ConnectionArgs {
  'jenkins-url'?: string;
  user?: string;
  'token-file'?: string;
  config?: string;
  timeout?: number;
  retries?: number;
  'ca-file'?: string[];
  embedded?: string;
  concurrency?: number;
}

export function connectionOptions<T>(y: Argv<T>): Argv<T & ConnectionArgs> {
  return y
    .option('jenkins-url', { type: 'string', describe: 'Jenkins root URL (or JENKINS_URL, or jobsmith.yaml)' })
    .option('user', { type: 'string', describe: 'Jenkins user (or JENKINS_USER); the API token comes from JENKINS_API_TOKEN or --token-file' })
    .option('token-file', { type: 'string', describe: 'File holding the API token (first line)' })
    .option('config', { type: 'string', describe: 'Config file with non-secret settings (default ./jobsmith.yaml when present)' })
    .option('timeout', { type: 'number', describe: 'Seconds per request (default 30)' })
    .option('retries', { type: 'number', describe: 'Retries of safe requests after a transient failure (default 3)' })
    .option('ca-file', { type: 'string', array: true, describe: 'Extra CA certificates (PEM)' })
    .option('embedded', { type: 'string', describe: 'Use an in-process Jenkins stand-in whose state lives in this directory (no Jenkins needed)' })
    .conflicts('embedded', ['jenkins-url']) as unknown as Argv<T & ConnectionArgs>;
}

