#!/usr/bin/env node
// Makes sure the Debian packages the test suite drives are present (the tests use real
// programs, not mocks): Chromium for the web form, python3-jenkins and Jenkins Job Builder
// as independent clients of the stand-in, Subversion for svn branch detection, a JDK to check the
// stand-in's copy of Jenkins' XML identity transform against the JDK's own, curl for the documentation's
// examples that trigger builds the way a user does.
// Installs what is missing with apt-get when run as root; otherwise names what to install.
import { execFileSync, spawnSync } from 'node:child_process';

const needs = [
  { pkg: 'git', check: () => has('git', ['--version']) },
  { pkg: 'curl', check: () => has('curl', ['--version']) },
  { pkg: 'subversion', check: () => has('svn', ['--version', '--quiet']) && has('svnadmin', ['--version', '--quiet']) },
  { pkg: 'chromium', check: () => has('/usr/bin/chromium', ['--version']) },
  { pkg: 'python3-jenkins', check: () => has('/usr/bin/python3', ['-c', 'import jenkins']) },
  { pkg: 'jenkins-job-builder', check: () => has('jenkins-jobs', ['--version']) },
  { pkg: 'default-jdk-headless', check: () => has('javac', ['-version']) && has('java', ['-version']) },
];

function has(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

const missing = needs.filter((n) => !n.check()).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !has('apt-get', ['--version'])) {
  console.error(`The tests need these Debian packages: ${missing.join(' ')}\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.error(`installing test dependencies: ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
const still = needs.filter((n) => missing.includes(n.pkg) && !n.check()).map((n) => n.pkg);
if (still.length > 0) {
  console.error(`still missing after apt-get: ${still.join(' ')}`);
  process.exit(1);
}
