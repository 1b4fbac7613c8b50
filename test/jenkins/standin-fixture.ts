/** A stand-in Jenkins on a loopback port with a temp home, and clients pointed at it. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin, type StandinOptions } from '../../src/standin/server.js';
import { JenkinsClient, type ClientOptions } from '../../src/jenkins/jenkins-client.js';

export const USER = 'alice';
export const TOKEN = '11aabbccddeeff00112233445566778899';
export const PASSWORD = 'alice-password-x';

export interface Fixture {
  standin: Standin;
  home: string;
  /** A client (closed by `close`); defaults: alice + API token, fast retries. */
  client(opts?: Partial<ClientOptions>): JenkinsClient;
  close(): Promise<void>;
}

export async function startFixture(opts: Partial<StandinOptions> = {}): Promise<Fixture> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-client-'));
  const standin = await startStandin({
    home,
    users: [{ name: USER, token: TOKEN, password: PASSWORD }, { name: 'reader', token: 'reader-token-123', permissions: 'read' }],
    buildDurationMs: 300,
    quietPeriodMs: 0,
    ...opts,
  });
  const clients: JenkinsClient[] = [];
  return {
    standin,
    home,
    client(o = {}) {
      const c = new JenkinsClient({ url: standin.url, user: USER, token: TOKEN, retryBaseDelayMs: 5, timeoutMs: 10_000, ...o });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await standin.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The rejection of a promise (fails the test when it resolves). */
export async function failure(p: Promise<unknown>): Promise<import('../../src/jenkins/jenkins-error.js').JenkinsError> {
  try {
    await p;
  } catch (err) {
    return err as import('../../src/jenkins/jenkins-error.js').JenkinsError;
  }
  throw new Error('expected a failure, but the call succeeded');
}

export const FREESTYLE = (description = '') =>
  `<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <description>${description}</description>\n  <keepDependencies>false</keepDependencies>\n  <properties/>\n  <disabled>false</disabled>\n  <builders/>\n</project>\n`;
