/**
 * `sync --verify` finds real drift, and only real drift (issue 15), searched with random edits made
 * in Jenkins: the corpus of real configs is synced to the stand-in as templates; then, each run,
 * `--verify` must find nothing, one random element of one random job is edited in Jenkins (its text
 * changed, an attribute added, the element removed, or a child added), and `--verify` must find
 * exactly that job. The parts Jenkins rewrites itself (a job's `disabled`, a folder's views) and the
 * root description (the marker's home) are not edited. The job is put back after each run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared.js';
import { propertySeed, replayHint } from '../helpers/property-seed.js';
import { makeEnv, planned, type Env } from '../sync/harness.js';
import { parsePositioned, type XmlElementNode } from '../../src/xml/positions.js';
import { escapeText } from '../../src/xml/escape.js';
import { jenkinsOwnedParts } from '../../src/model/item-types.js';

const NO_PLUGIN = new Set(['com.tikal.jenkins.plugins.multijob.MultiJobProject', 'hudson.model.ExternalJob']);
const corpus = sharedPath('corpus');
const templates: Record<string, string> = {};
for (const f of readdirSync(corpus).filter((x) => x.endsWith('.xml')).sort()) {
  const xml = readFileSync(path.join(corpus, f), 'utf8');
  if (!NO_PLUGIN.has(parsePositioned(xml).root.name)) templates[`C${f.slice(0, 3)}`] = xml;
}

let env: Env;
let jobs: string[];
beforeAll(async () => {
  env = await makeEnv({ templates });
  await env.writeProject('p', `templates: [${Object.keys(templates).join(', ')}]\n`);
  const o = planned(await env.sync());
  expect(o.applied!.failed).toEqual([]);
  jobs = o.plan.changes.filter((c) => c.target === 'job').map((c) => c.fullName).sort();
}, 120_000);
afterAll(async () => {
  await env.close();
});

/** Elements a person could edit: everything below the root but the root description and the parts Jenkins owns. */
function editable(root: XmlElementNode): XmlElementNode[] {
  const owned = jenkinsOwnedParts(root.name);
  const out: XmlElementNode[] = [];
  const walk = (el: XmlElementNode): void => {
    for (const c of el.children) {
      if (el === root && (c.name === 'description' || owned.has(c.name))) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

type Edit = 'text' | 'attribute' | 'remove' | 'child';

function applyEdit(xml: string, el: XmlElementNode, edit: Edit, n: number): string {
  const open = xml.slice(el.start, el.openEnd);
  const openNoClose = el.selfClosing ? open.slice(0, -2) : open.slice(0, -1);
  switch (edit) {
    case 'text':
      return el.selfClosing ? `${xml.slice(0, el.start)}${openNoClose}>edited ${n}</${el.name}>${xml.slice(el.end)}` : `${xml.slice(0, el.openEnd)}${escapeText(`edited ${n} & <more>`)}${xml.slice(el.closeStart)}`;
    case 'attribute':
      return `${xml.slice(0, el.start)}${openNoClose} probe="${n}"${el.selfClosing ? '/>' : '>'}${xml.slice(el.openEnd)}`;
    case 'remove':
      return xml.slice(0, el.start) + xml.slice(el.end);
    case 'child':
      return el.selfClosing ? `${xml.slice(0, el.start)}${openNoClose}><probe>${n}</probe></${el.name}>${xml.slice(el.end)}` : `${xml.slice(0, el.closeStart)}<probe>${n}</probe>${xml.slice(el.closeStart)}`;
  }
}

async function drifted(): Promise<string[]> {
  const v = planned(await env.sync({ verify: true, dryRun: true }));
  return v.plan.changes.filter((c) => c.kind !== 'unchanged').map((c) => `${c.kind} ${c.fullName}: ${c.reason}`);
}

describe('--verify against edits made in Jenkins (property)', () => {
  it('has real configs of every kind to edit', () => {
    expect(jobs.length).toBeGreaterThan(50);
  });

  it('finds nothing after a sync; one edited element → exactly that job', async () => {
    const seed = propertySeed();
    let runs = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.nat(), fc.constantFrom<Edit>('text', 'attribute', 'remove', 'child'), async (jobPick, elPick, edit) => {
          runs++;
          expect(await drifted()).toEqual([]);
          const name = jobs[jobPick % jobs.length]!;
          const live = await env.api.getConfig(name);
          const doc = parsePositioned(live);
          const candidates = editable(doc.root).filter((e) => edit !== 'text' || e.children.length === 0);
          if (candidates.length === 0) return;
          const el = candidates[elPick % candidates.length]!;
          await env.api.updateJob(name, applyEdit(live, el, edit, runs));
          try {
            expect(await drifted(), `${edit} <${el.name}> in ${name}`).toEqual([`update ${name}: edited in Jenkins (drift found by --verify)`]);
          } finally {
            await env.api.updateJob(name, live);
          }
        }),
        { numRuns: 30, seed },
      );
    } catch (err) {
      (err as Error).message = `${replayHint(seed)}\n${(err as Error).message}`;
      throw err;
    }
    expect(runs).toBe(30);
    expect(await drifted()).toEqual([]);
  }, 300_000);
});
