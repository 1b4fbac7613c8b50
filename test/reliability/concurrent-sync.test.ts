/**
 * Two syncs at the same time against one Jenkins (two master-job runs, e.g. two commits pushed in
 * quick succession): both end, no job is duplicated (Jenkins compares names case-insensitively)
 * or lost, nothing unmanaged is touched, and the state converges on the next run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DesiredState } from '../../src/model/desired-job.js';
import { hasActions } from '../../src/model/plan.js';
import { planSync } from '../../src/sync/plan-sync.js';
import { runSync, type SyncOutcome } from '../../src/sync/run-sync.js';
import { testSecret } from '../helpers/secret-scan.js';
import { countCoverage, countFault, newFigures, runs, saveFigures } from './figures.js';
import { checkState, clearMessage, desiredJob, desiredState, FaultLog, newClient, staticSource, StandinHarness } from './sync-harness.js';

const figures = newFigures();
afterAll(() => saveFigures('concurrent-sync', figures));

const JOBS = 600;
const PAIRS = runs(3, 4);

describe(`two syncs at once against one Jenkins (${JOBS} jobs, ${PAIRS} pairs)`, () => {
  it('both end, no duplicate or lost job, the state converges', async () => {
    const secret = testSecret();
    const h = await StandinHarness.start({ users: [{ name: secret.user, token: secret.token }], seed: 11 });
    try {
      const setup = newClient(h.url, secret, new FaultLog());
      const unmanaged = ['hand-1', 'hand-2', 'p3-job-3'];
      for (const n of unmanaged) await setup.createJob(n, `<project><description>by hand</description></project>`);
      const old = Array.from({ length: 6 }, (_, k) => desiredJob(`old-${k}`, 'old', 'CI', 0));
      await runSync({ api: setup, source: staticSource(desiredState(10, () => 0, old)) });
      await setup.close();

      let last: DesiredState = desiredState(JOBS);
      for (let pair = 1; pair <= PAIRS; pair++) {
        // run A and run B see different commits: B changes some jobs A does not, and drops `old`
        const a = desiredState(JOBS, (k) => (k % 7 === pair % 7 ? pair : 0), pair === 1 ? old : []);
        const b = desiredState(JOBS, (k) => (k % 5 === pair % 5 ? 100 + pair : 0));
        if (pair % 2 === 0) h.standin.faults.set({ latencyMs: 1, errors: { '*': { rate: 0.02, status: 503 } } });
        const logs = [new FaultLog(secret), new FaultLog(secret)];
        const clients = logs.map((l) => newClient(h.url, secret, l));
        const results = await Promise.allSettled([runSync({ api: clients[0]!, source: staticSource(a) }), runSync({ api: clients[1]!, source: staticSource(b) })]);
        figures.syncs += 2;
        countFault(figures, 'concurrent second sync');
        for (const r of results) {
          if (r.status === 'rejected') {
            countCoverage(figures, 'concurrent runs that failed as a whole');
            expect(clearMessage((r.reason as Error).message, secret).ok, (r.reason as Error).message).toBe(true);
          } else {
            const o = r.value as SyncOutcome;
            const failed = o.applied?.failed ?? [];
            countCoverage(figures, failed.length ? 'concurrent runs with failed steps (the other run got there first)' : 'concurrent runs that succeeded');
            for (const f of failed) expect(clearMessage(f.error, secret).ok, f.error).toBe(true);
          }
        }
        for (const l of logs) {
          l.addTo(figures);
          figures.leakScans++;
          figures.leaksFound += l.leaks();
          expect(l.leaks()).toBe(0);
        }
        await Promise.all(clients.map((c) => c.close()));
        h.standin.faults.clear();

        const check = newClient(h.url, secret, new FaultLog());
        const mid = await checkState(check, b, new Set(unmanaged));
        // nothing desired by both runs may be lost, nothing may exist twice
        expect(mid.duplicates).toEqual([]);
        const both = new Set(a.jobs.map((j) => j.fullName).filter((n) => b.jobs.some((j) => j.fullName === n)));
        const lost = mid.missingDesired.filter((n) => both.has(n));
        figures.protectedChecks += both.size + unmanaged.length;
        figures.unintendedDeletions += lost.length;
        expect(lost).toEqual([]);
        const names = new Set(mid.items.map((i) => i.fullName));
        for (const u of unmanaged) expect(names.has(u)).toBe(true);

        // the next run (commit B) converges
        const r = await runSync({ api: check, source: staticSource(b) });
        figures.syncs++;
        expect(r.status).toBe('planned');
        expect(r.applied?.failed.map((f) => f.error) ?? []).toEqual([]);
        const after = await checkState(check, b, new Set(unmanaged));
        expect(after.missingDesired).toEqual([]);
        expect(after.wrongHash).toEqual([]);
        expect(after.duplicates).toEqual([]);
        const again = await planSync({ api: check, source: staticSource(b) });
        expect(again.status === 'planned' && hasActions(again.plan)).toBe(false);
        await check.close();
        last = b;
      }
      expect(last.jobs.length).toBe(JOBS);
    } finally {
      await h.close();
    }
  }, 300_000);
});
