/**
 * Finding 16 of break-it report A: a definition's list view loses only the managed jobs the
 * definitions no longer make; a managed job a person added to it by hand stays ("jobs you add by
 * hand stay"), whether or not its own project has a view. Against the stand-in on a loopback port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, planned, project, type Env } from './harness.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const viewJobs = async (e: Env, view: string) => (await e.api.listViews()).find((v) => v.name === view)!.jobs.sort();
const viewChange = (o: Awaited<ReturnType<Env['sync']>>, view: string) => planned(o).plan.changes.filter((c) => c.target === 'view' && c.fullName === view).map((c) => [c.kind, c.view?.add, c.view?.remove]);

describe("a definition's list view and the jobs in it", () => {
  it('a managed job of another project added by hand stays (with or without a view of its own); jobs of a project that left the definitions go', async () => {
    env = await makeEnv();
    await env.writeProject('pay', project('svn://pay', 'view: Payments\n'));
    await env.writeProject('other', project('svn://other'));
    await env.writeProject('ops', project('svn://ops', 'view: Ops\n'));
    await env.writeProject('x', project('svn://x'));
    await env.writeProject('y', project('svn://y'));
    expect(planned(await env.sync()).applied?.failed).toEqual([]);
    expect(await viewJobs(env, 'Payments')).toEqual(['pay-CI-build-trunk']);
    // a person adds two managed jobs of other projects (one whose project has its own view) and an unmanaged one
    await env.api.createJob('mine', '<project><builders/></project>');
    for (const j of ['other-CI-build-trunk', 'ops-CI-build-trunk', 'mine']) await env.api.addJobToView('Payments', j);
    expect(viewChange(await env.sync(), 'Payments')).toEqual([['unchanged', undefined, undefined]]);
    expect(await viewJobs(env, 'Payments')).toEqual(['mine', 'ops-CI-build-trunk', 'other-CI-build-trunk', 'pay-CI-build-trunk']);
    // project other leaves the definitions; its job is kept in Jenkins (--removed keep) and leaves the view
    await env.removeProject('other');
    expect(viewChange(await env.sync({ removed: 'keep' }), 'Payments')).toEqual([['update', [], ['other-CI-build-trunk']]]);
    expect(await viewJobs(env, 'Payments')).toEqual(['mine', 'ops-CI-build-trunk', 'pay-CI-build-trunk']);
  });
});
