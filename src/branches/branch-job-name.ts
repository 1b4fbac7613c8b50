/**
 * Branch job naming (documented in README.md, "How branch jobs are named").
 *
 * The SLUG of a branch (token `$BRANCH.SLUG`) is a function of the branch name alone, so a branch's
 * job name never depends on which other branches exist:
 *
 * 1. A "plain" branch name is kept as it is: lowercase ASCII letters, digits, `.`, `_`, `-`, starting
 *    with a letter or digit, not ending with `.`, at most 40 characters, and not ending in `.` + 8 hex
 *    digits (that shape is reserved for rule 2). Examples: `main`, `develop`, `release-1.2`, `jira_123`.
 * 2. Every other name (a `/`, an uppercase letter, any other character, too long) becomes its readable
 *    part + `.` + the first 8 hex digits of the SHA-256 of the exact branch name (UTF-8). The readable
 *    part lowercases the name, turns each run of other characters into one `-`, trims `-`/`.` at both
 *    ends and is cut to 31 characters: `feature/PAY-12` → `feature-pay-12.3e5a01c2`.
 *
 * Plain names never end in `.`+8 hex and hashed names always do, so a plain and a hashed slug never
 * collide; two plain slugs are equal only for equal names; two hashed slugs collide only on a SHA-256
 * prefix collision, which detection reports as an error rather than letting one job overwrite another.
 * Slugs are lowercase, so Jenkins' case-insensitive item names cannot merge `Feature/X` and `feature/x`.
 *
 * The JOB name is `<project job name>-<slug>` (the name the template would get without a branch, a dash,
 * the slug). If that exceeds 120 characters it is cut to 111 characters (no trailing `.`, `-` or space)
 * and `.` + 8 hex digits of SHA-256(`<project job name>` + NUL + branch) are appended.
 * All characters used are allowed by Jenkins' `checkGoodName` (jenkins-api.md §3): no unsafe character,
 * no control character, never `.`/`..`, never ending with `.`.
 */
import { createHash } from 'node:crypto';

export const PLAIN_SLUG_MAX = 40;
export const READABLE_MAX = 31;
export const JOB_NAME_MAX = 120;
const HASH_LEN = 8;

function hash8(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_LEN);
}

const PLAIN_RE = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9_-])?$/;
const HASHED_TAIL_RE = /\.[0-9a-f]{8}$/;

export function isPlainBranchName(branch: string): boolean {
  return branch.length <= PLAIN_SLUG_MAX && PLAIN_RE.test(branch) && !HASHED_TAIL_RE.test(branch);
}

function readable(text: string, max: number): string {
  let r = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+/, '');
  if (r.length > max) r = r.slice(0, max);
  return r.replace(/[-.]+$/, '');
}

/** The name-safe form of a branch (token `$BRANCH.SLUG`). */
export function branchSlug(branch: string): string {
  if (isPlainBranchName(branch)) return branch;
  const r = readable(branch, READABLE_MAX);
  return `${r === '' ? 'branch' : r}.${hash8(branch)}`;
}

/** Jenkins job name (last path segment) of `baseName`'s job for `branch`. */
export function branchJobName(baseName: string, branch: string): string {
  const full = `${baseName}-${branchSlug(branch)}`;
  if (full.length <= JOB_NAME_MAX) return full;
  const cut = full.slice(0, JOB_NAME_MAX - HASH_LEN - 1).replace(/[-. ]+$/, '');
  return `${cut}.${hash8(`${baseName}\u0000${branch}`)}`;
}
