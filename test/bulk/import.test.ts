import { mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runImport, type ImportOptions } from '../../src/bulk/run-import.js';
import { parseMarker } from '../../src/plan/marker.js';
import { sameConfig } from '../../src/plan/same-job-config.js';
import { loadWorkspace } from '../../src/load/workspace.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { sharedPath } from '../helpers/shared.js';
import { corpusXml, startLive, type Live } from './live-helpers.js';

const clock = { now: () => new Date('2026-11-25T10:00:00Z') };
let live: Live | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});
const opts = (out: string, o: Partial<ImportOptions> = {}): ImportOptions => ({ match: ['**'], out, templatePrefix: 'imported', write: true, adopt: false, concurrency: 4, clock, ...o });

describe('jobsmith import', () => {
  it('groups similar jobs into one template with tokens where they differ; rendering reproduces each job; adopt takes them over', async () => {
    const base = corpusXml('012-freebsd-head-mips32-be.xml');
    const node = /<assignedNode>([^<]*)<\/assignedNode>/.exec(base)![1]!;
    const jobs: Record<string, string> = {
      'fbsd-mips': base,
      'fbsd-arm': base.replace(`<assignedNode>${node}</assignedNode>`, '<assignedNode>arm &amp; fast</assignedNode>').replaceAll('mips32', 'arm64'),
      'fbsd-x86': base.replace(`<assignedNode>${node}</assignedNode>`, '<assignedNode>x86</assignedNode>'),
      tor: corpusXml('007-tor-ci-windows.xml'),
      pipeline: corpusXml('039-osc-image-proxy.xml'),
    };
    live = await startLive({ jobs, configGet: 'reserialise' });
    const out = path.join(live.tmp, 'defs');
    mkdirSync(out);
    const r = await runImport(live.client, opts(out, { adopt: true }));
    expect(r.rejected).toEqual([]);
    expect(r.verified).toEqual(['fbsd-arm', 'fbsd-mips', 'fbsd-x86', 'pipeline', 'tor']);
    expect(r.proposal.templates).toHaveLength(3);
    const fbsd = r.proposal.templates.find((t) => t.members.length === 3)!;
    expect(Object.keys(fbsd.tokens)).toContain('PROJECT.ASSIGNEDNODE');
    expect(fbsd.text).toContain('<assignedNode>$PROJECT.ASSIGNEDNODE</assignedNode>');
    const armDef = readFileSync(path.join(out, 'jobs/fbsd-arm.yaml'), 'utf8');
    expect(armDef).toContain('PROJECT.ASSIGNEDNODE: "arm & fast"');

    // The written files render to configs semantically identical to the jobs.
    const loaded = await loadWorkspace({ templatesDir: path.join(out, 'job-templates'), jobsDir: path.join(out, 'jobs') });
    const rendered = renderWorkspace(loaded.workspace);
    expect([...loaded.diagnostics, ...rendered.diagnostics].filter((d) => d.severity === 'error')).toEqual([]);
    for (const j of rendered.desired.jobs) expect(sameConfig(j.config, jobs[j.fullName]!)).toBe(true);

    // Adopted: every job carries the marker, and a plan against the definitions has nothing to do.
    expect(r.applied!.failed).toEqual([]);
    const observed = await live.client.list();
    for (const i of observed.items) expect(parseMarker(i.description)?.template).toMatch(/^imported-\d+$/);
    expect(r.owner).toBe(`dir:${realpathSync(out)}/jobs`);
    const plan = makePlan({ desired: rendered.desired, owner: r.owner!, observed, clock });
    expect(plan.summary.unchanged).toBe(5);
    expect(plan.summary.update + plan.summary.adopt + plan.summary.create).toBe(0);
  });

  it('imports the real-world corpus: every well-formed config is reproduced or reported', async () => {
    const files = readdirSync(sharedPath('corpus')).filter((f) => f.endsWith('.xml'));
    const jobs = Object.fromEntries(files.map((f) => [f.replace(/\.xml$/, ''), corpusXml(f)]));
    live = await startLive({ jobs, configGet: 'verbatim' });
    const listed = (await live.client.list()).items.filter((i) => !i.isFolder).map((i) => i.fullName);
    const out = path.join(live.tmp, 'defs');
    const r = await runImport(live.client, opts(out, { write: true }));
    expect(r.verified.length + r.rejected.length).toBe(listed.length);
    // What is verified really renders back to the job's config.
    expect(r.rejected).toEqual([]);
    expect(r.verified.sort()).toEqual(listed.sort());
    expect(r.written.filter((f) => f.startsWith('jobs/'))).toHaveLength(listed.length);
  });

  it('existing files are never overwritten; managed jobs are not imported', async () => {
    live = await startLive({ jobs: { a: corpusXml('011-osc-container.xml') } });
    const out = path.join(live.tmp, 'defs');
    const first = await runImport(live.client, opts(out));
    expect(first.written).toEqual(['job-templates/imported-1-config.xml', 'jobs/a.yaml']);
    const second = await runImport(live.client, opts(out));
    expect(second.conflicts).toEqual(['job-templates/imported-1-config.xml', 'jobs/a.yaml']);
    expect(second.written).toEqual([]);
    const adopted = await runImport(live.client, opts(path.join(live.tmp, 'defs2'), { adopt: true }));
    expect(adopted.applied!.succeeded).toHaveLength(1);
    const again = await runImport(live.client, opts(path.join(live.tmp, 'defs2')));
    expect(again.rejected[0]!.reason).toMatch(/already managed/);
    // another plain directory is another owner: its import leaves them alone too
    const elsewhere = await runImport(live.client, opts(path.join(live.tmp, 'defs3')));
    expect(elsewhere.rejected[0]!.reason).toBe(`managed by other definitions (owner dir:${realpathSync(path.join(live.tmp, 'defs2'))}/jobs)`);
  });
});
