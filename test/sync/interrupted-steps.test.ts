/**
 * A change made of several steps in Jenkins (a move that changes folder and name, a replacement)
 * stopped half-way is finished by the next sync: the job keeps its builds and nothing is left
 * behind as an unmanaged "copy".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, planned, type Env } from './harness.js';
import { asideName } from '../../src/plan/aside-name.js';

const M = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <builders><hudson.tasks.Shell><command>echo $PROJECT.NAME</command></hudson.tasks.Shell></builders>
</project>
`;
const PIPE = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@2.40">
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps@2.90"><script>echo 'hi'</script><sandbox>true</sandbox></definition>
</flow-definition>
`;

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function names(e: Env): Promise<string[]> {
  return (await e.api.list()).items.map((i) => i.fullName).sort();
}

async function finishedBuild(e: Env, job: string): Promise<void> {
  const n = await e.api.build(job);
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < 200; i++) {
    const items = (await e.api.list()).items;
    if (!items.find((x) => x.fullName === job)?.building) {
      try {
        const s = await e.api.buildStatus(job, 1);
        if (!s.building) return;
      } catch {
        // queued: not a build yet
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`build of ${job} did not finish`);
}

describe('a two-step move stopped half-way', () => {
  for (const failing of ['POST confirmRename', 'POST move/move']) {
    it(`is finished by the next sync (the ${failing === 'POST move/move' ? 'first' : 'second'} step failed once)`, async () => {
      env = await makeEnv({ templates: { M }, buildDurationMs: 0 });
      await env.writeProject('x', 'templates: [M]\n');
      planned(await env.sync());
      await finishedBuild(env, 'x-M');
      await env.writeProject('x', 'folder: b\ntemplates:\n  - template: M\n    job: y\n');
      env.standin.faults.set({ errors: { [failing]: { status: 500, times: 2 } } }); // the client retries once
      const first = planned(await env.sync());
      env.standin.faults.clear();
      expect(first.applied!.failed.map((f) => [f.change.kind, f.class])).toEqual([['move', 'transient']]);
      const second = planned(await env.sync());
      expect(second.plan.problems.filter((p) => p.code === 'copy-not-managed')).toEqual([]);
      expect(second.plan.changes.filter((c) => c.kind === 'move').map((c) => `${c.from} -> ${c.fullName}`)).toEqual([failing === 'POST move/move' ? 'x-M -> b/y' : 'b/x-M -> b/y']);
      expect(second.applied!.failed).toEqual([]);
      expect(await names(env)).toEqual(['b', 'b/y']);
      // the build history went along
      expect((await env.api.buildStatus('b/y', 1)).building).toBe(false);
      const third = planned(await env.sync({ verify: true }));
      expect(third.plan.changes.filter((c) => c.kind !== 'unchanged')).toEqual([]);
    });
  }
});

describe('a replacement stopped half-way', () => {
  it('after the old job was renamed aside: the next sync creates the new one, then deletes the old', async () => {
    env = await makeEnv({ templates: { M, O: M } });
    await env.writeProject('x', 'templates: [M]\n');
    planned(await env.sync());
    await env.writeProject('other', 'templates: [O]\n'); // one of two jobs replaced: under the mass-delete guard
    planned(await env.sync());
    const { writeFile } = await import('node:fs/promises');
    const path = await import('node:path');
    await writeFile(path.join(env.templatesDir, 'M-config.xml'), PIPE);
    // stopped (killed) right after the old job was renamed aside, before the new one was created
    const aside = asideName('x-M', () => true);
    await env.api.renameJob('x-M', aside);
    expect(await names(env)).toEqual([aside, 'other-O']);
    const second = planned(await env.sync());
    expect(second.plan.problems.filter((p) => p.code === 'copy-not-managed')).toEqual([]);
    expect(second.applied!.failed).toEqual([]);
    expect(await names(env)).toEqual(['other-O', 'x-M']);
    expect((await env.api.list()).items.find((i) => i.fullName === 'x-M')!.className).toBe('org.jenkinsci.plugins.workflow.job.WorkflowJob');
  });

  it('after the new job was created: the next sync deletes the old one left aside', async () => {
    env = await makeEnv({ templates: { M, O: M } });
    await env.writeProject('x', 'templates: [M]\n');
    planned(await env.sync());
    await env.writeProject('other', 'templates: [O]\n'); // one of two jobs replaced: under the mass-delete guard
    planned(await env.sync());
    const { writeFile } = await import('node:fs/promises');
    const path = await import('node:path');
    await writeFile(path.join(env.templatesDir, 'M-config.xml'), PIPE);
    env.standin.faults.set({ errors: { 'POST doDelete': { status: 500, times: 2 } } }); // the client retries once
    const first = planned(await env.sync());
    env.standin.faults.clear();
    expect(first.plan.problems).toEqual([]);
    expect(first.applied!.failed.map((f) => f.change.kind)).toEqual(['replace']);
    expect((await names(env)).filter((n) => n.startsWith('jobsmith-replaced-'))).toHaveLength(1);
    const second = planned(await env.sync());
    expect(second.plan.problems.filter((p) => p.code === 'copy-not-managed')).toEqual([]);
    expect(second.plan.changes.filter((c) => c.kind === 'delete').map((c) => c.reason)).toEqual([expect.stringContaining('left aside')]);
    expect(second.applied!.failed).toEqual([]);
    expect(await names(env)).toEqual(['other-O', 'x-M']);
  });
});
