import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../src/model/diagnostic.js';
import type { DesiredState } from '../../src/model/desired-job.js';
import { loadWorkspace, type Workspace } from '../../src/load/workspace.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';

/** A temp directory holding `files` (relative path -> text or bytes). Call `cleanup()`. */
export function tempTree(files: Record<string, string | Uint8Array>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-render-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Outcome {
  workspace: Workspace;
  desired: DesiredState;
  diagnostics: Diagnostic[];
  /** Diagnostics formatted, paths relative to the tree. */
  lines: string[];
}

/** Load and render a tree with `job-templates/` and `jobs/`. */
export async function renderTree(files: Record<string, string | Uint8Array>, opts: { projects?: string[] } = {}): Promise<Outcome> {
  const t = tempTree(files);
  try {
    const { workspace, diagnostics } = await loadWorkspace({ templatesDir: path.join(t.dir, 'job-templates'), jobsDir: path.join(t.dir, 'jobs') });
    const r = renderWorkspace(workspace, opts);
    const all = [...diagnostics, ...r.diagnostics];
    const lines = sortDiagnostics(all).map((d) => formatDiagnostic(d).split(t.dir + path.sep).join(''));
    return { workspace, desired: r.desired, diagnostics: all, lines };
  } finally {
    t.cleanup();
  }
}

export const SIMPLE_TEMPLATE = `<?xml version='1.0' encoding='UTF-8'?>
<project>
  <description>$DESC.TEXT</description>
  <scm class="hudson.scm.SubversionSCM" remote="$SCM.PATH"/>
  <builders>
    <hudson.tasks.Shell>
      <command><![CDATA[echo $CMD.ARGS]]></command>
    </hudson.tasks.Shell>
  </builders>
</project>
`;
