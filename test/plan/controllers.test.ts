/**
 * Many controllers, the pure parts: the controllers section of jobsmith.yaml, the names in
 * definitions, the split of the desired state, the cross-controller move rule, and the saved-plan
 * set (an old single plan is still read).
 */
import { describe, expect, it } from 'vitest';
import { parseControllers } from '../../src/controllers/controllers-config.js';
import { controllerClientOptions } from '../../src/controllers/controller-settings.js';
import { checkControllerNames, projectControllers } from '../../src/controllers/assign-controllers.js';
import { parseDefinition } from '../../src/load/definition.js';
import { splitDesired } from '../../src/render/split-controllers.js';
import { linkControllerMoves } from '../../src/plan/rules/cross-controller-move.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { serializePlan, SavedPlanError } from '../../src/plan/saved-plan.js';
import { parseSavedPlans, PLAN_SET_FORMAT } from '../../src/plan/saved-plan-schema.js';
import { NOW, desired, job, managedItem, observed } from './fixtures.js';

const TWO = 'controllers:\n  east: { url: https://e.example.com, user: bot, token-env: EAST_TOKEN }\n  west:\n    url: https://w.example.com/ci\n    timeout: 60\ndefault-controller: east\n';

describe('controllers in jobsmith.yaml', () => {
  it('reads names, settings and the default; the token only through token-env', () => {
    const { config, diagnostics } = parseControllers(TWO, 'jobsmith.yaml', '/defs');
    expect(diagnostics).toEqual([]);
    expect([config!.names, config!.defaultName]).toEqual([['east', 'west'], 'east']);
    const east = controllerClientOptions(config!.entries.get('east')!, {}, { EAST_TOKEN: 'tok-123456', JENKINS_URL: 'http://ignored/' }, '/defs');
    expect(east).toEqual({ settings: { url: 'https://e.example.com/', user: 'bot', token: 'tok-123456' }, diagnostics: [] });
    const west = controllerClientOptions(config!.entries.get('west')!, { concurrency: 3 }, {}, '/defs');
    expect(west.settings).toEqual({ url: 'https://w.example.com/ci/', timeoutMs: 60000, concurrency: 3 });
    const unset = controllerClientOptions(config!.entries.get('east')!, {}, {}, '/defs');
    expect(unset.settings).toBeUndefined();
    expect(unset.diagnostics.map((d) => [d.code, d.line, d.field])).toEqual([['missing-token', 2, 'controllers.east.token-env']]);
  });

  it('every mistake at once, located: secrets, bad names, unknown keys, bad numbers, unknown default', () => {
    const text = 'controllers:\n  east: { url: https://e, token: abc }\n  "we st": { url: https://w }\n  north: { url: https://n, tiemout: 5, retries: x }\n  East: { url: https://x }\ndefault-controller: nort\n';
    const { config, diagnostics } = parseControllers(text, 'jobsmith.yaml', '/defs');
    expect(config).toBeUndefined();
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '2:27 secret-in-config a secret does not belong in jobsmith.yaml: remove "token" and name the environment variable that holds the token with token-env',
      '3:3 bad-controller-name controller name "we st" must be a plain word: letters, digits, - and _ (at most 63 characters)',
      '4:28 unknown-key unknown controller setting "tiemout" (did you mean timeout?) (known: url, user, token-env, concurrency, timeout, retries, ca-files, proxy, no-proxy)',
      '4:49 config-type controllers.north.retries must be a number',
      '5:3 duplicate-controller controller "East" is also named "east": names must differ in more than letter case',
      '6:21 unknown-controller default-controller names an unknown controller "nort" (did you mean north?) (known: east, north)',
    ]);
    const many = parseControllers('controllers:\n  a: { url: https://a }\n  b: { url: https://b }\n', 'jobsmith.yaml', '/');
    expect(many.diagnostics.map((d) => d.code)).toEqual(['missing-default-controller']);
    expect(parseControllers('jenkins: { url: https://x }\n', 'jobsmith.yaml', '/')).toEqual({ diagnostics: [] });
    const same = parseControllers('controllers:\n  a: { url: https://ci.example.com/x }\n  b: { url: "https://CI.example.com/x/" }\ndefault-controller: a\n', 'jobsmith.yaml', '/');
    expect(same.diagnostics.map((d) => `${d.line} ${d.code} ${d.message}`)).toEqual(["3 duplicate-controller-url controllers a and b have the same url: one Jenkins must be one controller (each would delete the other's jobs)"]);
    const userNoToken = parseControllers('controllers:\n  a: { url: https://a, user: bot }\n', 'jobsmith.yaml', '/');
    expect(controllerClientOptions(userNoToken.config!.entries.get('a')!, {}, {}, '/').diagnostics.map((d) => d.code)).toEqual(['missing-token']);
    const withPassword = parseControllers('controllers:\n  a: { url: "https://bot:pw@a/" }\n', 'jobsmith.yaml', '/');
    const r = controllerClientOptions(withPassword.config!.entries.get('a')!, {}, {}, '/');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['secret-in-config']);
    expect(JSON.stringify(r)).not.toContain('pw@');
  });
});

describe('controller: in definitions', () => {
  const config = parseControllers(TWO, 'jobsmith.yaml', '/').config!;
  const def = (file: string, text: string) => parseDefinition(file, text).definition!;

  it('one name or a list; unknown names located with a did-you-mean; none configured is an error', () => {
    const defs = [def('jobs/a.yaml', 'templates: [T]\n'), def('jobs/b.yaml', 'controller: west\ntemplates: [T]\n'), def('jobs/c.yaml', 'controller: [east, west]\ntemplates: [T]\n'), def('jobs/d.yaml', 'templates: [T]\ncontroller: [east, wset]\n')];
    expect(checkControllerNames(defs, config).map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual(['jobs/d.yaml:2:20 unknown controller "wset" (did you mean west?) (known: east, west)']);
    expect([...projectControllers(defs.slice(0, 3), config)]).toEqual([
      ['a', ['east']],
      ['b', ['west']],
      ['c', ['east', 'west']],
    ]);
    expect(checkControllerNames(defs.slice(1, 2), undefined).map((d) => d.code)).toEqual(['unknown-controller']);
    expect(parseDefinition('jobs/e.yaml', 'controller: []\ntemplates: [T]\n').diagnostics.map((d) => d.message)).toEqual(['controller must name at least one controller']);
    expect(parseDefinition('jobs/e.yaml', 'controller: { a: b }\ntemplates: [T]\n').diagnostics.map((d) => d.field)).toEqual(['controller']);
  });

  it('render: each controller gets its projects, every item carrying its controller; folders and views follow their jobs', () => {
    const d = desired([job('team/sub/a-x', { project: 'a', name: 'a-x', folder: ['team', 'sub'] }), job('b-x', { project: 'b' }), job('team/c-x', { project: 'c', name: 'c-x', folder: ['team'] })]);
    d.folders = [{ fullName: 'team', config: '<f/>' }, { fullName: 'team/sub', config: '<f/>' }];
    d.views = [{ name: 'All', folder: [], jobs: ['team/sub/a-x', 'b-x', 'team/c-x'] }];
    const of = new Map([['a', ['east']], ['b', ['west']], ['c', ['east', 'west']]]);
    const split = splitDesired(d, ['east', 'west'], (p) => of.get(p) ?? []);
    const east = split.get('east')!;
    const west = split.get('west')!;
    expect(east.jobs.map((j) => [j.fullName, j.controller])).toEqual([['team/sub/a-x', 'east'], ['team/c-x', 'east']]);
    expect(west.jobs.map((j) => [j.fullName, j.controller])).toEqual([['b-x', 'west'], ['team/c-x', 'west']]);
    expect([east.folders.map((f) => f.fullName), west.folders.map((f) => f.fullName)]).toEqual([['team', 'team/sub'], ['team']]);
    expect([east.views[0]!.jobs, west.views[0]!.jobs]).toEqual([['team/sub/a-x', 'team/c-x'], ['b-x', 'team/c-x']]);
    expect(d.jobs.every((j) => j.controller === undefined)).toBe(true);
  });
});

describe('moves between controllers (plan rule)', () => {
  const pay = job('pay-CI', { project: 'pay' });
  const eastPlan = () => makePlan({ desired: desired([job('stay-CI', { project: 'stay' })]), observed: observed([managedItem(pay), managedItem(job('stay-CI', { project: 'stay' }))]), clock: NOW, branchScopes: {} });
  const westPlan = () => makePlan({ desired: desired([pay]), observed: observed([]), clock: NOW, branchScopes: {} });

  it('the delete waits for the create; both say build history does not move', () => {
    const east = eastPlan();
    const west = westPlan();
    linkControllerMoves([{ controller: 'east', plan: east }, { controller: 'west', plan: west }], (p) => (p === 'pay' ? ['west'] : p === 'stay' ? ['east'] : undefined));
    const del = east.changes.find((c) => c.fullName === 'pay-CI')!;
    expect([del.kind, del.waitsFor, del.code, del.params]).toEqual(['delete', { controller: 'west', fullName: 'pay-CI' }, 'moved-to-controller', { controller: 'west', cause: { code: 'project-removed', params: { project: 'pay' } } }]);
    expect(west.changes.find((c) => c.fullName === 'pay-CI')!.params).toMatchObject({ movedFrom: 'east' });
    expect(del.reason).toContain('its build history stays on controller east (it cannot move between controllers)');
    expect(west.changes.find((c) => c.fullName === 'pay-CI')!.reason).toContain('moved from controller east');
  });

  it('kept when the new controller failed, refused its plan, or is outside the run; a removed project is an ordinary delete', () => {
    for (const [other, why] of [
      [{ controller: 'west' }, 'controller west could not be planned'],
      [{ controller: 'west', notInRun: true }, 'controller west is not part of this run (--controller)'],
      [{ controller: 'west', plan: { ...westPlan(), refused: true } }, 'the plan of controller west is refused'],
    ] as const) {
      const east = eastPlan();
      linkControllerMoves([{ controller: 'east', plan: east }, other], (p) => (p === 'pay' ? ['west'] : ['east']));
      const c = east.changes.find((x) => x.fullName === 'pay-CI')!;
      expect([c.kind, c.reason, c.code, c.params]).toEqual(['keep', `project pay moved to controller west; kept here: ${why}`, 'controller-move-held', { controller: 'west', detail: why }]);
      expect(east.summary.keep).toBe(1);
      expect(east.summary.delete).toBe(0);
    }
    const east = eastPlan();
    linkControllerMoves([{ controller: 'east', plan: east }], (p) => (p === 'stay' ? ['east'] : undefined));
    const gone = east.changes.find((x) => x.fullName === 'pay-CI')!;
    expect([gone.kind, gone.waitsFor]).toEqual(['delete', undefined]);
  });

  it('a job held on the old controller by another rule (--removed keep) says where the project went, not that it left the definitions', () => {
    const east = makePlan({ desired: desired([job('stay-CI', { project: 'stay' })]), observed: observed([managedItem(pay), managedItem(job('stay-CI', { project: 'stay' }))]), clock: NOW, branchScopes: {}, options: { removed: 'keep' } });
    const before = east.changes.find((c) => c.fullName === 'pay-CI')!;
    expect([before.kind, before.reason]).toEqual(['keep', 'project pay is no longer in the definitions (--removed keep)']);
    linkControllerMoves([{ controller: 'east', plan: east }, { controller: 'west', plan: westPlan() }], (p) => (p === 'pay' ? ['west'] : ['east']));
    const c = east.changes.find((x) => x.fullName === 'pay-CI')!;
    expect([c.kind, c.reason, c.code, c.params]).toEqual(['keep', 'project pay moved to controller west; its build history stays on controller east (--removed keep)', 'removed-keep', { cause: { code: 'moved-to-controller', params: { controller: 'west', cause: { code: 'project-removed', params: { project: 'pay' } } } } }]);
    // a plan set without a plan for the new controller says so
    const other = eastPlan();
    linkControllerMoves([{ controller: 'east', plan: other }, { controller: 'west', notInRun: true, outsideWhy: 'the plan set has no plan for controller west' }], (p) => (p === 'pay' ? ['west'] : ['east']));
    expect(other.changes.find((x) => x.fullName === 'pay-CI')!.reason).toBe('project pay moved to controller west; kept here: the plan set has no plan for controller west');
  });
});

describe('saved plan sets', () => {
  const basis = { revision: null, inputsHash: 'sha256:1', observedFingerprint: 'sha256:2' };
  const withController = (name: string) => {
    const p = { ...makePlan({ desired: desired([job('a')]), observed: observed([]), clock: NOW, branchScopes: {} }), basis, controller: name };
    p.changes = p.changes.map((c) => ({ ...c, controller: name }));
    return p;
  };

  it('an old single plan (no controller) is still read; a set reads back plan by plan', () => {
    const single = makePlan({ desired: desired([job('a')]), observed: observed([]), clock: NOW, branchScopes: {} });
    expect(parseSavedPlans(serializePlan({ ...single, basis })).map((p) => p.controller)).toEqual([undefined]);
    const set = JSON.stringify({ format: PLAN_SET_FORMAT, version: 1, createdAt: NOW.now().toISOString(), plans: [withController('east'), withController('west')] });
    expect(parseSavedPlans(set).map((p) => [p.controller, p.changes.map((c) => c.controller)])).toEqual([
      ['east', ['east']],
      ['west', ['west']],
    ]);
  });

  it('refuses a set with a plan without controller, twice the same controller, or a change for another controller', () => {
    const set = (plans: unknown[]) => JSON.stringify({ format: PLAN_SET_FORMAT, version: 1, createdAt: 'x', plans });
    const noName = { ...withController('east'), controller: undefined, changes: withController('east').changes.map(({ controller: _c, ...c }) => c) };
    expect(() => parseSavedPlans(set([noName]))).toThrow('plans[0].controller: each plan of a plan set names its controller');
    expect(() => parseSavedPlans(set([withController('east'), withController('east')]))).toThrow('plans[1].controller: controller east has two plans');
    const mixed = { ...withController('east'), changes: withController('west').changes };
    expect(() => parseSavedPlans(set([mixed]))).toThrow(/plans\[0\]\.changes\[0\]\.controller: the change is for controller west but the plan is for east/);
    expect(() => parseSavedPlans(set([]))).toThrow(SavedPlanError);
    expect(() => parseSavedPlans(set([{ ...withController('../x') }]))).toThrow(/controller: must be a controller name/);
  });
});
