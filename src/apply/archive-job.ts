/**
 * Copies one job's build relics into the archive, as the plan's policy says: its builds (newest
 * first, at most keep_builds), per build `build.json`, the console log, the test report when it
 * has one and the artifacts zip unless over the cap; then its config.xml and marker. The entry
 * appears only when everything is in (a failure leaves nothing). Decides nothing: what is
 * archived, and how a cap is met, come from the plan.
 */
import type { ArchiveStore, ArchivedBuild, ArchivedBuildSummary, ArchivedJob } from '../model/archive-store.js';
import type { RelicBuild, RelicSource } from '../model/build-relics.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { ArchivePolicy, Change } from '../model/plan.js';
import { readDescription } from '../plan/config-description.js';
import { parseMarker } from '../plan/marker.js';

/** A limit shared by every archiving of one apply (relic downloads in flight at once). */
export class Limiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** Archiving could not be done; `held` when a policy (a cap with `on_cap: hold`) stopped it, not a failure. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
  constructor(message: string, readonly held = false) {
    super(message);
  }
}

export interface ArchiveDeps {
  store: ArchiveStore;
  relics: RelicSource;
  limiter: Limiter;
  now?: () => Date;
}

/** What was archived, for the report. */
export interface ArchiveReport {
  fullName: string;
  /** Entry id in the store. */
  id: string;
  location: string;
  builds: number;
  buildsNotArchived: number;
  notes: string[];
}

const MIB = 1024 * 1024;

function summaryOf(b: ArchivedBuild): ArchivedBuildSummary {
  const s: ArchivedBuildSummary = { number: b.number, result: b.result, timestamp: b.timestamp, duration: b.duration, artifactCount: b.artifacts.list.length, artifactsCopied: b.artifacts.copied };
  if (b.tests) s.tests = b.tests;
  return s;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    // file system errors name the path: keep the code and what it means
    if (code === 'ENOSPC') return 'no space left on the archive volume (ENOSPC)';
    if (code === 'EACCES' || code === 'EPERM') return `the archive directory is not writable (${code})`;
    if (code === 'EROFS') return 'the archive is on a read-only file system (EROFS)';
    if (code === 'EDQUOT') return 'the disk quota of the archive volume is exceeded (EDQUOT)';
    return err.message;
  }
  return String(err);
}

/** What an archiving did: the report, and the builds it listed (newest first) for the check before the delete. */
export interface ArchiveOutcome {
  report: ArchiveReport;
  listed: Array<{ number: number; building: boolean }>;
}

/** Archive one job (the change is a delete or replace marked `archive: 'first'`). */
export async function archiveJob(api: JenkinsApi, change: Change, policy: ArchivePolicy, deps: ArchiveDeps): Promise<ArchiveOutcome> {
  const name = change.fullName;
  const now = deps.now ?? (() => new Date());
  let listed: RelicBuild[];
  let config: string;
  try {
    // one more than kept: tells whether older builds are left out
    listed = await deps.limiter.run(() => deps.relics.listBuilds(name, policy.keepBuilds !== undefined ? policy.keepBuilds + 1 : undefined));
    config = await deps.limiter.run(() => api.getConfig(name));
  } catch (err) {
    throw new ArchiveError(`reading its builds from Jenkins failed: ${errorText(err)}`);
  }
  const builds = policy.keepBuilds !== undefined ? listed.slice(0, policy.keepBuilds) : listed;
  let notArchived = 0;
  if (builds.length < listed.length) {
    // the listing stopped one past keep_builds: count what is left out (build numbers only)
    try {
      notArchived = (await deps.limiter.run(() => deps.relics.countBuilds(name))) - builds.length;
    } catch (err) {
      throw new ArchiveError(`counting its builds in Jenkins failed: ${errorText(err)}`);
    }
    notArchived = Math.max(notArchived, listed.length - builds.length);
  }
  let writer;
  try {
    writer = await deps.store.begin(name, now());
  } catch (err) {
    throw new ArchiveError(`the archive ${deps.store.location} cannot be written: ${errorText(err)}`);
  }
  const notes: string[] = [];
  try {
    await writer.putConfig(config);
    // every build's downloads settle before the entry is committed or thrown away: an abort while
    // some are still in flight would let them write into the removed entry again
    const cancel = { cancelled: false };
    const settled = await Promise.allSettled(
      builds.map((b) =>
        archiveBuild(name, b, policy, deps, writer!, notes, cancel).catch((err: unknown) => {
          cancel.cancelled = true;
          throw err;
        }),
      ),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof Cancelled));
    if (failed) throw failed.reason;
    const records = settled.map((r) => (r as PromiseFulfilledResult<ArchivedBuild>).value);
    const marker = parseMarker(readDescription(config));
    const job: Omit<ArchivedJob, 'id' | 'format' | 'version'> = {
      fullName: name,
      archivedAt: now().toISOString(),
      reason: change.reason,
      config: true,
      builds: records.map(summaryOf).sort((a, b) => b.number - a.number),
      buildsNotArchived: notArchived,
      notes: [...notes].sort(),
    };
    if (marker) job.marker = Object.fromEntries(Object.entries(marker).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    if (notArchived > 0) job.notes.push(`older builds not archived (keep_builds ${policy.keepBuilds})`);
    const done = await writer.commit(job);
    return {
      report: { fullName: name, id: done.id, location: deps.store.location, builds: records.length, buildsNotArchived: notArchived, notes: job.notes },
      listed: listed.map((b) => ({ number: b.number, building: b.building })),
    };
  } catch (err) {
    await writer.abort().catch(() => undefined);
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError(errorText(err));
  }
}

/** Another build's archiving failed: this one stopped before its next download. */
class Cancelled extends Error {}

async function archiveBuild(
  job: string,
  b: RelicBuild,
  policy: ArchivePolicy,
  deps: ArchiveDeps,
  writer: Awaited<ReturnType<ArchiveStore['begin']>>,
  notes: string[],
  cancel: { cancelled: boolean },
): Promise<ArchivedBuild> {
  const fetch = (kind: 'console' | 'test-report' | 'artifacts', max?: number) =>
    deps.limiter.run(() => {
      if (cancel.cancelled) throw new Cancelled();
      return deps.relics.fetchRelic(job, b.number, kind, () => writer.relicWriter(b.number, kind), max);
    }).catch((err: unknown) => {
      if (err instanceof Cancelled) throw err;
      throw new ArchiveError(`downloading #${b.number} ${kind === 'console' ? 'console log' : kind === 'test-report' ? 'test report' : 'artifacts'} failed: ${errorText(err)}`);
    });
  const { artifacts, building, ...rest } = b;
  const record: ArchivedBuild = { format: 'jobsmith-archived-build', version: 1, ...rest, logBytes: 0, artifacts: { list: artifacts, copied: false } };
  if (building) {
    record.building = true;
    notes.push(`#${b.number} was still running: its log ends where it was archived`);
  }
  const log = await fetch('console');
  if (log.status === 'saved') record.logBytes = log.bytes;
  else notes.push(`#${b.number}: Jenkins served no console log (404): archived without one`);
  if (b.tests) {
    const t = await fetch('test-report');
    if (t.status === 'saved') record.testReportBytes = t.bytes;
  }
  if (artifacts.length > 0) {
    if (policy.maxArtifactsMb <= 0) {
      record.artifacts.notCopied = 'max_artifacts_mb is 0: artifacts are listed, not copied';
    } else {
      const a = await fetch('artifacts', Math.floor(policy.maxArtifactsMb * MIB));
      if (a.status === 'saved') {
        record.artifacts.copied = true;
        record.artifacts.bytes = a.bytes;
      } else if (a.status === 'too-large') {
        const why = `artifacts of #${b.number} are over the cap of ${policy.maxArtifactsMb} MB`;
        if (policy.onCap === 'hold') throw new ArchiveError(`${why} (on_cap: hold)`, true);
        record.artifacts.notCopied = `${why}: listed, not copied`;
        notes.push(record.artifacts.notCopied);
      } else {
        record.artifacts.notCopied = 'Jenkins served no artifacts for this build';
      }
    }
  }
  if (cancel.cancelled) throw new Cancelled();
  await writer.putBuild(record);
  return record;
}
