import { secretQueryParams } from '../model/redact-url.js';
/**
 * What `jobsmith bootstrap --init --package SPEC` may pin: only specs that name one exact build of
 * jobsmith, so the master jobs (which run jobsmith with the Jenkins API token) never install
 * whatever a registry serves under a name on the day they run.
 *
 * Accepted:
 * - an exact version: `0.4.1`, `jobsmith@0.4.1`, `@corp/jobsmith@0.4.1` (npm alias `npm:@corp/jobsmith@0.4.1`);
 * - a tarball: a file inside the definitions repository (`file:vendor/jobsmith-0.4.1.tgz`; its
 *   integrity is computed from the file), or an `https:` URL with `--package-integrity sha512-...`;
 * - a git URL with a full commit id: `git+https://host/jobsmith.git#<40 hex>`, `github:org/jobsmith#<40 hex>`.
 * Refused: a bare name (`jobsmith`), a range (`^0.4.1`, `0.x`, `>=0.4`), a dist-tag (`latest`), a
 * git URL without a commit (or with a branch or tag), a remote tarball without integrity, a
 * directory, and any URL carrying a user name or password.
 */

export type PackagePin =
  | { kind: 'version'; name: string; version: string; dependency: string }
  | { kind: 'tarball'; dependency: string; url?: string; file?: string; integrity?: string }
  | { kind: 'git'; dependency: string; commit: string };

export type PackageCheck = { ok: true; pin: PackagePin } | { ok: false; reason: string };

const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const SRI = /^sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}$/;
const GIT_PREFIX = /^(?:git\+(?:https?|ssh|file):\/\/|git:\/\/|(?:github|gitlab|bitbucket|gist):)/i;

/**
 * A secret in a URL anywhere in the text: `scheme://user:password@host`, or any user part of an
 * http(s) or other non-ssh URL (`https://<token>@github.com/...` puts the token there). An ssh user
 * name alone (`ssh://git@host/...`, `svn+ssh://alice@host/...`) is no secret. A secret-like query
 * value (`?token=`, `private_token=`, `access_token=`, `password=`, ...: src/model/redact-url.ts,
 * the rule that redacts output) is one too.
 */
export function hasUrlCredentials(text: string): boolean {
  // a secret query value (`?private_token=...`, `?access_token=`, `&password=`): the redactor's own rule
  if (secretQueryParams(text).length > 0) return true;
  for (const m of text.matchAll(/([a-z][a-z0-9+.-]*):\/\/([^\s/@?#]+)@/gi)) {
    const scheme = m[1]!.toLowerCase();
    if (m[2]!.includes(':') || !/(?:^|\+)ssh$/.test(scheme)) return true;
  }
  return false;
}

export function checkPackageSpec(spec: string, opts: { integrity?: string } = {}): PackageCheck {
  const s = spec.trim();
  if (s === '') return { ok: false, reason: 'is empty: give an exact version (jobsmith@0.1.0), a tarball, or a git URL with a commit id' };
  if (hasUrlCredentials(s)) {
    return { ok: false, reason: 'holds a user name or password (or a secret query value such as ?token=) in its URL: credentials never go into package.json; let npm read them from the agent\'s .npmrc or git credentials' };
  }
  if (opts.integrity !== undefined && !SRI.test(opts.integrity)) {
    return { ok: false, reason: `--package-integrity must be an npm integrity string (sha512-<base64>, as \`npm pack --json\` prints it)` };
  }

  if (GIT_PREFIX.test(s) || /^[\w.-]+\/[\w.-]+#/.test(s)) {
    const hash = s.indexOf('#');
    const ref = hash < 0 ? '' : s.slice(hash + 1);
    if (!COMMIT.test(ref)) {
      return {
        ok: false,
        reason: `is a git URL ${ref ? `pointing at "${ref}", which can move` : 'without a commit'}: end it with #<full commit id> (40 hex digits), e.g. ${s.split('#')[0]}#0123456789abcdef0123456789abcdef01234567`,
      };
    }
    return { ok: true, pin: { kind: 'git', dependency: s, commit: ref.toLowerCase() } };
  }

  if (/\.(?:tgz|tar\.gz)$/i.test(s.split(/[?#]/)[0]!)) {
    if (/^https?:\/\//i.test(s)) {
      if (/^http:\/\//i.test(s)) return { ok: false, reason: 'is a plain http: URL: use https:' };
      if (opts.integrity === undefined) {
        return { ok: false, reason: 'is a tarball URL without integrity: add --package-integrity sha512-... (what `npm pack --json` printed when the tarball was made), so a changed file is refused' };
      }
      return { ok: true, pin: { kind: 'tarball', dependency: s, url: s, integrity: opts.integrity } };
    }
    const file = s.replace(/^file:/, '');
    return { ok: true, pin: { kind: 'tarball', dependency: `file:${file}`, file, ...(opts.integrity !== undefined ? { integrity: opts.integrity } : {}) } };
  }

  if (/^(?:file:|\.{0,2}\/|~\/)/.test(s)) {
    return { ok: false, reason: 'is a directory: a folder link is not pinned (its contents change); use `npm pack` and give the .tgz file' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    return { ok: false, reason: 'is a URL that is neither a tarball (.tgz) nor a git URL with a commit id' };
  }

  // name@version, @scope/name@version, npm:name@version, or a bare version
  const body = s.replace(/^npm:/, '');
  if (EXACT_VERSION.test(body)) return { ok: true, pin: version('jobsmith', body) };
  const at = body.lastIndexOf('@');
  const name = at > 0 ? body.slice(0, at) : body;
  const range = at > 0 ? body.slice(at + 1) : '';
  if (!NPM_NAME.test(name)) return { ok: false, reason: `is not an npm package spec (expected jobsmith@<version>)` };
  if (at <= 0 || range === '') {
    return { ok: false, reason: `is a bare package name: it installs whatever is published under "${name}" on the day the job runs; give an exact version, e.g. ${name}@0.1.0` };
  }
  if (EXACT_VERSION.test(range)) return { ok: true, pin: version(name, range) };
  if (/^[a-z][\w.-]*$/i.test(range) && !/\d/.test(range.charAt(0))) {
    return { ok: false, reason: `names the tag "${range}", which moves when someone publishes: give an exact version, e.g. ${name}@0.1.0` };
  }
  return { ok: false, reason: `is the range "${range}", which can pick a newer release on the next run: give one exact version, e.g. ${name}@0.1.0` };
}

function version(name: string, v: string): PackagePin {
  const exact = v.replace(/^v/, '');
  return { kind: 'version', name, version: exact, dependency: name === 'jobsmith' ? exact : `npm:${name}@${exact}` };
}
