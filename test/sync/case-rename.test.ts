/** A `job:` whose spelling changes only in case renames the job (Jenkins' names are case-insensitive, the spelling is kept). */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, planned, type Env } from './harness.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('a case-only rename', () => {
  it('is planned as a rename and applied; the next plan has nothing to do', async () => {
    env = await makeEnv({ templates: { M: '<project>\n  <builders/>\n</project>\n' } });
    await env.writeProject('x', 'templates:\n  - template: M\n    job: build\n');
    planned(await env.sync());
    await env.writeProject('x', 'templates:\n  - template: M\n    job: Build\n');
    const o = planned(await env.sync());
    expect(o.plan.changes.filter((c) => c.kind !== 'unchanged').map((c) => `${c.kind} ${c.from} -> ${c.fullName}`)).toEqual(['move build -> Build']);
    expect(o.applied!.failed.map((f) => f.error)).toEqual([]);
    expect((await env.api.list()).items.map((i) => i.fullName)).toEqual(['Build']);
    const again = planned(await env.sync({ verify: true }));
    expect(again.plan.changes.filter((c) => c.kind !== 'unchanged')).toEqual([]);
  });
});
