/**
 * Ownership, searched for counter-examples (issue 13). Random sequences of what happens around a
 * Jenkins shared by two definitions repositories (X with two clones, Y with one):
 *
 * - definition edits in a clone (add or remove a project, change its config, move it to another
 *   folder, rename its job with `job:`, switch its template), pushes, pulls (local edits replayed
 *   on top: a merge), so clones are current, behind or diverged;
 * - what people do in the Jenkins UI (../shared/jenkins-world.md): copy a job, rename it, move it to
 *   a folder, delete it, edit its description (keeping, stripping or breaking the marker, or
 *   replacing it with Jenkins Job Builder's), disable it, create a job by hand where a definition
 *   wants one, start and finish builds;
 * - syncs from any clone, with random options (`--allow-mass-delete`, `--allow-empty`,
 *   `--allow-stale`, `--removed disable`, `--adopt`, `--only`).
 *
 * Syncs go through the real planSync/runSync path (owner id, project count and the upstream check
 * come from a DesiredSource backed by the model: a clone is current when its base is the remote's
 * head, exactly the rule src/sync/upstream-check.ts applies to real repositories, which the e2e
 * tests cover) and the real executor, against the in-memory Jenkins (memory-jenkins.ts).
 *
 * The oracle is the world's own record of which items each owner made and still owns under their
 * own name (updated by what the syncs did and what the UI did), never the planner's classification:
 * - a sync by owner O leaves every item O does not own under its own name byte for byte as it was
 *   (only an explicit `--adopt` may take over an unmanaged job or a copy at a desired name), and
 *   deletes nothing running and nothing O does not own;
 * - at the end, after each clone pulls and pushes and syncs (`--verify`, guards lifted), every
 *   job of each owner's definitions is there and owned with exactly the pushed config, unless
 *   someone else's item holds its name; no other job of the owner is left (but one whose
 *   replacement is blocked that way).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { DesiredFolder, DesiredJob, DesiredState } from '../../src/model/desired-job.js';
import { sha256 } from '../../src/model/hash.js';
import type { Change } from '../../src/model/plan.js';
import { readDescription } from '../../src/plan/config-description.js';
import { pushedJobConfig } from '../../src/plan/make-plan.js';
import { parseMarker } from '../../src/plan/marker.js';
import { jobIdentity } from '../../src/plan/rules/managed-only.js';
import type { DesiredSource } from '../../src/sync/desired-source.js';
import type { SyncSettings } from '../../src/sync/plan-sync.js';
import { runSync } from '../../src/sync/run-sync.js';
import { UsageError } from '../../src/model/errors.js';
import { countCase, countCoverage, newFigures, runs, saveFigures } from './figures.js';
import { FOLDER_CLASS, MemoryJenkins, type MemItem } from './memory-jenkins.js';

const figures = newFigures();
afterAll(() => saveFigures('ownership', figures));

const clock = { now: () => new Date('2026-12-01T12:00:00.000Z') };
const TEMPLATES = ['CI', 'Nightly'];
const FOLDERS = ['', '', 'team', 'team/sub', 'ops'];

// ---------------------------------------------------------------- definitions and their git history
interface Project {
  template: string;
  variant: number;
  folder: string;
  /** `job:` override of the job name. */
  job?: string;
}
type Snapshot = Map<string, Project>;

type Edit =
  | { op: 'add'; project: string; template: string; folder: string; variant: number }
  | { op: 'remove'; project: string }
  | { op: 'variant'; project: string; variant: number }
  | { op: 'folder'; project: string; folder: string }
  | { op: 'rename'; project: string; renamed: boolean }
  | { op: 'template'; project: string; template: string };

function applyEdit(s: Snapshot, e: Edit): Snapshot {
  const next = new Map(s);
  const p = next.get(e.project);
  if (e.op === 'add') next.set(e.project, { template: e.template, folder: e.folder, variant: e.variant });
  else if (!p) return next;
  else if (e.op === 'remove') next.delete(e.project);
  else if (e.op === 'variant') next.set(e.project, { ...p, variant: e.variant });
  else if (e.op === 'folder') next.set(e.project, { ...p, folder: e.folder });
  else if (e.op === 'template') next.set(e.project, { ...p, template: e.template });
  else {
    const q: Project = { ...p };
    if (e.renamed) q.job = `${e.project}-renamed`;
    else delete q.job;
    next.set(e.project, q);
  }
  return next;
}

function jobConfig(variant: number): string {
  return `<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <description>built v${variant}</description>\n  <disabled>false</disabled>\n</project>\n`;
}

function render(s: Snapshot): DesiredState {
  const jobs: DesiredJob[] = [];
  const folders = new Set<string>();
  for (const [project, p] of [...s].sort()) {
    const name = p.job ?? `${project}-${p.template}`;
    const folder = p.folder === '' ? [] : p.folder.split('/');
    const config = jobConfig(p.variant);
    jobs.push({ fullName: [...folder, name].join('/'), name, folder, project, template: p.template, config, hash: sha256(config), rootElement: 'project', source: { file: `jobs/${project}.yaml` } });
    for (let k = 1; k <= folder.length; k++) folders.add(folder.slice(0, k).join('/'));
  }
  const fconfig = `<${FOLDER_CLASS}>\n  <description>folder</description>\n</${FOLDER_CLASS}>\n`;
  return { jobs, folders: [...folders].sort().map((f): DesiredFolder => ({ fullName: f, config: fconfig })), views: [] };
}

interface Repo {
  owner: string;
  projects: string[];
  remote: Snapshot[];
}

interface Clone {
  repo: Repo;
  /** Index of the remote commit this clone is based on. */
  base: number;
  snapshot: Snapshot;
  /** Local edits not pushed yet (replayed on a pull). */
  pending: Edit[];
}

// ---------------------------------------------------------------- steps
type UiKind = 'copy' | 'rename' | 'move' | 'delete' | 'describe-keep' | 'describe-strip' | 'describe-break' | 'describe-jjb' | 'disable' | 'create-in-the-way' | 'build-start' | 'build-end';

type Step =
  | { t: 'edit'; clone: number; pick: number; op: Edit['op']; template: number; folder: number; variant: number; flag: boolean }
  | { t: 'push'; clone: number }
  /** Someone adds a project, pushes, and the master job syncs it (so other clones fall behind). */
  | { t: 'ship'; clone: number; pick: number; folder: number }
  | { t: 'pull'; clone: number }
  | { t: 'sync'; clone: number; massDelete: boolean; allowEmpty: boolean; allowStale: boolean; removed: 'delete' | 'disable'; adopt: boolean; only: boolean; pick: number }
  | { t: 'ui'; kind: UiKind; pick: number; pick2: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('edit' as const), clone: fc.nat(2), pick: fc.nat(), op: fc.constantFrom<Edit['op']>('add', 'add', 'remove', 'variant', 'folder', 'rename', 'template'), template: fc.nat(1), folder: fc.nat(4), variant: fc.nat(3), flag: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('push' as const), clone: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('ship' as const), clone: fc.nat(2), pick: fc.nat(), folder: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('pull' as const), clone: fc.nat(2) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('sync' as const),
      clone: fc.nat(2),
      massDelete: fc.boolean(),
      allowEmpty: fc.boolean(),
      allowStale: fc.boolean().map((b) => b && Math.random() < 0.3),
      removed: fc.constantFrom<'delete' | 'disable'>('delete', 'delete', 'disable'),
      adopt: fc.boolean(),
      only: fc.boolean().map((b) => b && Math.random() < 0.3),
      pick: fc.nat(),
    }),
  },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('ui' as const), kind: fc.constantFrom<UiKind>('copy', 'rename', 'move', 'delete', 'describe-keep', 'describe-strip', 'describe-break', 'describe-jjb', 'disable', 'create-in-the-way', 'build-start', 'build-end'), pick: fc.nat(), pick2: fc.nat() }) },
);

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---------------------------------------------------------------- the world
class World {
  readonly jenkins = new MemoryJenkins();
  readonly repos: Repo[] = [
    { owner: 'github.com/acme/x-jobs', projects: ['pay', 'web', 'ops', 'db'], remote: [new Map([['pay', { template: 'CI', folder: '', variant: 0 }]])] },
    { owner: 'github.com/acme/y-jobs', projects: ['ops', 'ml', 'etl'], remote: [new Map([['ml', { template: 'CI', folder: '', variant: 0 }]])] },
  ];
  readonly clones: Clone[];
  /** Ground truth: lower-cased full name → the owner that made it and still owns it under this name. */
  readonly truth = new Map<string, string>();
  private uiCount = 0;
  /** Identities (project and template) of managed jobs a person disabled in the UI: a sync, a move or a
   *  rename by the definitions keeps them disabled (docs/sync-and-safety.md). */
  readonly disabledByHand = new Set<string>();

  constructor() {
    const [x, y] = this.repos as [Repo, Repo];
    this.clones = [x, x, y].map((repo) => ({ repo, base: 0, snapshot: new Map(repo.remote[0]), pending: [] }));
  }

  edit(s: Extract<Step, { t: 'edit' }>): void {
    const c = this.clones[s.clone]!;
    const project = c.repo.projects[s.pick % c.repo.projects.length]!;
    const template = TEMPLATES[s.template]!;
    const folder = FOLDERS[s.folder]!;
    let e: Edit;
    if (s.op === 'add') e = { op: 'add', project, template, folder, variant: s.variant };
    else if (s.op === 'remove') e = { op: 'remove', project };
    else if (s.op === 'variant') e = { op: 'variant', project, variant: s.variant };
    else if (s.op === 'folder') e = { op: 'folder', project, folder };
    else if (s.op === 'rename') e = { op: 'rename', project, renamed: s.flag };
    else e = { op: 'template', project, template };
    c.snapshot = applyEdit(c.snapshot, e);
    c.pending.push(e);
  }

  push(i: number): void {
    const c = this.clones[i]!;
    if (c.pending.length === 0 || c.base !== c.repo.remote.length - 1) return; // behind: the push is rejected
    c.repo.remote.push(c.snapshot);
    c.base = c.repo.remote.length - 1;
    c.pending = [];
  }

  pull(i: number): void {
    const c = this.clones[i]!;
    c.base = c.repo.remote.length - 1;
    c.snapshot = c.pending.reduce(applyEdit, new Map(c.repo.remote[c.base]));
  }

  private items(): MemItem[] {
    return this.jenkins.snapshot().items;
  }

  /** A person in the Jenkins UI (Jenkins' own refusals, e.g. a taken name, just mean nothing happened). */
  async ui(s: Extract<Step, { t: 'ui' }>): Promise<void> {
    try {
      await this.uiAction(s);
    } catch {
      countCoverage(figures, 'UI: action refused by Jenkins');
    }
  }

  private async uiAction(s: Extract<Step, { t: 'ui' }>): Promise<void> {
    const jobs = this.items().filter((i) => !i.isFolder);
    const it = jobs.length ? jobs[s.pick % jobs.length] : undefined;
    const j = this.jenkins;
    const k = this.uiCount++;
    const lower = it?.fullName.toLowerCase();
    if (s.kind === 'create-in-the-way') {
      // a person makes a job by hand exactly where a definition wants one
      const all = this.clones.flatMap((c) => render(c.snapshot).jobs.filter((d) => d.folder.length === 0).map((d) => d.fullName));
      const name = all.length ? all[s.pick2 % all.length]! : undefined;
      if (name && !j.has(name)) await j.createJob(name, `<project><description>made by hand</description></project>`);
      countCoverage(figures, 'UI: job made by hand in the way of a definition');
      return;
    }
    if (!it || !lower) return;
    switch (s.kind) {
      case 'copy':
        await j.copyJob(it.fullName, `ui-copy-${k}`);
        break;
      case 'rename':
        if (it.building) return;
        await j.renameJob(it.fullName, `ui-renamed-${k}`);
        this.truth.delete(lower);
        break;
      case 'move': {
        if (!j.has('ui')) await j.createJob('ui', `<${FOLDER_CLASS}/>`);
        const leaf = it.fullName.slice(it.fullName.lastIndexOf('/') + 1);
        if (j.has(`ui/${leaf}`) || it.fullName.startsWith('ui/')) return;
        await j.moveJob(it.fullName, 'ui');
        this.truth.delete(lower);
        break;
      }
      case 'delete':
        if (it.building) return;
        await j.deleteJob(it.fullName);
        this.truth.delete(lower);
        break;
      case 'disable':
        await j.disableJob(it.fullName);
        {
          const m = parseMarker(readDescription(it.config));
          if (m) this.disabledByHand.add(jobIdentity(m));
        }
        break;
      case 'build-start':
        await j.build(it.fullName);
        break;
      case 'build-end':
        j.finishBuild(it.fullName);
        break;
      default: {
        const d = readDescription(it.config);
        const text =
          s.kind === 'describe-keep' ? `edited by a person\n${d}` : s.kind === 'describe-strip' ? d.replace(/<!--[\s\S]*?-->/g, '') : s.kind === 'describe-break' ? d.replace('jobsmith:v2', 'jobsmith:v2 broken') : 'x\n<!-- Managed by Jenkins Job Builder -->';
        await j.updateJob(it.fullName, it.config.replace(/<description>[\s\S]*?<\/description>|<description\/>/, `<description>${escapeText(text)}</description>`));
        if (s.kind !== 'describe-keep') this.truth.delete(lower);
      }
    }
    countCoverage(figures, `UI: ${s.kind}`);
  }

  source(c: Clone): DesiredSource {
    const desired = render(c.snapshot);
    const current = c.base === c.repo.remote.length - 1;
    return {
      render: async () => ({ desired, diagnostics: [], owner: c.repo.owner, projectCount: c.snapshot.size }),
      freshness: async () => (current ? { status: 'current', upstream: 'origin/main' } : { status: 'stale', upstream: 'origin/main', message: 'behind origin/main: pull first, or pass --allow-stale' }),
    };
  }

  /** Sync from a clone; checks the per-sync invariant; returns the applied changes. */
  async sync(i: number, settings: SyncSettings): Promise<Change[]> {
    const c = this.clones[i]!;
    const owner = c.repo.owner;
    if (c.base !== c.repo.remote.length - 1) countCoverage(figures, 'syncs from a clone behind its upstream');
    const before = new Map(this.items().map((it) => [it.fullName.toLowerCase(), it]));
    const deletedBefore = this.jenkins.deleted.length;
    let outcome;
    try {
      outcome = await runSync({ api: this.jenkins, source: this.source(c), clock, settings: { concurrency: 4, ...settings } });
    } catch (err) {
      if (err instanceof UsageError) {
        countCoverage(figures, 'syncs refused as usage errors (--only matched nothing)');
        return [];
      }
      throw err;
    }
    figures.syncs++;
    if (outcome.status !== 'planned') throw new Error(`definitions invalid: ${JSON.stringify(outcome.diagnostics)}`);
    const plan = outcome.plan;
    if (plan.refused) countCoverage(figures, 'syncs refused (mass delete or empty definitions)');
    if (plan.problems.some((p) => p.code === 'stale-definitions')) countCoverage(figures, 'syncs from a stale clone (deletions held)');
    if (plan.summary.move > 0) countCoverage(figures, 'syncs that moved jobs');
    if ((plan.ownership?.copies ?? 0) > 0) countCoverage(figures, 'syncs that saw copies or renames');
    if ((plan.ownership?.otherOwners ?? 0) > 0) countCoverage(figures, "syncs that saw another owner's jobs");
    const done = outcome.applied?.succeeded ?? [];

    // 1. what this owner does not own under its own name is as the other actor left it
    const after = new Map(this.items().map((it) => [it.fullName.toLowerCase(), it]));
    const adopted = new Set(done.filter((x) => x.kind === 'adopt').map((x) => x.fullName.toLowerCase()));
    for (const [name, was] of before) {
      if (was.isFolder) continue;
      const ownerOf = this.truth.get(name);
      if (ownerOf === owner) continue;
      figures.protectedChecks++;
      if (adopted.has(name)) {
        expect(settings.adopt, `adopted ${name} without --adopt`).toBe(true);
        expect(ownerOf, `adopted ${name}, which ${ownerOf} owns`).toBeUndefined();
        continue;
      }
      const now = after.get(name);
      if (!now) figures.unintendedDeletions++;
      expect(now, `${owner} removed ${name}${ownerOf ? ` (owned by ${ownerOf})` : ' (not its own)'}`).toBeDefined();
      expect(now!.config, `${owner} changed ${name}${ownerOf ? ` (owned by ${ownerOf})` : ' (not its own)'}`).toBe(was.config);
    }
    // 2. Jenkins' own record: nothing running and nothing that is not the owner's was deleted
    for (const d of this.jenkins.deleted.slice(deletedBefore)) {
      if (d.isFolder) continue;
      const ok = this.truth.get(d.fullName.toLowerCase()) === owner && !d.building;
      if (!ok) figures.unintendedDeletions++;
      expect(d.building, `deleted ${d.fullName} while a build was running`).toBe(false);
      expect(this.truth.get(d.fullName.toLowerCase()), `deleted ${d.fullName}, not owned by ${owner}`).toBe(owner);
    }
    // the ground truth follows what the sync did
    for (const x of done) {
      if (x.target !== 'job') continue;
      const name = x.fullName.toLowerCase();
      if (x.kind === 'delete') this.truth.delete(name);
      else if (x.kind === 'move') {
        this.truth.delete(x.from!.toLowerCase());
        this.truth.set(name, owner);
      } else if (x.kind === 'create' || x.kind === 'adopt' || x.kind === 'update' || x.kind === 'replace') {
        // the item there now carries this owner's marker under its own (Jenkins) name
        const real = after.get(name);
        if (real) this.truth.set(real.fullName.toLowerCase(), owner);
      }
    }
    return done;
  }

  /** End of a sequence: every clone pulls, pushes, syncs twice with the guards lifted; then every owner's jobs are as defined. */
  async converge(): Promise<void> {
    for (const it of this.items()) if (it.building) this.jenkins.finishBuild(it.fullName);
    for (let i = 0; i < this.clones.length; i++) {
      this.pull(i);
      this.push(i);
    }
    for (let round = 0; round < 2; round++) {
      for (const i of [0, 2]) {
        this.pull(i);
        await this.sync(i, { allowMassDelete: true, allowEmpty: true, verify: true });
      }
    }
    for (const i of [0, 2]) {
      const c = this.clones[i]!;
      const owner = c.repo.owner;
      const desired = render(c.snapshot);
      const items = new Map(this.items().map((it) => [it.fullName.toLowerCase(), it]));
      const blocked = new Set<string>();
      for (const d of desired.jobs) {
        const name = d.fullName.toLowerCase();
        const it = items.get(name);
        if (it && this.truth.get(name) !== owner) {
          blocked.add(jobIdentity(d));
          countCoverage(figures, "convergence: a desired name held by someone else's item");
          continue;
        }
        expect(it, `${owner}: ${d.fullName} is missing after converging`).toBeDefined();
        expect(this.truth.get(name), `${owner}: ${d.fullName} is not owned after converging`).toBe(owner);
        const pushed = pushedJobConfig(d, owner, it!.fullName);
        // a job a person disabled stays disabled; everything else is exactly what was pushed
        const byHand = this.disabledByHand.has(jobIdentity(d));
        const expected = byHand && it!.config.includes('<disabled>true</disabled>') ? pushed.replace('<disabled>false</disabled>', '<disabled>true</disabled>') : pushed;
        if (byHand) countCoverage(figures, 'convergence: disabled by hand, kept disabled');
        expect(it!.config, `${owner}: ${d.fullName} has not converged`).toBe(expected);
        countCoverage(figures, 'convergence: owned jobs checked');
      }
      const wanted = new Set(desired.jobs.map((d) => d.fullName.toLowerCase()));
      for (const [name, o] of this.truth) {
        if (o !== owner || wanted.has(name)) continue;
        const it = items.get(name);
        if (!it) continue;
        const m = parseMarker(readDescription(it.config));
        expect(m && blocked.has(jobIdentity(m)), `${owner}: ${it.fullName} is left over after converging`).toBe(true);
        countCoverage(figures, 'convergence: kept, its replacement blocked');
      }
    }
  }
}

const NUM = runs(150, 10);

describe('ownership (property): two repositories, two clones, people in the Jenkins UI', () => {
  it(`a sync never touches what its owner does not own under its own name, and every owned job converges (${NUM} sequences)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 4, maxLength: 28 }), async (steps) => {
        countCase(figures, 'ownership: sequences of edits, pushes, pulls, UI actions and syncs');
        const w = new World();
        // both owners start in step: their first project synced
        await w.sync(0, {});
        await w.sync(2, {});
        for (const s of steps) {
          if (s.t === 'edit') w.edit(s);
          else if (s.t === 'push') w.push(s.clone);
          else if (s.t === 'ship') {
            w.pull(s.clone);
            w.edit({ t: 'edit', clone: s.clone, pick: s.pick, op: 'add', template: 0, folder: s.folder, variant: 0, flag: false });
            w.push(s.clone);
            await w.sync(s.clone, {});
          }
          else if (s.t === 'pull') w.pull(s.clone);
          else if (s.t === 'ui') await w.ui(s);
          else {
            const c = w.clones[s.clone]!;
            const settings: SyncSettings = { allowMassDelete: s.massDelete, allowEmpty: s.allowEmpty, allowStale: s.allowStale, removed: s.removed, adopt: s.adopt };
            if (s.only) settings.only = [c.repo.projects[s.pick % c.repo.projects.length]!];
            await w.sync(s.clone, settings);
          }
        }
        await w.converge();
      }),
      { numRuns: NUM },
    );
  });
});
