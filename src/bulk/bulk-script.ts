import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { XmlConfig } from '../xml/config-editor.js';

/** What a bulk script learns about the job it is editing. */
export interface BulkScriptJob {
  fullName: string;
  name: string;
  /** Folder path segments (empty at the root). */
  folder: string[];
  /** Jenkins class, e.g. `hudson.model.FreeStyleProject`. */
  className: string;
  /** The job carries a jobsmith marker. */
  managed: boolean;
}

/**
 * A bulk reconfiguration script: receives the job's config (byte-preserving editor) and returns
 * - the config (edited in place, or another XmlConfig), or nothing: use the edited config;
 * - a string: the new XML text (must be well-formed);
 * - `null` or `false`: leave this job alone.
 * May be async.
 */
export type BulkScript = (
  config: XmlConfig,
  job: BulkScriptJob,
) => XmlConfig | string | null | false | undefined | void | Promise<XmlConfig | string | null | false | undefined | void>;

export class ScriptLoadError extends Error {
  override name = 'ScriptLoadError';
}

/**
 * Load a script module (`.js`, `.mjs`, `.ts`, `.mts`) and return its default export (or a named
 * export `edit`). TypeScript is transpiled on the fly with the `typescript` package's
 * transpileModule (types are not checked; one file, its imports resolve from a temp directory, so
 * import only packages, or write .mjs for several files).
 */
export async function loadBulkScript(file: string): Promise<BulkScript> {
  const abs = path.resolve(file);
  let source: string;
  try {
    source = await readFile(abs, 'utf8');
  } catch (err) {
    throw new ScriptLoadError(`cannot read script ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const ext = path.extname(abs).toLowerCase();
  let mod: Record<string, unknown>;
  if (ext === '.ts' || ext === '.mts') {
    const ts = (await import('typescript')).default;
    const out = ts.transpileModule(source, {
      fileName: abs,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
    });
    const syntax = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (syntax.length) {
      const d = syntax[0]!;
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const loc = where ? `${file}:${where.line + 1}:${where.character + 1}: ` : `${file}: `;
      throw new ScriptLoadError(`${loc}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-script-'));
    const tmp = path.join(dir, path.basename(abs).replace(/\.m?ts$/i, '.mjs'));
    try {
      await writeFile(tmp, out.outputText);
      mod = (await import(pathToFileURL(tmp).href)) as Record<string, unknown>;
    } catch (err) {
      throw new ScriptLoadError(`cannot load script ${file}: ${(err as Error).message}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } else if (ext === '.js' || ext === '.mjs') {
    try {
      mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
    } catch (err) {
      throw new ScriptLoadError(`cannot load script ${file}: ${(err as Error).message}`);
    }
  } else {
    throw new ScriptLoadError(`script ${file}: use a .js, .mjs, .ts or .mts file`);
  }
  const fn = mod.default ?? mod.edit;
  if (typeof fn !== 'function') throw new ScriptLoadError(`script ${file} must export a function (export default function (config, job) { ... })`);
  return fn as BulkScript;
}
