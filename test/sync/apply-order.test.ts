import { afterEach, describe, expect, it } from 'vitest';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { ApplyEvent } from '../../src/apply/apply-events.js';
import { planSync } from '../../src/sync/plan-sync.js';
import { workspaceSource } from '../../src/sync/workspace-source.js';
import { progressReporter } from '../../src/cli/progress.js';
import { makeEnv, planned, project, type Env } from './harness.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('apply order and events', () => {
  it('folders, then jobs, then views, then disables, then deletes; events count every step', async () => {
    env = await makeEnv({ buildDurationMs: 3_000 });
    await env.writeProject('gone', project('g'));
    await env.writeProject('busy', project('b'));
    await env.sync();
    await env.api.build('busy-CI-build-trunk');
    const e = env;
    const end = Date.now() + 10_000;
    while (!(await e.api.list()).items.some((i) => i.building) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    await env.removeProject('gone');
    await env.removeProject('busy');
    await env.writeProject('pay', project('p', 'folder: team\nview: Pay\n'));
    const routes: string[] = [];
    const api = new JenkinsClient({ url: env.standin.url + '/', user: 'sync', token: '11aaaabbbbccccddddeeeeffff00001111', onResponse: (r) => routes.push(`${r.method} ${r.route}`) });
    try {
      const o = await planSync({ api, source: workspaceSource({ templatesDir: env.templatesDir, jobsDir: env.jobsDir, branches: false }) });
      const plan = planned(o).plan;
      routes.length = 0;
      const events: ApplyEvent[] = [];
      const lines: string[] = [];
      const report = progressReporter('lines', { write: (s: string) => lines.push(s) });
      const result = await applyPlan(api, plan, { concurrency: 4, onEvent: (ev) => (events.push(ev), report(ev)) });
      expect(result.failed).toEqual([]);
      const writes = routes.filter((r) => r.startsWith('POST') && !r.includes('crumb'));
      const firstIndex = (pred: (r: string) => boolean) => writes.findIndex(pred);
      const lastIndex = (pred: (r: string) => boolean) => writes.length - 1 - [...writes].reverse().findIndex(pred);
      // folder create, job create, view create, the busy job's retirement (gone= in its marker, so it is
      // re-enabled if its project comes back) and its disable, delete (gone job)
      expect(writes.length).toBe(6);
      expect(writes.findIndex((r) => r.includes('config.xml'))).toBeLessThan(firstIndex((r) => r.includes('disable')));
      expect(firstIndex((r) => r.includes('createView'))).toBeGreaterThan(lastIndex((r) => r.includes('createItem')));
      expect(firstIndex((r) => r.includes('disable'))).toBeGreaterThan(firstIndex((r) => r.includes('createView')));
      expect(firstIndex((r) => r.includes('doDelete'))).toBeGreaterThan(firstIndex((r) => r.includes('disable')));
      expect(events[0]).toEqual({ type: 'start', total: 5 });
      expect(events.filter((ev) => ev.type === 'step')).toHaveLength(5);
      expect(events.at(-1)).toEqual({ type: 'end', succeeded: 5, failed: 0, skipped: 0 });
      const text = lines.join('');
      expect(text).toContain('created folder team\n');
      expect(text).toContain('disabled job busy-CI-build-trunk\n');
      expect(text).toContain('deleted job gone-CI-build-trunk\n');
      expect(text.endsWith('applied: 5 done, 0 failed, 0 skipped\n')).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('progress bar mode redraws one line and reports failures on their own line', () => {
    const out: string[] = [];
    const r = progressReporter('bar', { write: (s: string) => out.push(s) }, 80);
    const change = { kind: 'create' as const, target: 'job' as const, fullName: 'a', reason: 'x', code: 'new-job' as const };
    r({ type: 'start', total: 2 });
    r({ type: 'step', change, ok: true, done: 1, total: 2 });
    r({ type: 'step', change, ok: false, error: 'HTTP 503', done: 2, total: 2 });
    r({ type: 'end', succeeded: 1, failed: 1, skipped: 0 });
    const text = out.join('');
    expect(text).toContain('\r[');
    expect(text).toContain('FAILED create job a: HTTP 503\n');
    expect(text).toContain('2/2');
    expect(text.endsWith('applied: 1 done, 1 failed, 0 skipped\n')).toBe(true);
  });
});
