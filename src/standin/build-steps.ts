/**
 * What a simulated build of a freestyle job does, read from its configuration when the build
 * starts: the build steps as the console shows them (`hudson.tasks.Shell` runs `/bin/sh -xe` on a
 * temporary script, so each command line is echoed with `+ `), the git checkout, and the publishers
 * that leave relics (`hudson.tasks.ArtifactArchiver` archives files matching its `artifacts`
 * pattern, `hudson.tasks.junit.JUnitResultArchiver` records a test report).
 * Nothing is executed: the commands are shown, not run.
 */
import { childElements, firstChild, textOf, type XmlElement } from '../xml/tree.js';

export interface GitCheckout {
  url: string;
  /** Branch specifier as configured (`refs/heads/x`, `*\/main`, `main`). */
  branchSpec: string;
}

export interface BuildPlanOfJob {
  /** Console lines of the build steps (without the workspace prefix resolved). */
  steps: Array<{ kind: 'shell' | 'batch' | 'maven'; text: string }>;
  /** `ArtifactArchiver.artifacts`: comma-separated Ant patterns. */
  artifacts?: string;
  /** `JUnitResultArchiver.testResults`. */
  junit?: string;
  git?: GitCheckout;
}

function leaf(el: XmlElement | undefined, name: string): string | undefined {
  const c = el ? firstChild(el, name) : undefined;
  return c ? textOf(c) : undefined;
}

function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs.find(([k]) => k === name)?.[1];
}

/** Read what a build of this job does (freestyle and the other AbstractProject types). */
export function buildPlanOf(doc: XmlElement): BuildPlanOfJob {
  const out: BuildPlanOfJob = { steps: [] };
  const builders = firstChild(doc, 'builders');
  for (const b of builders ? childElements(builders) : []) {
    if (b.name === 'hudson.tasks.Shell') out.steps.push({ kind: 'shell', text: leaf(b, 'command') ?? '' });
    else if (b.name === 'hudson.tasks.BatchFile') out.steps.push({ kind: 'batch', text: leaf(b, 'command') ?? '' });
    else if (b.name === 'hudson.tasks.Maven') out.steps.push({ kind: 'maven', text: (leaf(b, 'targets') ?? '').trim() });
  }
  const publishers = firstChild(doc, 'publishers');
  for (const p of publishers ? childElements(publishers) : []) {
    if (p.name === 'hudson.tasks.ArtifactArchiver') {
      const a = leaf(p, 'artifacts')?.trim();
      if (a) out.artifacts = a;
    } else if (p.name === 'hudson.tasks.junit.JUnitResultArchiver') {
      const t = leaf(p, 'testResults')?.trim();
      if (t) out.junit = t;
    }
  }
  const scm = firstChild(doc, 'scm');
  if (scm && attr(scm, 'class') === 'hudson.plugins.git.GitSCM') {
    const remotes = firstChild(scm, 'userRemoteConfigs');
    const first = remotes ? childElements(remotes)[0] : undefined;
    const url = leaf(first, 'url')?.trim();
    const branches = firstChild(scm, 'branches');
    const spec = leaf(branches ? childElements(branches)[0] : undefined, 'name')?.trim();
    if (url) out.git = { url, branchSpec: spec || '**' };
  }
  return out;
}

/** The branch a git branch specifier names, as `refs/heads/...` (undefined for wildcards). */
export function headRefOf(spec: string): string | undefined {
  let s = spec.trim();
  if (s.includes('*') || s.includes('?') || s === '') {
    // `*/main`: any remote's main; other wildcards name no single branch
    const m = /^\*\/([^*?]+)$/.exec(s);
    if (!m) return undefined;
    s = m[1]!;
  }
  if (s.startsWith('refs/heads/')) return s;
  if (s.startsWith('refs/')) return undefined;
  if (s.startsWith('origin/')) s = s.slice('origin/'.length);
  return `refs/heads/${s}`;
}

/** Console lines of the steps: `[ws] $ /bin/sh -xe /tmp/jenkinsN.sh` and `+ command` per command line. */
export function stepLines(steps: BuildPlanOfJob['steps'], workspaceName: string, seed: number): string[] {
  const lines: string[] = [];
  steps.forEach((s, k) => {
    const tmp = `jenkins${String(seed * 7919 + k * 104729).padStart(19, '1').slice(-19)}`;
    if (s.kind === 'shell') {
      const text = s.text.replace(/\r\n?/g, '\n');
      const shebang = /^#!(\S+)(.*)$/.exec(text.split('\n', 1)[0] ?? '');
      if (shebang) {
        // a script with its own interpreter line runs without -xe: nothing is echoed
        lines.push(`[${workspaceName}] $ ${shebang[1]}${shebang[2]} /tmp/${tmp}.sh`);
        return;
      }
      lines.push(`[${workspaceName}] $ /bin/sh -xe /tmp/${tmp}.sh`);
      for (const line of text.split('\n')) {
        const t = line.trim();
        if (t !== '' && !t.startsWith('#')) lines.push(`+ ${t}`);
      }
    } else if (s.kind === 'batch') {
      lines.push(`[${workspaceName}] $ cmd /c call C:\\Windows\\TEMP\\${tmp}.bat`);
      for (const line of s.text.replace(/\r\n?/g, '\n').split('\n')) {
        const t = line.trim();
        if (t !== '') lines.push('', `${workspaceName}>${t}`);
      }
    } else {
      lines.push(`[${workspaceName}] $ mvn ${s.text}`.trimEnd());
    }
  });
  return lines;
}

/**
 * Concrete file names for an artifact pattern list (`target/*.jar, reports/**\/*.txt`): one small
 * file per pattern, the wildcards filled in (`*` → `build-N`, `?` → `x`, `**` dropped).
 */
export function artifactPaths(patterns: string, buildNumber: number): string[] {
  const out: string[] = [];
  for (const raw of patterns.split(',')) {
    const p = raw.trim().replace(/\\/g, '/');
    if (p === '') continue;
    const all = p.split('/');
    const segs = all.filter((s) => s !== '' && s !== '.' && s !== '..' && s !== '**');
    // `dir/**` (or `dir/`): every file below dir, so one file in it
    if (all[all.length - 1] === '**' || all[all.length - 1] === '') segs.push('*.txt');
    if (segs.length === 0) continue;
    const filled = segs.map((s) => s.replace(/\*+/g, `build-${buildNumber}`).replace(/\?/g, 'x'));
    const rel = filled.join('/');
    if (!out.includes(rel)) out.push(rel);
  }
  return out;
}
