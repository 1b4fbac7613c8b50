/**
 * A NEW output directory written from a second thread while the caller is still producing its files
 * (render streams each job's config here while it reads and renders the next definitions), so that
 * the file system's work and the caller's overlap on two cores. The same thread also reads the
 * caller's input files ahead (`readAhead`: render's definitions), so that no file system call is
 * left on the rendering thread.
 *
 * Nothing appears at the output path until `publish`: the files go into a staging directory beside
 * it (`.<name>.jobsmith-<pid>-<random>` in the same parent, so on the same file system), which is renamed
 * into place at the end, when every check of the caller has passed. `discard` (bad input, a failed
 * write, Ctrl-C) removes the staging directory: the output path never exists half-written. The rename
 * is refused (nothing written) when something appeared at the output path meanwhile, other than an
 * empty directory; a symbolic link there is never followed.
 *
 * The writes keep every rule of output-tree.ts: directories are made one level at a time with a
 * plain mkdir (which never follows or reuses anything already there), files are written with
 * O_NOFOLLOW, and a failed step is an OutputWriteError naming the path as it would be in the output
 * directory. Memory stays bounded: at most MAX_QUEUED batches wait for the writer thread; beyond that
 * the caller waits.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { OutputWriteError, removeDeadProcessDirs, WRITE_FLAGS } from './output-tree.js';

/** Files per message to the writer thread, and characters (a message is sent when either is reached). */
const BATCH_FILES = 256;
const BATCH_CHARS = 1 << 20;
/** Messages that may wait for the writer thread before `write` waits for it (about 4,000 files, at most 16 Mi characters). */
const MAX_QUEUED = 16;
/** The writer finishing no batch for this long is a stall (a hung file system): an error rather than waiting forever. */
const STALL_MS = 120_000;

/** Files read per message back from the writer thread. */
const READ_CHUNK = 64;

/**
 * The writer thread (evaluated as a script, so it runs the same from the built files and from the
 * sources under test). A batch is a flat list of files, each followed by its text; the directories
 * above a file are made first (one plain mkdir each, remembered). The first failure is kept and
 * everything after it skipped; a null message ends the thread with `{ failed }`. `{ read: files }` reads those files as UTF-8 and sends back, in order and in
 * chunks, `{ texts }`: each a string, or `{ code }` when it could not be read (also when it is a
 * named pipe, a socket or a device).
 */
const WRITER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { root, flags, control } = workerData;
const done = new Int32Array(control);
const options = { encoding: 'utf8', mode: 0o666, flag: flags };
const readOptions = { encoding: 'utf8', flag: fs.constants.O_RDONLY | fs.constants.O_NONBLOCK };
const under = root + path.sep;
const made = new Set();
let failed;
let at;
const makeParents = (rel) => {
  let k = rel.lastIndexOf('/');
  if (k <= 0) return;
  let dir = rel.slice(0, k);
  if (made.has(dir)) return;
  const missing = [dir];
  for (k = dir.lastIndexOf('/'); k > 0; k = dir.lastIndexOf('/')) {
    dir = dir.slice(0, k);
    if (made.has(dir)) break;
    missing.push(dir);
  }
  for (let m = missing.length - 1; m >= 0; m--) {
    at = missing[m];
    fs.mkdirSync(under + at);
    made.add(at);
  }
};
parentPort.on('message', (ops) => {
  if (ops !== null && !Array.isArray(ops)) {
    const files = ops.read;
    for (let i = 0; i < files.length; i += ${READ_CHUNK}) {
      const texts = [];
      for (const file of files.slice(i, i + ${READ_CHUNK})) {
        try {
          // Opened without waiting: a named pipe would hold this thread in open(), and with it the
          // process at exit, even after Ctrl-C. What reads as empty may be a pipe, a socket or a
          // device, refused as such. (A directory fails as it would anywhere: EISDIR.)
          const text = fs.readFileSync(file, readOptions);
          const st = text === '' ? fs.statSync(file) : undefined;
          texts.push(st && !st.isFile() && !st.isDirectory() ? { code: 'not a regular file' } : text);
        } catch (err) {
          texts.push({ code: err && err.code ? String(err.code) : String(err) });
        }
      }
      parentPort.postMessage({ texts });
    }
    return;
  }
  if (ops === null) {
    parentPort.postMessage({ failed });
    parentPort.close();
    return;
  }
  for (let i = 0; i < ops.length && failed === undefined; i += 2) {
    try {
      makeParents(ops[i]);
      at = ops[i];
      fs.writeFileSync(under + at, ops[i + 1], options);
    } catch (err) {
      failed = { rel: at, code: err && err.code ? String(err.code) : String(err) };
    }
  }
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
`;

type Outcome = { failed?: { rel: string; code: string } };

/**
 * Remove staging directories for `name` in `parent` (`.<name>.jobsmith-<pid>-<12 hex>`) whose process
 * is gone: what a render killed outright (kill -9, a power cut) left behind.
 */
export function removeStaleStaging(parent: string, name: string): void {
  removeDeadProcessDirs(parent, new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.jobsmith-(\\d+)-[0-9a-f]{12}$`));
}

/** A file read ahead: its text, or the errno code that kept it from being read. */
export type ReadResult = string | { code: string };

export class StagedTree {
  private batch: string[] = [];
  private batchFiles = 0;
  private batchChars = 0;
  private sent = 0;
  private readonly done: Int32Array;
  private readonly outcome: Promise<Outcome>;
  private finished = false;
  /** Files read ahead and not yet taken, and who waits for the next chunk. */
  private readonly readBuffer: ReadResult[] = [];
  private readTaken = 0;
  private readWaiter: ((chunk: readonly ReadResult[]) => void) | undefined;

  private constructor(
    /** The output directory, as the caller named it. */
    readonly out: string,
    /** The staging directory beside it. */
    readonly staging: string,
    private readonly worker: Worker,
    control: SharedArrayBuffer,
  ) {
    this.done = new Int32Array(control);
    this.outcome = new Promise<Outcome>((resolve, reject) => {
      worker.on('message', (m: Outcome | { texts: ReadResult[] }) => {
        if (!('texts' in m)) resolve(m);
        else if (this.readWaiter) {
          const w = this.readWaiter;
          this.readWaiter = undefined;
          w(m.texts);
        } else this.readBuffer.push(...m.texts);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the writer thread ended (exit ${code}) before it finished`)));
    });
    // Not an unhandled rejection when the caller discards without waiting for it.
    this.outcome.catch(() => undefined);
  }

  /**
   * Staging for `out` when `out` does not exist and its parent is a directory (undefined otherwise:
   * the caller writes in place, with its own checks). Creates the staging directory and starts the
   * writer thread.
   */
  static open(out: string): StagedTree | undefined {
    const abs = path.resolve(out);
    const parent = path.dirname(abs);
    if (parent === abs) return undefined;
    try {
      fs.lstatSync(abs);
      return undefined; // something is there (a directory, a file, a link): not new
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    }
    try {
      if (!fs.statSync(parent).isDirectory()) return undefined;
    } catch {
      return undefined;
    }
    removeStaleStaging(parent, path.basename(abs));
    let staging: string | undefined;
    for (let attempt = 0; staging === undefined; attempt++) {
      const candidate = path.join(parent, `.${path.basename(abs)}.jobsmith-${process.pid}-${randomBytes(6).toString('hex')}`);
      try {
        fs.mkdirSync(candidate);
        staging = candidate;
      } catch (err) {
        // A read-only or full parent: the caller's own path reports it.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) return undefined;
      }
    }
    const control = new SharedArrayBuffer(4);
    let worker: Worker;
    try {
      worker = new Worker(WRITER, { eval: true, workerData: { root: staging, flags: WRITE_FLAGS, control } });
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw err;
    }
    return new StagedTree(out, staging, worker, control);
  }

  /**
   * Read `files` (UTF-8) on the writer thread, ahead of the caller: the function returned gives
   * their results one at a time, in order (a promise when the next one has not arrived yet). Call
   * it once per file, before publish.
   */
  readAhead(files: readonly string[]): () => ReadResult | Promise<ReadResult> {
    this.worker.postMessage({ read: files });
    let left = files.length;
    return () => {
      if (left-- <= 0) throw new Error('StagedTree: more results taken than files read');
      if (this.readTaken < this.readBuffer.length) {
        const r = this.readBuffer[this.readTaken]!;
        // (Keep the buffer from growing: drop what was taken once it is all taken.)
        if (++this.readTaken === this.readBuffer.length) this.readBuffer.length = this.readTaken = 0;
        return r;
      }
      return new Promise<ReadResult>((resolve, reject) => {
        this.outcome.catch(reject);
        this.readWaiter = (chunk) => {
          this.readBuffer.push(...chunk);
          const r = this.readBuffer[this.readTaken]!;
          if (++this.readTaken === this.readBuffer.length) this.readBuffer.length = this.readTaken = 0;
          resolve(r);
        };
      });
    };
  }

  /** Queue `text` for the file `rel` ('/'-separated, below the output directory); the directories above it are made first. */
  write(rel: string, text: string): void {
    if (this.finished) throw new Error('StagedTree: write after publish or discard');
    this.batch.push(rel, text);
    this.batchChars += text.length;
    if (++this.batchFiles >= BATCH_FILES || this.batchChars >= BATCH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    // Bounded memory: wait while too many batches are still queued for the writer.
    let done = Atomics.load(this.done, 0);
    if (this.sent - done >= MAX_QUEUED) {
      let since = Date.now();
      for (;;) {
        Atomics.wait(this.done, 0, done, 1000);
        const now = Atomics.load(this.done, 0);
        if (this.sent - now < MAX_QUEUED) break;
        if (now !== done) since = Date.now();
        else if (Date.now() - since > STALL_MS) throw new Error(`the writer thread of ${this.out} finished nothing for ${STALL_MS / 1000} s (a hung file system?)`);
        done = now;
      }
    }
    this.worker.postMessage(this.batch);
    this.sent++;
    this.batch = [];
    this.batchFiles = 0;
    this.batchChars = 0;
  }

  /**
   * Write `last` after everything queued (small files known only at the end), wait for the writer,
   * and move the staging directory to the output path. Throws an OutputWriteError (and leaves
   * nothing) when a write failed or the output path is no longer free.
   */
  async publish(last: ReadonlyArray<{ rel: string; text: string }> = []): Promise<void> {
    if (this.finished) throw new Error('StagedTree: publish after publish or discard');
    for (const f of last) this.batch.push(f.rel, f.text);
    this.flush();
    this.worker.postMessage(null);
    let outcome: Outcome;
    try {
      outcome = await this.outcome;
    } catch (err) {
      await this.discard();
      throw err;
    }
    if (outcome.failed) {
      await this.discard();
      throw new OutputWriteError(`cannot write ${path.join(this.out, outcome.failed.rel)} (${outcome.failed.code}); nothing written`);
    }
    try {
      // A plain rename: refused when a file, a link or a non-empty directory appeared at the output path.
      fs.renameSync(this.staging, path.resolve(this.out));
    } catch (err) {
      await this.discard();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === undefined) throw err;
      if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'ENOTDIR' || code === 'EISDIR') {
        throw new OutputWriteError(`${this.out} appeared while rendering (${code}); nothing written: render again (into a new directory, or into that one)`);
      }
      throw new OutputWriteError(`cannot publish ${this.out} (${code}); nothing written`);
    }
    this.finished = true;
  }

  /** Stop the writer and remove the staging directory: nothing is left at or beside the output path. */
  async discard(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.worker.terminate();
    fs.rmSync(this.staging, { recursive: true, force: true });
  }

  /**
   * discard, at once (a signal handler about to exit): the writer is told to stop and the staging
   * directory removed, retried while a write of the stopping thread may still land.
   */
  discardNow(): void {
    if (this.finished) return;
    this.finished = true;
    void this.worker.terminate();
    fs.rmSync(this.staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }
}
