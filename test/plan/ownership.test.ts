/**
 * The planner's ownership rules (issue 13): a run changes or deletes only what its owner made,
 * under its own name; copies, renames and other owners' jobs are left alone; moves keep history;
 * small and empty definitions are guarded.
 */
import { describe, expect, it } from 'vitest';
import { makePlan, type PlanInput } from '../../src/plan/make-plan.js';
import { readDescription } from '../../src/plan/config-description.js';
import { parseMarker } from '../../src/plan/marker.js';
import type { Change, ChangeKind } from '../../src/model/plan.js';
import { NOW, OWNER, desired, item, job, managedItem, observed } from './fixtures.js';

function kinds(changes: Change[]): Record<string, ChangeKind[]> {
  const out: Record<string, ChangeKind[]> = {};
  for (const c of changes) (out[c.fullName] ??= []).push(c.kind);
  return out;
}

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'desired' | 'observed'>) {
  return makePlan({ clock: NOW, branchScopes: {}, owner: OWNER, ...input });
}

const FOLDER = 'com.cloudbees.hudson.plugins.folder.Folder';
const folderItem = (name: string) => item(name, { isFolder: true, className: FOLDER, color: undefined });

describe('ownership: what a run may touch', () => {
  const pay = job('pay-ci', { project: 'pay', template: 'CI' });
  const web = job('web-ci', { project: 'web', template: 'CI' });

  it('a copy made in Jenkins (same marker, another name) is never updated or deleted; the plan says so once', () => {
    const copy = managedItem(pay, { fullName: 'pay-ci-hotfix', marker: { name: 'pay-ci' } });
    const p = plan({ desired: desired([job('pay-ci', { project: 'pay', template: 'CI', token: 'new' }), web]), observed: observed([managedItem(pay), copy, managedItem(web)]) });
    expect(kinds(p.changes)).toEqual({ 'pay-ci': ['update'], 'web-ci': ['unchanged'] });
    const notices = p.problems.filter((x) => x.code === 'copy-not-managed');
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/^pay-ci-hotfix: copy of pay-ci, not managed /)]);
    expect(p.ownership).toEqual({ otherOwners: 0, copies: 1, oldMarkers: 0 });
    expect(p.managedCount).toBe(2);
  });

  it('a job renamed in Jenkins: the renamed one is left alone, the definition gets its job back', () => {
    const renamed = managedItem(pay, { fullName: 'payments-old', marker: { name: 'pay-ci' } });
    const p = plan({ desired: desired([pay]), observed: observed([renamed]) });
    expect(kinds(p.changes)).toEqual({ 'pay-ci': ['create'] });
    expect(p.summary.delete).toBe(0);
  });

  it('jobs of another owner are never touched: not deleted, not updated, not adopted; counted', () => {
    const theirs = managedItem(web, { marker: { owner: 'github.com/acme/other' } });
    const theirsToo = managedItem(job('ops-x', { project: 'ops' }), { marker: { owner: 'github.com/acme/other' } });
    const p = plan({ desired: desired([job('web-ci', { project: 'web', template: 'CI', token: 'mine' })]), observed: observed([theirs, theirsToo]), options: { adopt: true } });
    expect(kinds(p.changes)).toEqual({ 'web-ci': ['conflict'] });
    expect(p.changes[0]!.reason).toMatch(/managed by other definitions \(owner github.com\/acme\/other\)/);
    expect(p.problems.find((x) => x.code === 'foreign-conflict')?.message).toMatch(/set `owner: github.com\/acme\/other` in jobsmith.yaml/);
    expect(p.problems.find((x) => x.code === 'other-owners')?.message).toBe('2 item(s) managed by other definitions (owner github.com/acme/other): not touched');
    expect(p.ownership?.otherOwners).toBe(2);
    expect(p.managedCount).toBe(0);
  });

  it('old (v1) markers: claimed and upgraded where a desired job has that name; otherwise left alone', () => {
    const v1 = { owner: undefined, name: undefined };
    const p = plan({ desired: desired([pay]), observed: observed([managedItem(pay, { marker: v1 }), managedItem(web, { marker: v1 })]) });
    expect(kinds(p.changes)).toEqual({ 'pay-ci': ['update'] });
    const up = p.changes[0]!;
    expect(up.reason).toBe('old marker (v1) upgraded: records owner and name');
    expect(parseMarker(readDescription(up.config!))).toMatchObject({ owner: OWNER, name: 'pay-ci', project: 'pay', template: 'CI' });
    expect(p.ownership?.oldMarkers).toBe(1);
    expect(p.problems.find((x) => x.code === 'old-markers')?.message).toMatch(/^1 item\(s\) with an old jobsmith marker/);
  });

  it('the former shared owner `default` (plain directories, break-a 4): never deleted by another owner; taken over only at its own name with the same identity', () => {
    const mine = 'dir:/srv/team-b/jobs';
    const shared = { owner: 'default' };
    const theirFolder = folderItem('team-a');
    theirFolder.description = '<!-- jobsmith:v2 kind=folder owner=default name=team-a hash=sha256%3A0 -->';
    const inFolder = job('team-a/batch', { project: 'batch', template: 'CI' });
    // team B wants none of them: nothing is deleted (not even with the mass-delete guard off), all counted in one notice
    const p = plan({ owner: mine, desired: desired([job('b-ci', { project: 'b' })]), observed: observed([managedItem(pay, { marker: shared }), managedItem(web, { marker: shared }), theirFolder, managedItem(inFolder, { marker: shared })]), options: { allowMassDelete: true } });
    expect(kinds(p.changes)).toEqual({ 'b-ci': ['create'] });
    expect(p.managedCount).toBe(0);
    expect(p.problems.find((x) => x.code === 'shared-default-owner')?.message).toMatch(/^4 item\(s\) with the former shared owner default \(made from a plain directory by an earlier jobsmith\) .*not touched, never deleted/);
    // the directory that made them (after the upgrade its owner is its path): takes over what it wants, exactly
    const renamed = managedItem(pay, { fullName: 'pay-ci-copy', marker: { ...shared, name: 'pay-ci' } });
    const otherIdentity = managedItem(job('web-ci', { project: 'web', template: 'Other' }), { marker: shared });
    const a = plan({ owner: 'dir:/srv/team-a/jobs', desired: desired([pay, web, inFolder], { folders: [{ fullName: 'team-a', config: '<com.cloudbees.hudson.plugins.folder.Folder/>' }] }), observed: observed([managedItem(pay, { marker: shared }), renamed, otherIdentity, theirFolder, managedItem(inFolder, { marker: shared })]) });
    expect(kinds(a.changes)).toEqual({ 'pay-ci': ['update'], 'web-ci': ['conflict'], 'team-a': ['update'], 'team-a/batch': ['update'] });
    const up = a.changes.find((c) => c.fullName === 'pay-ci')!;
    expect(up.reason).toBe('marker of the former shared owner default now records this owner (the definitions want exactly this item)');
    expect(parseMarker(readDescription(up.config!))).toMatchObject({ owner: 'dir:/srv/team-a/jobs', name: 'pay-ci', project: 'pay', template: 'CI' });
    expect(a.changes.find((c) => c.fullName === 'team-a')!.reason).toBe(up.reason);
    // another project or template at that name is not taken (it may be another directory's): a conflict naming the way out
    expect(a.changes.find((c) => c.fullName === 'web-ci')!.reason).toMatch(/former shared owner default .*set `owner: default` in jobsmith.yaml if it is theirs, or --adopt/);
    expect(plan({ owner: 'dir:/srv/team-a/jobs', desired: desired([web]), observed: observed([otherIdentity]), options: { adopt: true } }).changes.map((c) => c.kind)).toEqual(['adopt']);
    // the copy is left alone, and counted
    expect(a.problems.find((x) => x.code === 'shared-default-owner')?.message).toMatch(/^2 item\(s\)/);
    // a run whose owner is `default` (owner: default in jobsmith.yaml) still manages them as before
    const d = plan({ owner: 'default', desired: desired([pay]), observed: observed([managedItem(pay, { marker: shared }), managedItem(web, { marker: shared })]), options: { allowMassDelete: true } });
    expect(kinds(d.changes)).toEqual({ 'pay-ci': ['unchanged'], 'web-ci': ['delete'] });
  });

  it('--adopt takes over a copy at a desired name (explicitly); without it, a conflict', () => {
    const copyAtDesired = managedItem(web, { marker: { name: 'somewhere-else', project: 'x', template: 'y' } });
    expect(kinds(plan({ desired: desired([web]), observed: observed([copyAtDesired]) }).changes)).toEqual({ 'web-ci': ['conflict'] });
    const adopted = plan({ desired: desired([web]), observed: observed([copyAtDesired]), options: { adopt: true } });
    expect(kinds(adopted.changes)).toEqual({ 'web-ci': ['adopt'] });
    expect(parseMarker(readDescription(adopted.changes[0]!.config!))).toMatchObject({ owner: OWNER, name: 'web-ci' });
  });

  it('an interrupted move (marker names a job that is gone, same project and template, at the desired name) is claimed', () => {
    const arrived = managedItem(pay, { fullName: 'team/pay-ci', marker: { name: 'pay-ci' } });
    const moved = job('team/pay-ci', { project: 'pay', template: 'CI' });
    const p = plan({ desired: desired([moved], { folders: [{ fullName: 'team', config: '<com.cloudbees.hudson.plugins.folder.Folder/>' }] }), observed: observed([folderItem('team'), arrived]) });
    expect(kinds(p.changes)['team/pay-ci']).toEqual(['update']);
    expect(p.changes.find((c) => c.fullName === 'team/pay-ci')!.reason).toBe('moved here from pay-ci in Jenkins: marker updated');
    // but not while the job the marker names still exists (then it is a copy)
    const both = plan({ desired: desired([moved]), observed: observed([folderItem('team'), arrived, managedItem(pay)]) });
    expect(kinds(both.changes)['team/pay-ci']).toEqual(['conflict']);
  });
});

describe('moves keep history', () => {
  const pay = job('pay-ci', { project: 'pay', template: 'CI' });

  it('a job renamed with job: is renamed in Jenkins (same folder), its config pushed with the new name', () => {
    const renamed = job('payments-ci', { project: 'pay', template: 'CI', token: 'new' });
    const p = plan({ desired: desired([renamed]), observed: observed([managedItem(pay)]) });
    expect(kinds(p.changes)).toEqual({ 'payments-ci': ['move'] });
    const m = p.changes[0]!;
    expect(m).toMatchObject({ kind: 'move', from: 'pay-ci', fullName: 'payments-ci' });
    expect(m.via).toBeUndefined();
    expect(m.reason).toBe('renamed by the definitions (same project pay and template CI); builds kept');
    expect(parseMarker(readDescription(m.config!))).toMatchObject({ owner: OWNER, name: 'payments-ci' });
    expect(p.summary).toMatchObject({ move: 1, delete: 0, create: 0 });
  });

  it('a project moved to a folder: the job moves (the folder is created first); the empty old folder goes', () => {
    const inTeam = job('team/pay-ci', { project: 'pay', template: 'CI' });
    const before = managedItem(job('old/pay-ci', { project: 'pay', template: 'CI' }));
    const oldFolder = folderItem('old');
    oldFolder.description = '<!-- jobsmith:v2 kind=folder owner=default name=old hash=sha256%3A0 -->';
    const p = plan({ desired: desired([inTeam], { folders: [{ fullName: 'team', config: `<${FOLDER}/>` }] }), observed: observed([oldFolder, before]) });
    expect(kinds(p.changes)).toEqual({ team: ['create'], 'team/pay-ci': ['move'], old: ['delete'] });
    expect(p.changes.find((c) => c.kind === 'move')).toMatchObject({ from: 'old/pay-ci', reason: 'the definitions place it in team (same project pay and template CI); builds kept' });
  });

  it('folder and name both change: it passes through a free name (move first, else rename first, else created anew)', () => {
    const to = job('team/payments', { project: 'pay', template: 'CI' });
    const p1 = plan({ desired: desired([to]), observed: observed([folderItem('team'), managedItem(pay)]) });
    expect(p1.changes.find((c) => c.kind === 'move')).toMatchObject({ from: 'pay-ci', fullName: 'team/payments', via: 'team/pay-ci' });
    const p2 = plan({ desired: desired([to]), observed: observed([folderItem('team'), item('team/pay-ci'), managedItem(pay)]) });
    expect(p2.changes.find((c) => c.kind === 'move')).toMatchObject({ via: 'payments' });
    const p3 = plan({ desired: desired([to]), observed: observed([folderItem('team'), item('team/pay-ci'), item('payments'), managedItem(pay)]), options: { allowMassDelete: true } });
    expect(kinds(p3.changes)).toEqual({ 'team/payments': ['create'], 'pay-ci': ['delete'] });
    const del = p3.changes.find((c) => c.kind === 'delete')!;
    expect(del.after).toBe('team/payments');
    expect(del.reason).toMatch(/^replaced by team\/payments, same project pay and template CI \(not moved: both team\/pay-ci and payments, the names it would pass through, are taken\)/);
  });

  it('two candidates, or a type change: created anew, and the old one deleted only after the create (gated)', () => {
    const twin = managedItem(job('pay-ci-2', { project: 'pay', template: 'CI' }));
    const p = plan({ desired: desired([job('pay', { project: 'pay', template: 'CI' })]), observed: observed([managedItem(pay), twin]), options: { allowMassDelete: true } });
    expect(kinds(p.changes)).toEqual({ pay: ['create'], 'pay-ci': ['delete'], 'pay-ci-2': ['delete'] });
    expect(p.changes.filter((c) => c.kind === 'delete').map((c) => c.after)).toEqual(['pay', 'pay']);
    const typed = plan({ desired: desired([job('pay', { project: 'pay', template: 'CI', rootElement: 'flow-definition' })]), observed: observed([managedItem(pay)]), options: { allowMassDelete: true } });
    expect(kinds(typed.changes)).toEqual({ pay: ['create'], 'pay-ci': ['delete'] });
    expect(typed.changes[1]!.reason).toMatch(/not moved: the job type changes/);
  });

  it('a running build postpones the move (nothing created meanwhile); fail-closed holds moves', () => {
    const renamed = job('payments-ci', { project: 'pay', template: 'CI' });
    const busy = plan({ desired: desired([renamed]), observed: observed([managedItem(pay, { building: true })]) });
    expect(kinds(busy.changes)).toEqual({ 'pay-ci': ['keep'] });
    expect(busy.changes[0]!.reason).toBe('moves to payments-ci once its running build ends');
    const held = plan({ desired: desired([renamed]), observed: observed([managedItem(pay)]), holdDeletions: 'the definitions are not current' });
    expect(kinds(held.changes)).toEqual({ 'pay-ci': ['keep'] });
    expect(held.changes[0]!.reason).toBe('not moved to payments-ci: the definitions are not current (would: renamed by the definitions (same project pay and template CI); builds kept)');
    expect(held.changes[0]!.config).toBeUndefined();
  });

  it("the replacement of a deleted job is blocked by someone else's item: the old one is kept", () => {
    const p = plan({ desired: desired([job('pay', { project: 'pay', template: 'CI' })]), observed: observed([managedItem(pay), item('pay', { description: 'by hand' })]) });
    expect(kinds(p.changes)).toEqual({ pay: ['conflict'], 'pay-ci': ['keep'] });
    expect(p.changes[1]!.reason).toBe('not deleted: the job that replaces it, pay, cannot be made (its name is taken)');
  });

  it('views follow a rename (no remove of the old name); a job moved to another folder leaves the root view', () => {
    const renamed = job('payments-ci', { project: 'pay', template: 'CI', view: 'V' });
    const views = [{ name: 'V', folder: [], className: 'hudson.model.ListView', jobs: ['pay-ci'] }];
    const p = plan({ desired: desired([renamed], { views: [{ name: 'V', folder: [], jobs: ['payments-ci'] }] }), observed: observed([managedItem(pay)], views) });
    expect(p.changes.find((c) => c.target === 'view')).toMatchObject({ kind: 'unchanged' });
  });
});

describe('guards for small and empty definitions', () => {
  const js = ['a', 'b', 'c'].map((n) => job(n, { template: n }));
  const all = observed(js.map((j) => managedItem(j)));

  it('deleting more than half of the managed jobs needs --allow-mass-delete, whatever the count', () => {
    const two = plan({ desired: desired([js[0]!]), observed: all });
    expect(two.refused).toBe(true);
    expect(two.problems.find((p) => p.code === 'mass-delete')?.message).toBe(
      'refusing to apply: the plan deletes 2 of 3 managed jobs (67%), more than half of them; check the definitions, then pass --allow-mass-delete if this is intended',
    );
    expect(plan({ desired: desired([js[0]!]), observed: all, options: { allowMassDelete: true } }).refused).toBe(false);
    expect(plan({ desired: desired([js[0]!, js[1]!]), observed: all }).refused).toBe(false); // 1 of 3
    expect(plan({ desired: desired([js[0]!]), observed: observed([managedItem(js[0]!), managedItem(js[1]!)]) }).refused).toBe(false); // 1 of 2 = half
    expect(plan({ desired: desired([]), observed: observed([managedItem(js[0]!)]), projectCount: 1 }).refused).toBe(true); // 1 of 1
  });

  it('definitions without any project are refused (exit 1) unless --allow-empty, even for one managed job', () => {
    const p = plan({ desired: desired([]), observed: observed([managedItem(js[0]!)]), projectCount: 0, options: { allowMassDelete: true } });
    expect(p.refused).toBe(true);
    expect(p.problems.find((x) => x.code === 'empty-definitions')?.message).toBe(
      'refusing to apply: the definitions hold no project (no jobs/<project>.yaml), so all 1 managed job(s) would be deleted; check the directory and the checkout, or pass --allow-empty if the definitions are meant to be empty',
    );
    expect(plan({ desired: desired([]), observed: observed([managedItem(js[0]!)]), projectCount: 0, options: { allowEmpty: true, allowMassDelete: true } }).refused).toBe(false);
    // only this owner's jobs count: other owners' jobs do not dilute the share
    const foreign = Array.from({ length: 10 }, (_, i) => managedItem(job(`f${i}`, { template: `F${i}` }), { marker: { owner: 'other' } }));
    expect(plan({ desired: desired([js[0]!]), observed: observed([...all.items, ...foreign]) }).refused).toBe(true);
  });
});

describe('restore never moves', () => {
  it('a move in a restore plan becomes a create of the job the definitions want; the job where it is stays', async () => {
    const { restoreOnly } = await import('../../src/plan/rules/restore-only.js');
    const pay = job('pay-ci', { project: 'pay', template: 'CI' });
    const p = plan({ desired: desired([job('payments', { project: 'pay', template: 'CI' })]), observed: observed([managedItem(pay)]) });
    const move = p.changes.find((c) => c.kind === 'move')!;
    const r = restoreOnly(move, false);
    expect(r).toMatchObject({ kind: 'create', fullName: 'payments', config: move.config, reason: 'restore creates it; pay-ci stays where it is (restore never moves or deletes)' });
    expect(r.from).toBeUndefined();
  });
});
