/**
 * A config whose root is a class Jenkins has but that is not an item (a node, a build or user
 * record, a matrix configuration) fails createItem to cast (the stand-in answers like Jenkins), and
 * jobsmith says to change the template (class `input`), not to install a plugin; a view config of a
 * class no plugin provides fails to resolve, and says to install the plugin.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, type Env } from './harness.js';
import { classifyFailure } from '../../src/apply/failure-class.js';
import type { Change } from '../../src/model/plan.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const change: Change = { kind: 'create', target: 'job', fullName: 'x', template: 'T', reason: 'test', code: 'new-job' };

describe('roots Jenkins has that are not items', () => {
  it('createItem fails to cast them; classified as input', async () => {
    env = await makeEnv();
    for (const root of ['hudson.slaves.DumbSlave', 'hudson.matrix.MatrixConfiguration', 'hudson.maven.MavenModule', 'build', 'hudson.model.FreeStyleBuild', 'flow-build', 'user', 'hudson.model.User']) {
      const err = await env.api.createJob(`x-${root}`, `<${root}/>`).then(() => undefined, (e: unknown) => e);
      expect((err as Error).message, root).toMatch(/cannot be cast to class hudson\.model\.TopLevelItem/);
      expect(classifyFailure(err, change).class, root).toBe('input');
    }
    expect((await env.api.list()).items).toEqual([]);
  });

  it('createView with a class no plugin provides fails to resolve; classified as jenkins', async () => {
    env = await makeEnv();
    const err = await env.api.createView('v', '<org.example.NoSuchView/>').then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).toMatch(/CannotResolveClassException: org\.example\.NoSuchView/);
    expect(classifyFailure(err, { ...change, target: 'view' })).toEqual({ class: 'jenkins', hint: 'Jenkins has no plugin that provides <org.example.NoSuchView>: install it in Jenkins, or change the template T' });
    const job = await env.api.createView('w', '<project/>').then(() => undefined, (e: unknown) => e);
    expect((job as Error).message).toMatch(/hudson\.model\.FreeStyleProject cannot be cast to class hudson\.model\.View/);
  });
});
