/**
 * Break-it report A, confusing messages: a job a person disabled in Jenkins. Decided: it stays
 * disabled (a person's decision: no sync, update or `--verify` re-enables it), and every plan says
 * so, once per job (`disabled-by-hand`), instead of reporting "Jenkins matches the definitions" in
 * silence. A job the definition or its template disables, or one jobsmith retired, is not reported.
 * Against the stand-in on a loopback port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, planned, project, TEMPLATE, type Env } from './harness.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const notices = (o: Awaited<ReturnType<Env['sync']>>) => planned(o).plan.problems.filter((p) => p.code === 'disabled-by-hand').map((p) => p.message);
const disabled = async (e: Env, name: string) => (await e.api.list()).items.find((i) => i.fullName === name)!.disabled;

describe('a job disabled by hand in Jenkins', () => {
  it('stays disabled through --verify and a template change, and every plan says so; jobs the definitions disable are not reported', async () => {
    env = await makeEnv({ templates: { 'CI-build-trunk': TEMPLATE, Off: TEMPLATE.replace('<disabled>false</disabled>', '<disabled>true</disabled>') } });
    await env.writeProject('pay', project('svn://pay'));
    await env.writeProject('web', project('svn://web', 'disabled: true\n'));
    await env.writeProject('off', 'templates: [Off]\ntokens:\n  SCM.PATH: svn://off\n');
    expect(planned(await env.sync()).applied?.failed).toEqual([]);
    expect(await disabled(env, 'web-CI-build-trunk')).toBe(true);
    expect(await disabled(env, 'off-Off')).toBe(true);
    await env.api.disableJob('pay-CI-build-trunk');

    const verify = planned(await env.sync({ verify: true }));
    expect(notices(verify)).toEqual(['pay-CI-build-trunk: disabled in Jenkins (not by jobsmith): kept disabled; enable it in Jenkins to build it again']);
    expect(verify.plan.changes.find((c) => c.fullName === 'pay-CI-build-trunk')).toMatchObject({ kind: 'unchanged', reason: 'up to date; disabled in Jenkins by a person: kept disabled' });
    expect(verify.plan.summary).toMatchObject({ update: 0, enable: 0, disable: 0 });
    expect(await disabled(env, 'pay-CI-build-trunk')).toBe(true);

    // the template changes: the job is updated and stays disabled
    await env.writeProject('pay', project('svn://pay-moved'));
    const updated = planned(await env.sync());
    expect(updated.plan.changes.filter((c) => c.fullName === 'pay-CI-build-trunk').map((c) => c.kind)).toEqual(['update', 'disable']);
    expect(notices(updated)).toHaveLength(1);
    expect(await disabled(env, 'pay-CI-build-trunk')).toBe(true);

    // enabled again in Jenkins: no longer reported
    await env.api.enableJob('pay-CI-build-trunk');
    expect(notices(await env.sync())).toEqual([]);
  });
});
