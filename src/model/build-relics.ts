/**
 * A job's build relics as Jenkins reports them, and the small interface through which they are
 * read (the undici client implements it; tests use the same client against the stand-in).
 * Everything here is what Jenkins itself exports: nothing is un-masked or guessed.
 */

/** A `CauseAction` cause: user, timer, SCM change, upstream build, remote trigger ... */
export interface RelicCause {
  /** Jenkins class, e.g. `hudson.model.Cause$UserIdCause`. */
  className: string;
  shortDescription?: string;
  userId?: string | null;
  userName?: string;
  upstreamProject?: string;
  upstreamBuild?: number;
}

/** A `ParametersAction` value as exported (password parameters export no value: none is kept). */
export interface RelicParameter {
  name: string;
  className?: string;
  /** Absent when Jenkins exported none (sensitive parameters). */
  value?: string | number | boolean | null;
}

/** The revision an SCM plugin recorded (the git plugin's `BuildData.lastBuiltRevision`). */
export interface RelicRevision {
  sha1: string;
  branches: string[];
  remoteUrls: string[];
}

export interface RelicTestCounts {
  failCount: number;
  skipCount: number;
  totalCount: number;
}

export interface RelicArtifact {
  relativePath: string;
  fileName: string;
}

/** One build as listed by `job/J/api/json?tree=allBuilds[...]`. */
export interface RelicBuild {
  number: number;
  /** null while it runs. */
  result: string | null;
  building: boolean;
  /** Start, ms since the epoch. */
  timestamp: number;
  /** ms (0 while running). */
  duration: number;
  causes: RelicCause[];
  parameters: RelicParameter[];
  revision?: RelicRevision;
  /** Counts of its test report (`TestResultAction`), when it recorded one. */
  tests?: RelicTestCounts;
  artifacts: RelicArtifact[];
}

export type RelicKind = 'console' | 'test-report' | 'artifacts';

/** Where a downloaded relic goes: opened once per attempt (a retried download starts over). */
export interface RelicWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Throw away what was written (failed or over the limit). */
  abort(): Promise<void>;
}

export type RelicFetch =
  | { status: 'saved'; bytes: number }
  /** Jenkins has none (404): no test report, no artifacts. */
  | { status: 'absent' }
  /** Larger than the limit: nothing kept. */
  | { status: 'too-large'; limit: number };

export interface RelicSource {
  /** The builds Jenkins holds for a job, newest first, at most `limit` of them (one request). */
  listBuilds(fullName: string, limit?: number): Promise<RelicBuild[]>;
  /** How many builds Jenkins holds for a job (`allBuilds[number]`, one request). */
  countBuilds(fullName: string): Promise<number>;
  /**
   * Stream one relic of a build into a writer: `console` (`consoleText`), `test-report`
   * (`testReport/api/json`), `artifacts` (`artifact/*zip*` + `/archive.zip`). Rejects with a
   * JenkinsError on anything but success, 404 (absent) or the limit.
   */
  fetchRelic(fullName: string, number: number, kind: RelicKind, open: () => Promise<RelicWriter>, maxBytes?: number): Promise<RelicFetch>;
}
