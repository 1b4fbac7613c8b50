/**
 * Fault injection (issue 10): repeated syncs of 2,000 jobs against the stand-in over loopback
 * while it answers 500/502/503 at random, drops connections mid-request and mid-response, answers
 * slowly, truncates listings and restarts (between runs and in the middle of one). Every run must
 * end, either applied (possibly with failed steps, reported) or failed with a clear message; the
 * jobs that must not be deleted never are (unmanaged jobs, desired jobs, jobs with a running
 * build: counted after every run); the next fault-free run converges.
 *
 * Library level (runSync + JenkinsClient, a fresh client per run like a fresh master-job agent);
 * the CLI's exit codes for the same situations are covered in cli-faults.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hasActions } from '../../src/model/plan.js';
import { planSync } from '../../src/sync/plan-sync.js';
import { runSync, type SyncOutcome } from '../../src/sync/run-sync.js';
import type { FaultConfig } from '../../src/standin/faults.js';
import { testSecret } from '../helpers/secret-scan.js';
import { countCoverage, countFault, newFigures, runs, saveFigures, SOAK } from './figures.js';
import { checkState, clearMessage, desiredJob, desiredState, FaultLog, newClient, sleep, staticSource, StandinHarness, waitBuilding } from './sync-harness.js';

const figures = newFigures();
afterAll(() => saveFigures('sync-faults', figures));

const JOBS = 2000;
const ROUNDS = runs(6, 5);

/** Random fault mix for one round (seeded by the round number, so failures can be replayed). */
function faultsFor(round: number): { config: FaultConfig; label: string } {
  const r = (k: number) => ((Math.sin(round * 97 + k * 13) + 1) / 2); // deterministic 0..1
  const status = [500, 502, 503][round % 3]!;
  const config: FaultConfig = {
    errors: { '*': { rate: 0.02 + 0.06 * r(1), status }, 'POST createItem': { rate: 0.05 + 0.1 * r(2), status: 503 }, 'GET api/json': { rate: 0.3 * r(3), status: 502 } },
    dropRequest: { '*': { rate: 0.01 + 0.03 * r(4) } },
    dropResponse: { '*': { rate: 0.01 + 0.03 * r(5) } },
    latencyMs: Math.round(3 * r(6)),
    slowListingMs: Math.round(300 * r(7)),
  };
  if (round % 4 === 3) config.truncateListing = { rate: 0.5 };
  return { config, label: `round ${round}: ${status}s, drops, latency ${config.latencyMs} ms` };
}

describe(`sync under injected faults (${JOBS} jobs, ${ROUNDS} faulty runs${SOAK ? ', soak' : ''})`, () => {
  it('every run ends clearly, nothing protected is deleted, the next fault-free run converges', async () => {
    const secret = testSecret();
    const h = await StandinHarness.start({ users: [{ name: secret.user, token: secret.token }], buildDurationMs: 30 * 60_000, seed: 7 });
    const messages: string[] = [];
    try {
      const setupLog = new FaultLog(secret);
      const setup = newClient(h.url, secret, setupLog);
      // Unmanaged jobs (some in the way of desired names) and a project that will be removed.
      const unmanaged = Array.from({ length: 40 }, (_, k) => (k < 5 ? `p${k}-job-${k}` : `hand-made-${k}`));
      for (const n of unmanaged) await setup.createJob(n, `<project><description>made by hand ${n}</description></project>`);
      const oldJobs = Array.from({ length: 8 }, (_, k) => desiredJob(`old-job-${k}`, 'old', 'CI', 0));
      const first = await runSync({ api: setup, source: staticSource(desiredState(20, () => 0, oldJobs)), settings: { concurrency: 8 } });
      expect(first.status).toBe('planned');
      const runningOld = oldJobs.slice(0, 3).map((j) => j.fullName);
      for (const n of runningOld) await setup.build(n);
      await waitBuilding(setup, runningOld);
      await setup.close();

      let variantRound = 0;
      const desiredFor = (round: number) => desiredState(JOBS, (k) => (k % 20 === round % 20 ? round : 0));
      for (let round = 1; round <= ROUNDS; round++) {
        variantRound = round;
        const desired = desiredFor(round);
        const { config } = faultsFor(round);
        // protected in this run: unmanaged jobs, desired jobs that exist, jobs building now (read before the faults start)
        h.standin.faults.clear();
        const reader = newClient(h.url, secret, new FaultLog());
        const before = await reader.list();
        await reader.close();
        h.standin.faults.set(config);
        if (config.truncateListing) countCoverage(figures, 'runs with truncated listings');
        const log = new FaultLog(secret);
        const client = newClient(h.url, secret, log);
        const restartMidRun = round % 3 === 2;
        const sync = runSync({ api: client, source: staticSource(desired), settings: { concurrency: 8 } });
        let restarting: Promise<void> | undefined;
        if (restartMidRun) {
          restarting = (async () => {
            await sleep(150 + 50 * round);
            await h.restart();
            countFault(figures, 'stand-in restarted mid-run');
          })();
        }
        let outcome: SyncOutcome | undefined;
        let error: unknown;
        const started = Date.now();
        try {
          outcome = await sync;
        } catch (e) {
          error = e;
        }
        await restarting;
        h.standin.faults.set(config); // a restarted stand-in starts without faults: count what was set
        figures.syncs++;
        expect(Date.now() - started, 'a sync under faults must end in bounded time').toBeLessThan(120_000);
        if (error !== undefined) {
          countCoverage(figures, 'faulty runs that failed as a whole (exit 3)');
          expect((error as Error).name, String(error)).toMatch(/ExternalError|JenkinsError/);
          const msg = (error as Error).message;
          messages.push(msg);
          const c = clearMessage(msg, secret);
          expect(c.ok, `${c.why}: ${msg}`).toBe(true);
        } else {
          expect(outcome!.status).toBe('planned');
          const failed = outcome!.applied?.failed ?? [];
          if (failed.length > 0) countCoverage(figures, 'faulty runs with some failed steps (exit 3)');
          else countCoverage(figures, 'faulty runs that succeeded despite faults');
          for (const f of failed) {
            const c = clearMessage(f.error, secret);
            expect(c.ok, `${c.why}: ${f.error}`).toBe(true);
            messages.push(f.error);
          }
        }
        log.addTo(figures);
        figures.leakScans++;
        const leaks = log.leaks();
        figures.leaksFound += leaks;
        expect(leaks).toBe(0);
        await client.close();

        // nothing protected was deleted
        h.standin.faults.clear();
        const checker = newClient(h.url, secret, new FaultLog());
        const after = new Set((await checker.list()).items.map((i) => i.fullName.toLowerCase()));
        await checker.close();
        const protectedNames = new Set<string>(unmanaged.map((n) => n.toLowerCase()));
        for (const i of before.items) {
          const desiredHere = desired.jobs.some((j) => j.fullName.toLowerCase() === i.fullName.toLowerCase()) || i.isFolder;
          if (desiredHere || i.building) protectedNames.add(i.fullName.toLowerCase());
        }
        const lost = [...protectedNames].filter((n) => !after.has(n));
        figures.protectedChecks += protectedNames.size;
        figures.unintendedDeletions += lost.length;
        expect(lost, `round ${round}: protected jobs deleted`).toEqual([]);
        h.standin.faults.set(config);
      }

      // fault-free run: converges
      h.standin.faults.clear();
      const desired = desiredFor(variantRound);
      const log = new FaultLog(secret);
      const client = newClient(h.url, secret, log);
      const final = await runSync({ api: client, source: staticSource(desired), settings: { concurrency: 8 } });
      figures.syncs++;
      expect(final.status).toBe('planned');
      expect(final.applied?.failed.map((f) => f.error) ?? []).toEqual([]);
      const check = await checkState(client, desired, new Set(unmanaged));
      expect(check.missingDesired).toEqual([]);
      expect(check.wrongHash).toEqual([]);
      expect(check.duplicates).toEqual([]);
      const names = new Set(check.items.map((i) => i.fullName));
      for (const n of unmanaged) {
        expect(names.has(n), `unmanaged ${n}`).toBe(true);
        expect(await client.getConfig(n), `unmanaged ${n} was changed`).toContain(`made by hand ${n}`);
      }
      // the removed project's jobs are gone, except those whose build still runs (disabled instead)
      const running = new Set(check.items.filter((i) => i.building).map((i) => i.fullName));
      for (const j of oldJobs) {
        if (running.has(j.fullName)) {
          expect(check.items.find((i) => i.fullName === j.fullName)!.disabled).toBe(true);
          countCoverage(figures, 'removed jobs kept (disabled) because a build runs');
        } else expect(names.has(j.fullName), `${j.fullName} should be deleted`).toBe(false);
      }
      // and a second fault-free plan has nothing left to do
      h.standin.resetCounts();
      const again = await planSync({ api: client, source: staticSource(desired) });
      expect(again.status).toBe('planned');
      if (again.status === 'planned') expect(hasActions(again.plan), JSON.stringify(again.plan.summary)).toBe(false);
      const counts = h.standin.requestCounts();
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3);
      await client.close();
      figures.syncs++;
      figures.notes.push(`sync-faults: ${JOBS} jobs, ${ROUNDS} faulty runs, ${h.restarts} restarts mid-run; sample messages: ${[...new Set(messages)].slice(0, 4).join(' | ')}`);
    } finally {
      await h.close();
    }
  }, 600_000);
});
