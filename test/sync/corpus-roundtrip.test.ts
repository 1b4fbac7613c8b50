/**
 * Golden round trip over the corpus of real config.xml files (../shared/corpus), each used as a
 * template as it is, without its root description and with one added: sync creates every item the
 * stand-in's plugins provide, the config Jenkins then holds says exactly what jobsmith pushed (the
 * rendered bytes plus the marker), `sync --verify` finds no drift at all and a second sync changes
 * nothing. The types this Jenkins has no plugin for fail with a failure that says so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared.js';
import { makeEnv, planned, type Env } from './harness.js';
import { parsePositioned } from '../../src/xml/positions.js';
import { normalConfig } from '../../src/xml/semantic-compare.js';
import { replaceRootDescription } from '../../src/xml/root-description.js';
import { jenkinsOwnedParts } from '../../src/model/item-types.js';
import { pushedJobConfig } from '../../src/plan/make-plan.js';
import type { SyncOutcome } from '../../src/sync/run-sync.js';

const corpus = sharedPath('corpus');
const files = readdirSync(corpus).filter((f) => f.endsWith('.xml')).sort();

/** Root element types the stand-in (like a Jenkins without those plugins) cannot create. */
const NO_PLUGIN = new Set(['com.tikal.jenkins.plugins.multijob.MultiJobProject', 'hudson.model.ExternalJob']);

function rootOf(xml: string): string {
  return parsePositioned(xml).root.name;
}

/** The config without its root `<description>` element (every other byte kept). */
function withoutDescription(xml: string): string {
  const doc = parsePositioned(xml);
  const d = doc.root.children.find((c) => c.name === 'description');
  return d ? xml.slice(0, d.start) + xml.slice(d.end) : xml;
}

interface Case {
  template: string;
  file: string;
  variant: 'as is' | 'no description' | 'added description';
  xml: string;
  root: string;
}

const cases: Case[] = [];
for (const f of files) {
  const xml = readFileSync(path.join(corpus, f), 'utf8');
  const id = f.slice(0, 3);
  const hasDescription = parsePositioned(xml).root.children.some((c) => c.name === 'description');
  cases.push({ template: `C${id}`, file: f, variant: 'as is', xml, root: rootOf(xml) });
  if (hasDescription) cases.push({ template: `C${id}-nodesc`, file: f, variant: 'no description', xml: withoutDescription(xml), root: rootOf(xml) });
  cases.push({ template: `C${id}-desc`, file: f, variant: 'added description', xml: replaceRootDescription(xml, (t) => `${t}\nadded: "quotes" & <b>bold</b>\r\nsecond line\u00e9`), root: rootOf(xml) });
}

let env: Env;
let first: SyncOutcome;
let verify: SyncOutcome;
let second: SyncOutcome;

beforeAll(async () => {
  env = await makeEnv({ templates: Object.fromEntries(cases.map((c) => [c.template, c.xml])) });
  await env.writeProject('p', `templates:\n${cases.map((c) => `  - ${c.template}`).join('\n')}\n`);
  first = await env.sync();
  verify = await env.sync({ verify: true });
  second = await env.sync();
}, 120_000);
afterAll(async () => {
  await env.close();
});

describe('the corpus as templates, round trip through the stand-in', () => {
  it('covers every item type of the corpus, and descriptions present, absent and added', () => {
    const roots = new Set(cases.map((c) => c.root));
    for (const t of ['project', 'flow-definition', 'maven2-moduleset', 'matrix-project', 'com.cloudbees.hudson.plugins.folder.Folder', 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject', 'jenkins.branch.OrganizationFolder', ...NO_PLUGIN]) {
      expect(roots.has(t), t).toBe(true);
    }
    expect(cases.filter((c) => c.variant === 'no description').length).toBeGreaterThan(40);
    expect(cases.length).toBeGreaterThan(files.length * 2);
  });

  it('the first sync creates everything; only the types without a plugin fail, saying which plugin is missing', () => {
    const p = planned(first);
    expect(p.plan.summary.create).toBe(cases.length);
    const failed = p.applied!.failed.map((f) => f.change.fullName).sort();
    expect(failed).toEqual(cases.filter((c) => NO_PLUGIN.has(c.root)).map((c) => `p-${c.template}`).sort());
    for (const f of p.applied!.failed) expect(f).toMatchObject({ class: 'jenkins', hint: expect.stringMatching(/^Jenkins has no plugin that provides </) });
  });

  it('sync --verify right after finds no drift on any of them', () => {
    const v = planned(verify);
    const acting = v.plan.changes.filter((c) => c.kind !== 'unchanged');
    // the two types without a plugin are still missing (create again), nothing else
    expect(acting.map((c) => `${c.kind} ${c.fullName}`).sort()).toEqual(cases.filter((c) => NO_PLUGIN.has(c.root)).map((c) => `create p-${c.template}`).sort());
    expect(v.plan.changes.filter((c) => c.reason.includes('drift'))).toEqual([]);
  });

  it('a second sync converges: nothing but the missing types to do', () => {
    expect(planned(second).plan.summary).toMatchObject({ update: 0, delete: 0, replace: 0, move: 0, unchanged: cases.length - cases.filter((c) => NO_PLUGIN.has(c.root)).length });
  });

  for (const c of cases.filter((x) => !NO_PLUGIN.has(x.root))) {
    it(`${c.file} (${c.variant}): Jenkins holds what was pushed`, async () => {
      const job = planned(first).snapshot.desired.jobs.find((j) => j.template === c.template)!;
      expect(job.config).toBe(c.xml); // rendered byte for byte
      const pushed = pushedJobConfig(job, planned(first).snapshot.owner!);
      // the marker is the only change jobsmith makes to the rendered bytes
      expect(withoutDescription(pushed)).toBe(withoutDescription(c.xml));
      const live = await env.api.getConfig(job.fullName);
      // the root's children in any order: Jenkins (and the stand-in) write XStream's field order
      const ignore = { ignoreRootChildren: jenkinsOwnedParts(c.root), unorderedRootChildren: true };
      expect(normalConfig(live, ignore)).toBe(normalConfig(pushed, ignore));
    });
  }
});
