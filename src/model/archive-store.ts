/**
 * Where build relics go before jobsmith deletes a job, and where `archive list|show` and the
 * `/archive` pages read them. One small interface so another store (object storage, a database)
 * can follow; the plain-files store is src/archive/fs-archive-store.ts (layout: docs/archive.md).
 *
 * An archive holds entries; an entry is one job archived once (a branch job made, built, torn
 * down, made again and torn down again has two). An entry becomes visible only when it is
 * complete (`commit`); a failed archiving leaves nothing behind.
 */
import type { RelicArtifact, RelicBuild, RelicKind, RelicTestCounts, RelicWriter } from './build-relics.js';

export const ARCHIVE_FORMAT_VERSION = 1;

/** `build.json`: one archived build. */
export interface ArchivedBuild extends Omit<RelicBuild, 'artifacts' | 'building'> {
  format: 'jobsmith-archived-build';
  version: 1;
  /** The build still ran when it was archived (its log ends there). */
  building?: boolean;
  /** Bytes of the console log kept (`log.txt`). */
  logBytes: number;
  /** Bytes of the test report kept (`test-report.json`), when the build had one. */
  testReportBytes?: number;
  artifacts: {
    /** What the build archived in Jenkins (always listed). */
    list: RelicArtifact[];
    /** `artifacts.zip` holds them. */
    copied: boolean;
    bytes?: number;
    /** Why they were not copied (over the cap, or the cap is 0). */
    notCopied?: string;
  };
}

/** Per build, what listings need without opening every build.json. */
export interface ArchivedBuildSummary {
  number: number;
  result: string | null;
  timestamp: number;
  duration: number;
  tests?: RelicTestCounts;
  artifactCount: number;
  artifactsCopied: boolean;
}

/** `job.json`: one archived job. */
export interface ArchivedJob {
  format: 'jobsmith-archived-job';
  version: 1;
  /** Entry id, unique in the store (for the files store: `<key>/<stamp>`). */
  id: string;
  /** Jenkins full name (untrusted text: escape it wherever it is shown). */
  fullName: string;
  /** ISO time of the archiving. */
  archivedAt: string;
  /** Why the job was deleted (the plan's reason). */
  reason: string;
  /** The jobsmith marker of its last config (which definitions made it), when it had one. */
  marker?: Record<string, string>;
  /** `config.xml` of the job at deletion is kept. */
  config: boolean;
  /** Newest first. */
  builds: ArchivedBuildSummary[];
  /** Builds Jenkins still had that were not archived (older than keep_builds). */
  buildsNotArchived: number;
  /** Things the report says (artifacts over the cap, a build still running, ...). */
  notes: string[];
}

export type ArchiveFile = { kind: 'config' } | { kind: RelicKind; build: number };

export interface ArchiveEntryWriter {
  readonly id: string;
  putConfig(xml: string): Promise<void>;
  /** A writer for one relic of one build (log, test report, artifacts zip). */
  relicWriter(build: number, kind: RelicKind): Promise<RelicWriter>;
  putBuild(record: ArchivedBuild): Promise<void>;
  /** Write job.json and make the entry visible. */
  commit(record: Omit<ArchivedJob, 'id' | 'format' | 'version'>): Promise<ArchivedJob>;
  /** Remove everything written (the entry never appears). */
  abort(): Promise<void>;
}

export interface ArchiveStore {
  /** Where the archive is, for messages (no credentials). */
  readonly location: string;
  /** Start an entry for a job; rejects when the store cannot be written. */
  begin(fullName: string, at: Date): Promise<ArchiveEntryWriter>;
  /** Every complete entry (job.json), newest archiving first. Unreadable entries are skipped. */
  list(): Promise<ArchivedJob[]>;
  entry(id: string): Promise<ArchivedJob | undefined>;
  build(id: string, number: number): Promise<ArchivedBuild | undefined>;
  /** Where an entry is, for people (for the files store: its directory). */
  where(id: string): string;
  /** A stored file, streamed; undefined when the entry has none. */
  open(id: string, file: ArchiveFile): Promise<{ size: number; chunks: AsyncIterable<Uint8Array> } | undefined>;
}
