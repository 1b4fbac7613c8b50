import { afterEach, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/plan/marker.js';
import { readDescription } from '../../src/plan/config-description.js';
import { kindsOf, makeEnv, planned, project, type Env } from './harness.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function waitFor(pred: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out waiting for a build to run');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a job jobsmith disabled on its way out comes back enabled', () => {
  it('removed while a build runs (disabled, retired), then back in the definitions: re-enabled', async () => {
    env = await makeEnv({ buildDurationMs: 60_000 });
    await env.writeProject('busy', project('b'));
    await env.writeProject('stay', project('s'));
    await env.sync();
    await env.api.build('busy-CI-build-trunk');
    const e = env;
    await waitFor(async () => (await e.api.list()).items.some((i) => i.building));
    await env.removeProject('busy');
    expect(kindsOf(await env.sync())['job:busy-CI-build-trunk']).toEqual(['disable']);
    const retired = parseMarker(readDescription(await env.api.getConfig('busy-CI-build-trunk')));
    expect(retired?.gone).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await env.api.list()).items.find((i) => i.fullName === 'busy-CI-build-trunk')?.disabled).toBe(true);

    await env.writeProject('busy', project('b'));
    const back = planned(await env.sync());
    // the marker loses gone= (a config update) and the job is enabled
    expect(back.plan.changes.filter((c) => c.fullName === 'busy-CI-build-trunk').map((c) => `${c.kind}: ${c.reason}`)).toEqual(['update: back in the definitions', 'enable: back in the definitions: re-enabled']);
    expect((await env.api.list()).items.find((i) => i.fullName === 'busy-CI-build-trunk')?.disabled).toBe(false);
  });

  it('a job a person disabled, removed while a build runs and then back: stays disabled (jobsmith did not disable it)', async () => {
    env = await makeEnv({ buildDurationMs: 60_000 });
    await env.writeProject('busy', project('b'));
    await env.writeProject('stay', project('s'));
    await env.sync();
    await env.api.build('busy-CI-build-trunk');
    const e = env;
    // disabled while it builds (disabling a job whose build is still queued cancels that build)
    await waitFor(async () => (await e.api.list()).items.some((i) => i.building));
    await env.api.disableJob('busy-CI-build-trunk');
    expect((await env.api.list()).items.find((i) => i.fullName === 'busy-CI-build-trunk')?.disabled).toBe(true);
    await env.removeProject('busy');
    await env.sync();
    await env.writeProject('busy', project('b'));
    await env.writeProject('stay', project('s'));
    await env.sync();
    expect((await env.api.list()).items.find((i) => i.fullName === 'busy-CI-build-trunk')?.disabled).toBe(true);
  });
});
