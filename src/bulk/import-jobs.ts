import type { DesiredJob } from '../model/desired-job.js';
import { sha256 } from '../model/hash.js';
import { elementPath } from '../xml/config-editor.js';
import { parsePositioned, type XmlElementNode } from '../xml/positions.js';
import { decodeWithMap } from '../xml/escape.js';

/**
 * `jobsmith import`: group similar configs (same elements and attributes, only leaf texts differ),
 * turn each group into a template with a token wherever the members' texts differ, and one
 * definition per job giving its values. Pure: configs in, files out.
 */
export interface ImportInput {
  fullName: string;
  config: string;
}

export interface ImportedTemplate {
  name: string;
  /** File text of job-templates/<name>-config.xml. */
  text: string;
  /** Token name → element path (of the first member) it stands for. */
  tokens: Record<string, string>;
  members: string[];
}

export interface ImportedDefinition {
  fullName: string;
  project: string;
  /** File text of jobs/<project>.yaml. */
  text: string;
  template: string;
}

export interface ImportProposal {
  templates: ImportedTemplate[];
  definitions: ImportedDefinition[];
  /** Jobs that could not be imported (malformed config, ...). */
  skipped: Array<{ fullName: string; reason: string }>;
}

interface Leaf {
  path: string;
  /** Raw span of the element content (between the tags); self-closing: empty at end. */
  el: XmlElementNode;
  text: string;
}

function leaves(xml: string): { signature: string; leaves: Leaf[] } {
  const doc = parsePositioned(xml);
  const out: Leaf[] = [];
  const sig: string[] = [];
  const walk = (el: XmlElementNode): void => {
    const attrs = Object.entries(el.attrs)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    sig.push(`<${el.name} ${attrs}>`);
    if (el.children.length === 0) {
      const text = el.texts.map((p) => decodeWithMap(xml.slice(p.start, p.end), p.kind === 'cdata').text).join('');
      out.push({ path: elementPath(el), el, text });
    }
    for (const c of el.children) walk(c);
    sig.push('</>');
  };
  walk(doc.root);
  return { signature: sig.join(''), leaves: out };
}

const TOKENISH = /\$(?=\{?[A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+)/g;

/** Token name from an element path: the last two element names, shortened (`MAVEN.TARGETS`). */
function tokenName(path: string, used: Set<string>): string {
  const segs = path.split('/').filter(Boolean).map((s) => s.replace(/\[\d+\]$/, ''));
  const short = (s: string): string => {
    const last = s.split('.').pop()!.split('_-').pop()!;
    return last.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^[^A-Z]/, 'X');
  };
  const a = segs.length >= 2 ? short(segs[segs.length - 2]!) : 'JOB';
  const base = `${a}.${short(segs[segs.length - 1]!)}`;
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

function yamlString(v: string): string {
  return JSON.stringify(v);
}

/**
 * Characters of a project name made from a job's name at most: the definition is the file
 * `jobs/<project>.yaml`, and a file name has at most 255 bytes (a job name may have 255 itself, and a
 * folder path more). Longer names are cut and end in a hash of the full name (the job keeps its
 * name: the definition names it with `job:`).
 */
export const MAX_IMPORTED_PROJECT_NAME = 200;

export function projectNameFor(fullName: string, used: Set<string>): string {
  let base = fullName.replace(/\//g, '-').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '') || 'job';
  // (ASCII only by now: characters are bytes; room is left for `-N` below.)
  if (base.length > MAX_IMPORTED_PROJECT_NAME) base = `${base.slice(0, MAX_IMPORTED_PROJECT_NAME - 17)}-${sha256(fullName).replace(/^sha256:/, '').slice(0, 16)}`;
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}-${i}`;
  used.add(name.toLowerCase());
  return name;
}

/**
 * `controller`: many controllers (docs/controllers.md): the controller the jobs were read from,
 * written into each definition (`controller: NAME`) so that the next sync keeps them there.
 */
export function proposeImport(jobs: readonly ImportInput[], opts: { templatePrefix?: string; controller?: string } = {}): ImportProposal {
  const prefix = opts.templatePrefix ?? 'imported';
  const skipped: ImportProposal['skipped'] = [];
  const groups = new Map<string, Array<{ job: ImportInput; leaves: Leaf[] }>>();
  for (const job of [...jobs].sort((a, b) => (a.fullName < b.fullName ? -1 : 1))) {
    let l: ReturnType<typeof leaves>;
    try {
      l = leaves(job.config);
    } catch (err) {
      skipped.push({ fullName: job.fullName, reason: `config.xml is not well-formed: ${(err as Error).message}` });
      continue;
    }
    const g = groups.get(l.signature) ?? [];
    g.push({ job, leaves: l.leaves });
    groups.set(l.signature, g);
  }
  const templates: ImportedTemplate[] = [];
  const definitions: ImportedDefinition[] = [];
  const usedProjects = new Set<string>();
  let n = 0;
  for (const members of groups.values()) {
    n++;
    const name = `${prefix}-${n}`;
    const first = members[0]!;
    const varying = first.leaves.map((_, i) => members.some((m) => m.leaves[i]!.text !== first.leaves[i]!.text));
    const used = new Set<string>();
    const tokens: Record<string, string> = {};
    const tokenAt: Array<string | undefined> = first.leaves.map((leaf, i) => {
      if (!varying[i]) return undefined;
      const t = tokenName(leaf.path, used);
      tokens[t] = leaf.path;
      return t;
    });
    // Template text: the first member's config, `$` escaped where it would read as a token, and
    // each varying leaf's content replaced by its token.
    const xml = first.job.config;
    const splices: Array<{ start: number; end: number; text: string }> = [];
    first.leaves.forEach((leaf, i) => {
      const t = tokenAt[i];
      if (!t) return;
      const el = leaf.el;
      if (el.selfClosing) splices.push({ start: el.start, end: el.end, text: `${xml.slice(el.start, el.end).replace(/\s*\/>$/, '>')}$${t}</${el.name}>` });
      else splices.push({ start: el.openEnd, end: el.closeStart, text: `$${t}` });
    });
    let text = '';
    let pos = 0;
    for (const s of splices) {
      text += xml.slice(pos, s.start).replace(TOKENISH, '$$$$') + s.text;
      pos = s.end;
    }
    text += xml.slice(pos).replace(TOKENISH, '$$$$');
    templates.push({ name, text, tokens, members: members.map((m) => m.job.fullName) });
    for (const m of members) {
      const segs = m.job.fullName.split('/');
      const jobName = segs.pop()!;
      const project = projectNameFor(m.job.fullName, usedProjects);
      const lines = [`# Imported from Jenkins job ${m.job.fullName} by jobsmith import.`, `project: ${yamlString(project)}`];
      if (segs.length) lines.push(`folder: ${yamlString(segs.join('/'))}`);
      if (opts.controller !== undefined) lines.push(`controller: ${yamlString(opts.controller)}`);
      lines.push('templates:', `  - template: ${yamlString(name)}`, `    job: ${yamlString(jobName)}`);
      const values = first.leaves.map((_, i) => (tokenAt[i] ? [tokenAt[i]!, m.leaves[i]!.text] : undefined)).filter((x): x is [string, string] => !!x);
      if (values.length) {
        lines.push('tokens:');
        for (const [k, v] of values) lines.push(`  ${k}: ${yamlString(v)}`);
      }
      definitions.push({ fullName: m.job.fullName, project, text: lines.join('\n') + '\n', template: name });
    }
  }
  return { templates, definitions, skipped };
}

/** Rendered jobs that do not reproduce their source config (compared semantically). */
export function checkImport(sources: readonly ImportInput[], rendered: readonly DesiredJob[], same: (a: string, b: string) => boolean): Array<{ fullName: string; reason: string }> {
  const byName = new Map(rendered.map((j) => [j.fullName, j]));
  const bad: Array<{ fullName: string; reason: string }> = [];
  for (const s of sources) {
    const r = byName.get(s.fullName);
    if (!r) bad.push({ fullName: s.fullName, reason: 'not rendered' });
    else if (!same(r.config, s.config)) bad.push({ fullName: s.fullName, reason: 'the rendered config differs from the job' });
  }
  return bad;
}

