/**
 * A bad proxy is blamed on the setting it came from: `--proxy`, the variable actually set
 * (https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY), or `jenkins.proxy` in jobsmith.yaml with
 * its line and column (break-it finding on issue 16: it always said [HTTP_PROXY]).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConnectionSettings } from '../../src/jenkins/connection-settings.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-proxy-origin-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const badProxy = (flags: { proxy?: string }, env: NodeJS.ProcessEnv, url = 'http://jenkins.example.com/') => {
  const r = resolveConnectionSettings({ flags: { jenkinsUrl: url, ...flags }, env, cwd: dir });
  return r.diagnostics.filter((d) => d.code === 'bad-proxy').map((d) => ({ field: d.field, file: d.file, line: d.line }));
};

describe('the origin of a bad proxy', () => {
  it('jobsmith.yaml: the file, line and jenkins.proxy', () => {
    writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins:\n  url: http://jenkins.example.com/\n  proxy: htp://proxy.example.com:3128\n');
    const r = resolveConnectionSettings({ flags: {}, env: {}, cwd: dir });
    const d = r.diagnostics.find((x) => x.code === 'bad-proxy');
    expect(d).toMatchObject({ field: 'jenkins.proxy', file: 'jobsmith.yaml', line: 3 });
  });

  it('the variable that is set, by its own name; the flag as --proxy', () => {
    expect(badProxy({}, { http_proxy: 'htp://p' })).toEqual([{ field: 'http_proxy', file: undefined, line: undefined }]);
    expect(badProxy({}, { HTTP_PROXY: 'htp://p' })).toEqual([{ field: 'HTTP_PROXY', file: undefined, line: undefined }]);
    expect(badProxy({}, { HTTPS_PROXY: 'htp://p' }, 'https://jenkins.example.com/')).toEqual([{ field: 'HTTPS_PROXY', file: undefined, line: undefined }]);
    expect(badProxy({ proxy: 'htp://p' }, { HTTP_PROXY: 'http://fine:3128' })).toEqual([{ field: '--proxy', file: undefined, line: undefined }]);
  });

  it('the CLI prints the located error and exits 1', async () => {
    writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins: { url: "http://127.0.0.1:1/", proxy: "htp://proxy.example.com:3128" }\n');
    const r = await runCli(['jenkins', 'ping'], { cwd: dir, env: { JENKINS_URL: '', HTTP_PROXY: '', http_proxy: '', HTTPS_PROXY: '', https_proxy: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^jobsmith\.yaml:1:\d+: error: the proxy must be an http:\/\/ or https:\/\/ URL: htp:\/\/proxy\.example\.com:3128 \[jenkins\.proxy\]$/m);
  });
});
