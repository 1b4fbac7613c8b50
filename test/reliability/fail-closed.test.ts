/**
 * Fail closed (issue 10): a listing that fails or comes back truncated, a git remote that is
 * unreachable or lists nothing, a crumb that expires mid-run, credentials revoked mid-run →
 * nothing that should stay is deleted (counted from the stand-in's own request counts and by
 * reading Jenkins back), every run ends with a clear message, and the next fault-free run converges.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBranchSource } from '../../src/branches/auto-branch-source.js';
import { detectBranchJobs } from '../../src/branches/detect-and-expand.js';
import type { BranchProject } from '../../src/branches/expand-branch-jobs.js';
import type { DesiredState } from '../../src/model/desired-job.js';
import { hasActions } from '../../src/model/plan.js';
import { planSync } from '../../src/sync/plan-sync.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { DesiredSource } from '../../src/sync/desired-source.js';
import { testSecret, type TestSecret } from '../helpers/secret-scan.js';
import { countCoverage, countFault, newFigures, saveFigures } from './figures.js';
import { clearMessage, desiredJob, desiredState, FaultLog, newClient, staticSource, StandinHarness } from './sync-harness.js';

const figures = newFigures();
afterAll(() => saveFigures('fail-closed', figures));

const DELETE_ROUTE = 'POST doDelete';

function deletes(h: StandinHarness): number {
  const c = h.standin.requestCounts();
  return (c[DELETE_ROUTE] ?? 0) + (c['DELETE job/'] ?? 0) + (c['DELETE /'] ?? 0);
}

/** 40 managed jobs in Jenkins; the new definitions drop 5 of them (a plan would delete those 5). */
async function seeded(secret: TestSecret, opts: { password?: boolean } = {}): Promise<{ h: StandinHarness; full: DesiredState; reduced: DesiredState; dropped: string[] }> {
  const user = opts.password ? { name: secret.user, password: secret.token } : { name: secret.user, token: secret.token };
  const h = await StandinHarness.start({ users: [user], seed: 3 });
  const full = desiredState(40);
  const reduced: DesiredState = { ...full, jobs: full.jobs.slice(0, 35) };
  const dropped = full.jobs.slice(35).map((j) => j.fullName);
  const c = newClient(h.url, secret, new FaultLog());
  const r = await runSync({ api: c, source: staticSource(full) });
  expect(r.status === 'planned' && r.applied?.failed.length).toBe(0);
  await c.close();
  h.standin.resetCounts();
  return { h, full, reduced, dropped };
}

async function existing(h: StandinHarness, secret: TestSecret): Promise<Set<string>> {
  const c = newClient(h.url, secret, new FaultLog());
  const names = new Set((await c.list()).items.map((i) => i.fullName));
  await c.close();
  return names;
}

async function converges(h: StandinHarness, secret: TestSecret, desired: DesiredState): Promise<void> {
  h.standin.faults.clear();
  const c = newClient(h.url, secret, new FaultLog());
  const r = await runSync({ api: c, source: staticSource(desired) });
  figures.syncs++;
  expect(r.status).toBe('planned');
  expect(r.applied?.failed.map((f) => f.error) ?? []).toEqual([]);
  const again = await planSync({ api: c, source: staticSource(desired) });
  expect(again.status === 'planned' && hasActions(again.plan)).toBe(false);
  await c.close();
}

describe('fail closed: no deletion when something around the sync fails', () => {
  it('a failed listing (every api/json answers 503/500) deletes nothing and says why', async () => {
    const secret = testSecret();
    const { h, reduced, dropped } = await seeded(secret);
    try {
      for (const status of [503, 500, 502]) {
        h.standin.faults.set({ errors: { 'GET api/json': { rate: 1, status } } });
        const log = new FaultLog(secret);
        const c = newClient(h.url, secret, log);
        const err = await runSync({ api: c, source: staticSource(reduced) }).then(() => undefined, (e: unknown) => e as Error);
        figures.syncs++;
        log.addTo(figures);
        countFault(figures, `listing failed (HTTP ${status}) for a whole run`);
        expect(err, 'the sync must fail').toBeDefined();
        expect(err!.name).toBe('ExternalError');
        expect(err!.message).toMatch(/listing Jenkins failed \(nothing was changed\)/);
        expect(clearMessage(err!.message, secret).ok).toBe(true);
        expect(deletes(h)).toBe(0);
        await c.close();
      }
      h.standin.faults.clear();
      const names = await existing(h, secret);
      for (const d of dropped) expect(names.has(d)).toBe(true);
      figures.protectedChecks += dropped.length;
      await converges(h, secret, reduced);
    } finally {
      await h.close();
    }
  });

  it('a truncated listing (200 with half a JSON body) deletes nothing', async () => {
    const secret = testSecret();
    const { h, reduced, dropped } = await seeded(secret);
    try {
      h.standin.faults.set({ truncateListing: true });
      const c = newClient(h.url, secret, new FaultLog(secret));
      const err = await runSync({ api: c, source: staticSource(reduced) }).then(() => undefined, (e: unknown) => e as Error);
      figures.syncs++;
      countFault(figures, 'truncated listing for a whole run');
      expect(err?.name).toBe('ExternalError');
      expect(clearMessage(err!.message, secret).ok, err!.message).toBe(true);
      expect(deletes(h)).toBe(0);
      h.standin.faults.clear();
      const names = await existing(h, secret);
      for (const d of dropped) expect(names.has(d)).toBe(true);
      figures.protectedChecks += dropped.length;
      await c.close();
      await converges(h, secret, reduced);
    } finally {
      await h.close();
    }
  });

  it('credentials revoked mid-run: the run fails clearly and deletes nothing', async () => {
    const secret = testSecret();
    const { h, full, dropped } = await seeded(secret);
    try {
      // new definitions: 30 jobs change, 5 are dropped. Revoke after the 5th config update.
      const changed: DesiredState = { ...full, jobs: full.jobs.slice(0, 35).map((j, k) => (k < 30 ? desiredJob(j.fullName, j.project, j.template, 9) : j)) };
      let posts = 0;
      const log = new FaultLog(secret);
      const c = newClient(h.url, secret, log, {
        concurrency: 2,
        onResponse: (e) => {
          if (e.method === 'POST' && ++posts === 5) {
            h.standin.faults.revokeCredentials(secret.user);
            countFault(figures, 'credentials revoked mid-run');
          }
        },
      });
      const r = await runSync({ api: c, source: staticSource(changed), settings: { concurrency: 2 } });
      figures.syncs++;
      log.addTo(figures);
      expect(r.status).toBe('planned');
      const failed = r.applied?.failed ?? [];
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) expect(clearMessage(f.error, secret).ok, f.error).toBe(true);
      expect(failed.some((f) => /401|credential|authenticat|unauthori/i.test(f.error)), failed[0]?.error).toBe(true);
      // delete requests may still be sent (each refused with 401); none may succeed
      h.standin.faults.restoreCredentials();
      const names = await existing(h, secret);
      for (const d of dropped) expect(names.has(d), `${d} was deleted after the credentials were revoked`).toBe(true);
      figures.protectedChecks += dropped.length;
      expect(log.leaks()).toBe(0);
      figures.leakScans++;
      await c.close();
      await converges(h, secret, changed);
    } finally {
      await h.close();
    }
  });

  it('a crumb that expires mid-run (password login, sessions dropped every 7 POSTs) is refreshed; only the intended jobs go', async () => {
    const secret = testSecret();
    const { h, full, reduced, dropped } = await seeded(secret, { password: true });
    try {
      const changed: DesiredState = { ...reduced, jobs: reduced.jobs.map((j, k) => (k < 20 ? desiredJob(j.fullName, j.project, j.template, 5) : j)) };
      let posts = 0;
      const log = new FaultLog(secret);
      const c = newClient(h.url, secret, log, {
        concurrency: 2,
        onResponse: (e) => {
          if (e.method === 'POST' && ++posts % 7 === 0) {
            h.standin.faults.expireSessions();
            countFault(figures, 'crumb/session expired mid-run');
          }
        },
      });
      const r = await runSync({ api: c, source: staticSource(changed), settings: { concurrency: 2 } });
      figures.syncs++;
      log.addTo(figures);
      expect(r.status).toBe('planned');
      for (const f of r.applied?.failed ?? []) expect(clearMessage(f.error, secret).ok, f.error).toBe(true);
      expect(log.lines.some((l) => /crumb refused/.test(l))).toBe(true);
      const names = await existing(h, secret);
      // every job still desired is there; the dropped ones went, or stay for the next run
      for (const j of changed.jobs) expect(names.has(j.fullName)).toBe(true);
      figures.protectedChecks += changed.jobs.length;
      // (request counts include POSTs refused for a stale crumb and sent again, so read Jenkins back)
      const gone = full.jobs.map((j) => j.fullName).filter((n) => !names.has(n));
      for (const g of gone) expect(dropped).toContain(g);
      await c.close();
      await converges(h, secret, changed);
    } finally {
      await h.close();
    }
  });

  it('an unreachable git remote or one that suddenly lists no branches tears no branch job down', async () => {
    const secret = testSecret();
    const h = await StandinHarness.start({ users: [{ name: secret.user, token: secret.token }], seed: 5 });
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-rel-git-'));
    try {
      const git = (args: string[], cwd: string) => execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
      const remote = path.join(tmp, 'remote.git');
      const work = path.join(tmp, 'work');
      const empty = path.join(tmp, 'empty.git');
      git(['init', '-q', '--bare', remote], tmp);
      git(['init', '-q', '--bare', empty], tmp);
      git(['init', '-q', '-b', 'main', work], tmp);
      git(['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'x'], work);
      for (const b of ['feature/a', 'feature/b', 'release/1']) git(['branch', b], work);
      git(['push', '-q', remote, '--all'], work);

      const base = desiredState(5);
      const sourceFor = (repo: string): DesiredSource => ({
        render: async () => ({ desired: base, diagnostics: [] }),
        branches: async (snapshot, observed) => {
          const projects: BranchProject[] = [{ project: 'pay', file: 'jobs/pay.yaml', line: 1, branches: { repo, templates: ['CI'], keep_days: 0, include: ['*', '*/*'] } }];
          return detectBranchJobs(
            {
              projects,
              otherJobNames: snapshot.desired.jobs.map((j) => j.fullName),
              render: ({ project, template, branch, nameFor }) => ({ job: { ...desiredJob(nameFor(`${project}-${template}`), project, template, 0), branch }, diagnostics: [] }),
            },
            { source: createBranchSource(), timeoutMs: 10_000, observed },
          );
        },
      });
      const c = newClient(h.url, secret, new FaultLog(secret));
      const r1 = await runSync({ api: c, source: sourceFor(remote) });
      figures.syncs++;
      expect(r1.status === 'planned' && r1.applied?.failed.length).toBe(0);
      const branchJobs = (await c.list()).items.filter((i) => i.fullName.startsWith('pay-CI-')).map((i) => i.fullName);
      expect(branchJobs.length).toBe(4);
      h.standin.resetCounts();

      for (const [label, repo] of [
        ['git remote unreachable', path.join(tmp, 'no-such-repo.git')],
        ['git remote lists no branches', empty],
        ['git remote refuses (file URL to a non-repository)', `file://${tmp}/work/.git/objects`],
      ] as const) {
        const r = await runSync({ api: c, source: sourceFor(repo) });
        figures.syncs++;
        countFault(figures, label);
        expect(r.status).toBe('planned');
        if (r.status !== 'planned') continue;
        const torn = r.plan.changes.filter((ch) => ch.branch !== undefined && ['delete', 'disable', 'replace'].includes(ch.kind));
        expect(torn.map((t) => `${t.kind} ${t.fullName}`), label).toEqual([]);
        expect(r.plan.problems.some((p) => p.project === 'pay' && p.severity === 'error'), label).toBe(true);
        for (const p of r.plan.problems) expect(clearMessage(p.message, secret).ok).toBe(true);
        countCoverage(figures, 'branch listings failed closed');
      }
      expect(deletes(h)).toBe(0);
      const after = new Set((await c.list()).items.filter((i) => !i.disabled).map((i) => i.fullName));
      for (const b of branchJobs) expect(after.has(b), `${b} torn down or disabled`).toBe(true);
      figures.protectedChecks += branchJobs.length * 3;
      await c.close();
    } finally {
      await h.close();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
