/**
 * The `archive:` section of the config file (`jobsmith.yaml` in the working directory, or
 * `--config FILE`) and the `--archive DIR` flag, resolved into the plan's ArchivePolicy:
 *
 *   archive:
 *     dir: /srv/jenkins-archive     # relative paths are relative to the config file
 *     keep_builds: 50               # newest builds per job (default: every build Jenkins holds)
 *     max_artifacts_mb: 100         # per build; larger artifacts are listed, not copied (0: never copied)
 *     on_cap: list                  # or hold: a build over the cap keeps its job (disabled) for a person to decide
 *     concurrency: 4                # relic downloads in flight at once
 *
 * `archive: false` turns archiving off; `--archive DIR` turns it on (and wins over `dir:`).
 * Mistakes are diagnostics with file, line and column, all at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, type Node as YamlNode } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ArchivePolicy } from '../model/plan.js';
import { describeRange, inRange, type NumberRange } from '../jenkins/setting-ranges.js';

export const DEFAULT_MAX_ARTIFACTS_MB = 100;
export const DEFAULT_ARCHIVE_CONCURRENCY = 4;
const KEYS = ['dir', 'keep_builds', 'max_artifacts_mb', 'on_cap', 'concurrency'];

/** Ranges of the numeric archive settings (messages through the shared describeRange). */
export const ARCHIVE_RANGES = {
  keep_builds: { min: 1, max: 1_000_000, integer: true },
  max_artifacts_mb: { min: 0, max: 1_048_576, integer: false, unit: 'megabytes' },
  concurrency: { min: 1, max: 64, integer: true },
} as const satisfies Record<string, NumberRange>;

export interface ArchiveSettingsInput {
  /** `--config FILE` (default ./jobsmith.yaml when it exists). */
  configFile?: string;
  /** `--archive DIR`. */
  flagDir?: string;
  cwd: string;
  readFile?: (file: string) => string;
}

export interface ArchiveSettings {
  /** Undefined: archiving is off (no settings, or `archive: false`). */
  policy?: ArchivePolicy;
  /** `archive: false` was written. */
  off?: boolean;
  diagnostics: Diagnostic[];
}

export function readArchiveSettings(input: ArchiveSettingsInput): ArchiveSettings {
  const diagnostics: Diagnostic[] = [];
  const read = input.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  const file = path.resolve(input.cwd, input.configFile ?? 'jobsmith.yaml');
  const shown = path.relative(input.cwd, file) || file;
  const fromFlag = input.flagDir !== undefined && input.flagDir !== '' ? path.resolve(input.cwd, input.flagDir) : undefined;
  if (input.flagDir === '') diagnostics.push({ severity: 'error', code: 'archive-dir', message: '--archive needs a directory', field: '--archive' });
  let text: string | undefined;
  if (input.configFile !== undefined || existsSync(file)) {
    try {
      text = read(file);
    } catch (err) {
      diagnostics.push({ severity: 'error', code: 'config-unreadable', message: `cannot read the config file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, file: shown, field: '--config' });
    }
  }
  const policy: Partial<ArchivePolicy> = {};
  let sectionGiven = false;
  let off = false;
  if (text !== undefined) {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
    const at = (node: YamlNode | null | undefined, field: string, severity: 'error' | 'warning' = 'error') => {
      const d: Diagnostic = { severity, code: 'archive-setting', message: '', file: shown, field };
      const pos = node?.range?.[0];
      if (pos !== undefined) {
        const p = lc.linePos(pos);
        d.line = p.line;
        d.column = p.col;
      }
      return d;
    };
    const root = doc.errors.length ? undefined : doc.contents;
    const section = root && isMap(root) ? (root.get('archive', true) as unknown) : undefined;
    if (section !== undefined && section !== null) {
      sectionGiven = true;
      const sectionNode = section as YamlNode;
      if (isScalar(section) && section.value === false) {
        off = true;
      } else if (!isMap(section)) {
        diagnostics.push({ ...at(sectionNode, 'archive'), message: '"archive" must be a mapping (dir, keep_builds, max_artifacts_mb, on_cap, concurrency) or false' });
      } else {
        for (const pair of section.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : '';
          const field = `archive.${key}`;
          const node = pair.value as YamlNode | null;
          const value = isScalar(node) ? node.value : undefined;
          const bad = (message: string) => diagnostics.push({ ...at(node ?? (pair.key as YamlNode), field), message });
          const num = (range: NumberRange, extra = ''): number | undefined => {
            if (typeof value === 'number' && inRange(value, range)) return value;
            bad(`${field} must be ${describeRange(range)}${extra}`);
            return undefined;
          };
          switch (key) {
            case 'dir':
              if (typeof value === 'string' && value.trim() !== '') policy.dir = path.resolve(path.dirname(file), value);
              else bad(`${field} must be a directory path`);
              break;
            case 'keep_builds': {
              const n = num(ARCHIVE_RANGES.keep_builds);
              if (n !== undefined) policy.keepBuilds = n;
              break;
            }
            case 'max_artifacts_mb': {
              const n = num(ARCHIVE_RANGES.max_artifacts_mb, ' (0: artifacts are listed, never copied)');
              if (n !== undefined) policy.maxArtifactsMb = n;
              break;
            }
            case 'on_cap':
              if (value === 'hold' || value === 'list') policy.onCap = value;
              else bad(`${field} must be "list" (list the artifacts and delete) or "hold" (keep the job, disabled)`);
              break;
            case 'concurrency': {
              const n = num(ARCHIVE_RANGES.concurrency);
              if (n !== undefined) policy.concurrency = n;
              break;
            }
            default:
              diagnostics.push({ ...at(pair.key as YamlNode, field, 'warning'), message: `unknown archive setting "${key}" (known: ${KEYS.join(', ')})` });
          }
        }
      }
    }
  }
  if (fromFlag) policy.dir = fromFlag;
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  if (policy.dir === undefined) {
    if (sectionGiven && !off) diagnostics.push({ severity: 'error', code: 'archive-dir', message: 'archive.dir is missing: name the directory the build relics go to (or pass --archive DIR)', file: shown, field: 'archive.dir' });
    return off ? { off, diagnostics } : { diagnostics };
  }
  return {
    policy: {
      dir: policy.dir,
      ...(policy.keepBuilds !== undefined ? { keepBuilds: policy.keepBuilds } : {}),
      maxArtifactsMb: policy.maxArtifactsMb ?? DEFAULT_MAX_ARTIFACTS_MB,
      onCap: policy.onCap ?? 'list',
      concurrency: policy.concurrency ?? DEFAULT_ARCHIVE_CONCURRENCY,
    },
    diagnostics,
  };
}
