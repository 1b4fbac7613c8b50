/**
 * `jobsmith bulk`: select live jobs, edit their config.xml (byte-preserving), show a diff per job
 * (dry run, the default) or apply with a backup first; `--undo DIR` restores a backup.
 */
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { InputError, UsageError } from '../model/errors.js';
import type { BulkScript } from '../bulk/bulk-script.js';
import type { EditOp } from '../bulk/edit-ops.js';
import type { BulkEvent, BulkResult } from '../bulk/run-bulk.js';
import type { JobSelector } from '../bulk/select-jobs.js';
import type { UndoResult } from '../bulk/undo-bulk.js';
import type { ConfigCondition } from '../xml/condition.js';
import { connectionOptions, openJenkins, type ConnectionArgs } from './connection-options.js';
import { EXIT } from './exit-codes.js';

interface BulkArgs extends ConnectionArgs {
  'dry-run': boolean;
  match?: string[];
  regex?: string;
  folder?: string;
  view?: string;
  type?: string[];
  managed?: boolean;
  where?: string[];
  set?: string[];
  replace?: string[];
  remove?: string[];
  add?: string[];
  script?: string;
  apply: boolean;
  force: boolean;
  unmanage: boolean;
  'backup-dir'?: string;
  undo?: string;
  json: boolean;
  diff: boolean;
}

function pairs(list: string[] | undefined, flag: string): Array<[string, string]> {
  const l = list ?? [];
  if (l.length % 2 !== 0) throw new UsageError(`${flag} takes two values each time`);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < l.length; i += 2) out.push([l[i]!, l[i + 1]!]);
  return out;
}

/** All bad flags at once, as one UsageError (or, when only files they name are bad, one InputError). */
/** What bulk needs to run, loaded when it runs (the command line is built without it). */
async function bulkModules() {
  const [clock, script, ops, run, select, undo, condition, path, editor] = await Promise.all([
    import('../model/clock.js'),
    import('../bulk/bulk-script.js'),
    import('../bulk/edit-ops.js'),
    import('../bulk/run-bulk.js'),
    import('../bulk/select-jobs.js'),
    import('../bulk/undo-bulk.js'),
    import('../xml/condition.js'),
    import('../xml/element-path.js'),
    import('../xml/config-editor.js'),
  ]);
  return { ...clock, ...script, ...ops, ...run, ...select, ...undo, ...condition, ...path, ...editor };
}
type BulkModules = Awaited<ReturnType<typeof bulkModules>>;

function parseEdits(a: BulkArgs, m: BulkModules): { ops: EditOp[]; where: ConfigCondition[]; selector: JobSelector } {
  const { parseCondition, parsePath, parseSearch, parseSetSpec, PathSyntaxError, snippetProblem } = m;
  const errors: string[] = [];
  /** Problems of files named by flags (bad input, exit 1) rather than of the flags themselves (exit 2). */
  const inputErrors: string[] = [];
  const tryParse = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (err instanceof PathSyntaxError || err instanceof UsageError) errors.push(err.message);
      else throw err;
      return undefined;
    }
  };
  const ops: EditOp[] = [];
  for (const s of a.set ?? []) {
    const op = tryParse(() => parseSetSpec(s));
    if (op) ops.push(op);
  }
  for (const [oldText, newText] of tryParse(() => pairs(a.replace, '--replace')) ?? []) {
    const search = tryParse(() => parseSearch(oldText));
    if (search !== undefined) ops.push({ kind: 'replace', search, replacement: newText });
  }
  for (const p of a.remove ?? []) {
    if (tryParse(() => parsePath(p))) ops.push({ kind: 'remove', path: p });
  }
  for (const [p, snippet] of tryParse(() => pairs(a.add, '--add')) ?? []) {
    let text = snippet;
    if (snippet.startsWith('@')) {
      try {
        text = readFileSync(snippet.slice(1), 'utf8');
      } catch (err) {
        inputErrors.push(`--add ${p} ${snippet}: cannot read ${snippet.slice(1)} (${(err as NodeJS.ErrnoException).code})`);
        continue;
      }
    }
    // Checked once here, not once per job: a broken snippet fails before Jenkins is asked anything.
    const problem = snippetProblem(text);
    if (problem !== undefined) {
      (snippet.startsWith('@') ? inputErrors : errors).push(`--add ${p} ${snippet.startsWith('@') ? snippet : JSON.stringify(snippet)}: ${problem}`);
      continue;
    }
    if (tryParse(() => parsePath(p))) ops.push({ kind: 'add', path: p, snippet: text });
  }
  const where: ConfigCondition[] = [];
  for (const w of a.where ?? []) {
    const c = tryParse(() => parseCondition(w));
    if (c) where.push(c);
  }
  // An empty value is refused for every flag (src/cli/empty-flag-values.ts); a folder or view of
  // slashes only would select every job too (--folder "$TEAM/" with TEAM unset).
  for (const [flag, value] of [['--folder', a.folder], ['--view', a.view]] as const) {
    if (value !== undefined && value.replace(/\//g, '').trim() === '') errors.push(`${flag} ${JSON.stringify(value)} names no ${flag.slice(2)}: it would select every job, not none; give it a name or leave it out`);
  }
  // that rule sees the first value of a list flag only: an empty one among several (--match a "$UNSET")
  for (const [flag, values] of [['--match', a.match], ['--type', a.type]] as const) {
    if (values?.some((v) => String(v).trim() === '')) errors.push(`${flag} needs a value for each entry (an empty one: an unset variable?)`);
  }
  const selector: JobSelector = {};
  if (a.match?.length) selector.match = a.match;
  if (a.regex !== undefined) {
    try {
      selector.regex = new RegExp(a.regex);
    } catch (err) {
      errors.push(`--regex: ${(err as Error).message}`);
    }
  }
  if (a.folder !== undefined) selector.folder = a.folder;
  if (a.view !== undefined) selector.view = a.view;
  if (a.type?.length) selector.types = a.type;
  if (a.managed !== undefined) selector.managed = a.managed;
  if (errors.length) throw new UsageError([...errors, ...inputErrors].join('\n'));
  if (inputErrors.length) throw new InputError(inputErrors.join('\n'));
  return { ops, where, selector };
}

/** `jobsmith-backup-<YYYY-MM-DD-HHMMSS>-<pid>`: two runs started in the same second get two directories. */
function defaultBackupDir(now: Date): string {
  return `jobsmith-backup-${now.toISOString().replace(/[:.]/g, '').replace('T', '-').slice(0, 17)}-${process.pid}`;
}

/** Progress on stderr; with several controllers at once (`controller` set) one line per job, prefixed with it (no bar). */
function progress(apply: boolean, json: boolean, controller?: string): (e: BulkEvent) => void {
  if (json) return () => {};
  const tty = controller === undefined && process.stderr.isTTY && !process.env.CI && process.env.TERM !== 'dumb';
  const who = controller !== undefined ? `${controller}: ` : '';
  let last = 0;
  return (e) => {
    if (e.type === 'job') {
      const r = e.result;
      if (!tty) {
        if (apply && r.status === 'changed') process.stderr.write(r.applied ? `${who}updated ${r.fullName}\n` : `${who}FAILED ${r.fullName}: ${r.message}\n`);
        else if (r.status === 'failed') process.stderr.write(`${who}FAILED ${r.fullName}: ${r.message}\n`);
        return;
      }
      if (r.status === 'failed' || (apply && r.status === 'changed' && r.applied === false)) process.stderr.write(`\r\x1b[KFAILED ${r.fullName}: ${r.message}\n`);
      const now = Date.now();
      if (now - last > 80 || e.done === e.total) {
        last = now;
        const width = 30;
        const filled = e.total ? Math.round((e.done / e.total) * width) : width;
        process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${e.done}/${e.total} ${r.fullName}`.slice(0, (process.stderr.columns || 80) - 1) + '\x1b[K');
      }
    } else if (e.type === 'end' && tty) process.stderr.write('\r\x1b[K');
  };
}

function printResult(r: BulkResult, a: BulkArgs, undoHint = `jobsmith bulk --undo ${r.backupDir}`): void {
  const out: string[] = [];
  for (const j of r.jobs) {
    if (j.status === 'changed' && a.diff && j.diff) out.push(j.diff.replace(/^={10,}\n/, ''));
  }
  for (const j of r.jobs) if (j.status === 'refused') out.push(`refused ${j.fullName}: ${j.message}`);
  for (const j of r.jobs) if (j.status === 'failed') out.push(`failed ${j.fullName}: ${j.message}`);
  const s = r.summary;
  const verb = r.apply ? 'changed' : 'to change';
  const parts = [`${s.changed} ${verb}`, `${s.unchanged} unchanged`];
  if (s['not-matched']) parts.push(`${s['not-matched']} not matching --where`);
  if (s.skipped) parts.push(`${s.skipped} skipped by the script`);
  const managedRefused = r.jobs.filter((j) => j.refusal === 'managed').length;
  const markerRefused = r.jobs.filter((j) => j.refusal === 'marker').length;
  if (managedRefused) parts.push(`${managedRefused} refused (managed; --force)`);
  if (markerRefused) parts.push(`${markerRefused} refused (the edit would touch the jobsmith marker; --unmanage to remove it)`);
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.interrupted) parts.push(`${s.interrupted} not looked at (interrupted)`);
  out.push(`bulk${r.apply ? '' : ' (dry run)'}${r.interrupted ? ' INTERRUPTED' : ''}: ${r.jobs.length} jobs selected: ${parts.join(', ')}`);
  if (r.apply) {
    out.push(`applied: ${r.applied} updated, ${r.applyFailed} failed${r.applyUnknown ? ` (${r.applyUnknown} without an answer: they may have been applied; --undo checks them)` : ''}`);
    if (r.backupDir && r.applied + r.applyFailed > 0) out.push(`backup of the previous configs: ${r.backupDir}\nundo with: ${undoHint}`);
  } else if (s.changed > 0) out.push('nothing was changed; run again with --apply to apply (each job\'s current config is backed up first)');
  process.stdout.write(out.join('\n') + '\n');
}

function printUndo(r: UndoResult, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return;
  }
  const lines = r.jobs.map((j) => `${j.status} ${j.fullName}${j.message ? `: ${j.message}` : ''}`);
  const s = r.summary;
  if (r.state !== 'complete') lines.push(`note: the bulk run was ${r.state === 'interrupted' ? 'interrupted' : 'cut short'}; every job it backed up was checked against Jenkins`);
  if (r.savedDir) lines.push(`the live configs undo replaced are saved in ${r.savedDir}`);
  const restored = s['would-restore'] ? `${s['would-restore']} to restore` : `${s.restored} restored`;
  lines.push(`undo: ${restored}, ${s.unchanged} already as in the backup, ${s['not-applied']} never changed by the bulk edit, ${s.refused} refused, ${s.failed} failed (of ${r.jobs.length} jobs in the backup)`);
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * Many controllers (docs/controllers.md): run `one` on every controller of the run (all, or those of
 * `--controller`) in parallel, each with its own directory `dir/<name>`; output grouped per
 * controller, then a per-controller summary. A controller that fails does not stop the others; the
 * run exits with the worst code (3 before 130 before 1).
 */
async function perController(
  a: BulkArgs,
  config: import('../controllers/controllers-config.js').ControllersConfig,
  dir: string,
  one: (c: import('./controller-options.js').OpenedController, dir: string) => Promise<{ code: number; result?: unknown; error?: string; print: () => void }>,
): Promise<number> {
  const { openControllers, selectedControllers } = await import('./controller-options.js');
  const { combineExitCodes } = await import('./controllers-command.js');
  const path = await import('node:path');
  const names = await selectedControllers(a, config);
  return openControllers(a, config, names, async (cs) => {
    if (!a.json) for (const c of cs) process.stderr.write(`${c.where}\n`);
    const results = await Promise.all(
      cs.map(async (c) => {
        try {
          return { controller: c.name, ...(await one(c, path.join(dir, c.name))) };
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          return { controller: c.name, code: EXIT.external, error, print: () => process.stderr.write(`error: ${error}\n`) };
        }
      }),
    );
    const code = combineExitCodes(results.map((r) => r.code));
    if (a.json) {
      process.stdout.write(JSON.stringify({ exitCode: code, controllers: results.map((r) => ({ controller: r.controller, exitCode: r.code, ...(r.error !== undefined ? { error: r.error } : {}), ...(r.result !== undefined ? r.result : {}) })) }, null, 2) + '\n');
      return code;
    }
    for (const r of results) {
      process.stdout.write(`\n== controller ${r.controller} ==\n`);
      r.print();
    }
    const width = Math.max(...results.map((r) => r.controller.length));
    const state = (c: number): string => (c === EXIT.ok ? 'ok' : c === EXIT.external ? 'FAILED' : c === EXIT.interrupted ? 'interrupted' : 'refused');
    (code === EXIT.ok ? process.stdout : process.stderr).write(`\nControllers:\n${results.map((r) => `  ${r.controller.padEnd(width)}  ${state(r.code)}${r.error !== undefined ? `: ${r.error}` : ''}\n`).join('')}`);
    return code;
  });
}

export const bulkCommand: CommandModule<object, BulkArgs> = {
  ...commandInfo('bulk'),
  builder: (y) =>
    connectionOptions(y)
      .usage(
        '$0 bulk [selection] [edits] [--apply]\n\n' +
          'Edits apply in this order: --set, --replace, --remove, --add, then --script.\n' +
          'Examples:\n' +
          "  jobsmith bulk --match 'team-a/**' --set assignedNode=linux-farm\n" +
          "  jobsmith bulk --where '//hudson.tasks.Maven/mavenName=maven-3.8' --set '//hudson.tasks.Maven/mavenName=maven-3.9' --apply\n" +
          "  jobsmith bulk --replace /svn\\.old\\.example\\.com/ svn.example.com --apply\n" +
          '  jobsmith bulk --undo jobsmith-backup-2026-11-25-103531-4242',
      )
      .option('match', { type: 'string', array: true, describe: 'Full-name globs (team-a/**, *-trunk)' })
      .option('regex', { type: 'string', describe: 'Regular expression on the full name' })
      .option('folder', { type: 'string', describe: 'Only jobs inside this folder (any depth)' })
      .option('view', { type: 'string', describe: 'Only jobs in this view (folder/view for a folder view)' })
      .option('type', { type: 'string', array: true, describe: 'Root element or class: project, flow-definition, maven2-moduleset, matrix-project, ...' })
      .option('managed', { type: 'boolean', describe: '--managed: only jobs jobsmith manages; --no-managed: only the others' })
      .option('where', { type: 'string', array: true, describe: "Config condition: PATH=V, PATH!=V, PATH~RE, PATH!~RE, PATH, !PATH (all must hold)" })
      .option('set', { type: 'string', array: true, describe: 'PATH=VALUE: set element text (or PATH/@attr=VALUE)' })
      .option('replace', { type: 'string', array: true, nargs: 2, describe: 'OLD NEW: in text only; /regex/flags for a regex ($1 in NEW)' })
      .option('remove', { type: 'string', array: true, describe: 'PATH: remove the element(s)' })
      .option('add', { type: 'string', array: true, nargs: 2, describe: 'PATH SNIPPET: append XML (or @file.xml) under PATH' })
      .option('script', { type: 'string', describe: 'A .js/.mjs/.ts module: export default (config, job) => config' })
      .option('apply', { type: 'boolean', default: false, describe: 'Apply the changes (after backing up each job)' })
      .option('force', { type: 'boolean', default: false, describe: 'Also edit jobs jobsmith manages (a later sync may revert; their marker is kept); with --undo: overwrite jobs edited since' })
      .option('unmanage', { type: 'boolean', default: false, describe: 'Let the edits remove the jobsmith marker from managed jobs (they stop being managed); never needed otherwise' })
      .option('backup-dir', { type: 'string', describe: 'Where --apply writes the backup, new or empty (default ./jobsmith-backup-<time>-<pid>)' })
      .option('undo', { type: 'string', describe: 'Restore the configs saved in this backup directory (at once; the live configs it replaces are saved in DIR/.undone/<time>)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'With --undo: show what it would restore, change nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result on stdout' })
      .option('diff', { type: 'boolean', default: true, describe: 'Show a unified diff per changed job (--no-diff: counts only)' }) as unknown as Argv<BulkArgs>,
  handler: async (a) => {
    const m = await bulkModules();
    const { BackupDirError, describeOp, loadBulkScript, runBulk, ScriptLoadError, SelectorError, systemClock, undoBulk, UndoInputError } = m;
    const { controllersConfig } = await import('./controller-options.js');
    const controllers = await controllersConfig(a);
    if (a['dry-run'] && a.undo === undefined) throw new UsageError('--dry-run is for --undo DIR (bulk edits are a dry run unless --apply is given)');
    if (a.undo !== undefined) {
      const undoDir = a.undo;
      const undoOne = async (api: import('../model/jenkins-api.js').JenkinsApi, dir: string, concurrency: number): Promise<{ code: number; result?: UndoResult; error?: string }> => {
        try {
          // the live configs an undo replaces (a later edit, with --force) are saved in DIR/.undone/<time>-<pid>: an undo can be undone
          const r = await undoBulk(api, dir, { force: a.force, dryRun: a['dry-run'], concurrency });
          return { code: r.summary.failed > 0 ? EXIT.external : r.summary.refused > 0 ? EXIT.badInput : EXIT.ok, result: r };
        } catch (err) {
          if (err instanceof UndoInputError) return { code: EXIT.badInput, error: err.message };
          throw err;
        }
      };
      if (controllers) {
        // many controllers (docs/controllers.md): bulk --apply backed each controller up into DIR/<name>;
        // DIR that is itself one bulk backup (made before controllers:, or DIR/<name> named directly)
        // is undone on one controller: --controller NAME, else the one it is named after (DIR/<name>), else the default one
        const { existsSync } = await import('node:fs');
        const nodePath = await import('node:path');
        const { BULK_MANIFEST, BULK_JOURNAL } = await import('../bulk/run-bulk.js');
        if (existsSync(nodePath.join(undoDir, BULK_MANIFEST)) || existsSync(nodePath.join(undoDir, BULK_JOURNAL))) {
          const { selectedControllers } = await import('./controller-options.js');
          const own = nodePath.basename(nodePath.resolve(undoDir));
          const asked = a.controller?.length ? await selectedControllers(a, controllers) : [controllers.entries.has(own) ? own : controllers.defaultName];
          if (asked.length !== 1) throw new UsageError(`${undoDir} is one bulk backup: undo it on one controller (one --controller, not ${asked.join(', ')}); nothing was done`);
          process.exitCode = await perController({ ...a, controller: asked }, controllers, undoDir, async (c) => {
            const o = await undoOne(c.api, undoDir, c.concurrency);
            return { ...o, print: () => (o.result ? printUndo(o.result, false) : process.stderr.write(`error: ${o.error}\n`)) };
          });
          return;
        }
        process.exitCode = await perController(a, controllers, undoDir, async (c, dir) => {
          const o = await undoOne(c.api, dir, c.concurrency);
          return { ...o, print: () => (o.result ? printUndo(o.result, false) : process.stderr.write(`error: ${o.error}\n`)) };
        });
        return;
      }
      process.exitCode = await openJenkins(a, async ({ api, where, concurrency }) => {
        if (!a.json) process.stderr.write(`${where}\n`);
        const o = await undoOne(api, undoDir, concurrency);
        if (o.error !== undefined) process.stderr.write(`error: ${o.error}\n`);
        else printUndo(o.result!, a.json);
        return o.code;
      });
      return;
    }
    const { ops, where, selector } = parseEdits(a, m);
    let script: BulkScript | undefined;
    if (a.script !== undefined) {
      try {
        script = await loadBulkScript(a.script);
      } catch (err) {
        if (err instanceof ScriptLoadError) {
          process.stderr.write(`error: ${err.message}\n`);
          process.exitCode = EXIT.badInput;
          return;
        }
        throw err;
      }
    }
    if (ops.length === 0 && !script) throw new UsageError('name an edit: --set, --replace, --remove, --add or --script (or --undo DIR)');
    const now = systemClock.now();
    const backupDir = a['backup-dir'] ?? defaultBackupDir(now);
    // Ctrl-C during --apply: start nothing new, let the posts in flight end, write the manifest,
    // then exit 130. A second Ctrl-C quits at once (the journal still tells --undo what was posted).
    const abort = new AbortController();
    const onSigint = (): void => {
      if (abort.signal.aborted) process.exit(EXIT.interrupted);
      abort.abort();
      process.stderr.write(`\ninterrupted: finishing the posts in flight, then writing the manifest to ${backupDir} (Ctrl-C again to quit at once)\n`);
    };
    if (a.apply) process.on('SIGINT', onSigint);
    // whose definitions are here (./jobs): a refusal names the files to change only when they are these
    const { resolveOwner } = await import('../sync/owner-id.js');
    const here = await resolveOwner({ jobsDir: 'jobs', ...(a.config !== undefined ? { config: a.config } : {}) });
    const owner = here.diagnostics.some((d) => d.severity === 'error') ? undefined : here.owner;
    const bulkOne = async (api: import('../model/jenkins-api.js').JenkinsApi, concurrency: number, dir: string, controller?: string): Promise<{ code: number; result?: BulkResult; error?: string }> => {
      let r: BulkResult;
      try {
        r = await runBulk(
          api,
          {
            selector,
            where,
            ops,
            ...(script ? { script } : {}),
            apply: a.apply,
            force: a.force,
            unmanage: a.unmanage,
            ...(owner !== undefined ? { owner } : {}),
            signal: abort.signal,
            concurrency,
            backupDir: dir,
            diffs: a.diff || a.json,
            clock: systemClock,
            onEvent: progress(a.apply, a.json, controller),
          },
          [...ops.map(describeOp), ...(a.script ? [`script ${a.script}`] : []), ...(a.unmanage ? ['unmanage'] : [])],
        );
      } catch (err) {
        if (err instanceof SelectorError || err instanceof BackupDirError) return { code: EXIT.badInput, error: err.message };
        throw err;
      }
      if (r.interrupted) return { code: EXIT.interrupted, result: r };
      if (r.applyFailed > 0 || r.jobs.some((j) => j.status === 'failed' && /^(reading|posting)/.test(j.message ?? ''))) return { code: EXIT.external, result: r };
      if (r.summary.failed > 0 || r.jobs.some((j) => j.refusal === 'marker')) return { code: EXIT.badInput, result: r };
      return { code: EXIT.ok, result: r };
    };
    try {
      if (controllers) {
        // many controllers (docs/controllers.md): every controller (or those of --controller) in parallel, each backed up into BACKUP-DIR/<name>
        process.exitCode = await perController(a, controllers, backupDir, async (c, dir) => {
          const o = await bulkOne(c.api, c.concurrency, dir, c.name);
          // BACKUP-DIR/<name> is undone by `--undo BACKUP-DIR` (every controller) or with --controller for this one
          return { ...o, print: () => (o.result ? printResult(o.result, a, `jobsmith bulk --undo ${backupDir} --controller ${c.name}`) : process.stderr.write(`error: ${o.error}\n`)) };
        });
        return;
      }
      process.exitCode = await openJenkins(a, async ({ api, where: whereText, concurrency }) => {
        if (!a.json) process.stderr.write(`${whereText}\n`);
        const o = await bulkOne(api, concurrency, backupDir);
        if (o.error !== undefined) {
          process.stderr.write(`error: ${o.error}\n`);
          return o.code;
        }
        if (a.json) process.stdout.write(JSON.stringify(o.result, null, 2) + '\n');
        else printResult(o.result!, a);
        return o.code;
      });
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
