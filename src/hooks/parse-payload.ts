/**
 * Each provider's payload → a RepoEvent (or "other": a ping, an event jobsmith does not use).
 * Pure: the body (already verified) and the event header in, data out; a body that is not JSON or
 * lacks the fields the event must have is MalformedPayload (400).
 *
 * Shapes, from the providers' documentation:
 * - GitHub `push`: `ref` (full), `before`, `after`, `created`, `deleted`, `repository.{clone_url,
 *   ssh_url, git_url, html_url, full_name}`; `create` / `delete`: `ref` (short name), `ref_type`
 *   (`branch` | `tag`), `repository`.
 * - GitLab `Push Hook` / `Tag Push Hook`: `ref` (full), `before`, `after` (all zeros when created /
 *   deleted), `project.{git_http_url, git_ssh_url, web_url, path_with_namespace}`, `repository.*`.
 *   A `System Hook` (instance-wide) has the same push shape when its `event_name` / `object_kind` is
 *   `push` or `tag_push`; any other system event (`repository_update`, `project_create`, ...) is "other".
 * - Gitea `push`: like GitHub's (`created` / `deleted` may be absent: zeros in `before` / `after`);
 *   `create` / `delete`: `ref` (short), `ref_type`, `repository.{clone_url, ssh_url, html_url}`.
 * - Bitbucket Server `repo:refs_changed`: `repository.{slug, project.key, links.clone[].href}`,
 *   `changes[].{ref.id (full), refId, fromHash, toHash, type: ADD | DELETE | UPDATE}`.
 */
import { MalformedPayload, type ParsedHook, type Provider, type RefChange, type RefChangeKind, type RepoEvent } from './hook-event.js';

/** The header naming the event, per provider. */
export const EVENT_HEADER: Record<Provider, string> = {
  github: 'x-github-event',
  gitlab: 'x-gitlab-event',
  gitea: 'x-gitea-event',
  bitbucket: 'x-event-key',
};

type Json = Record<string, unknown>;

const ZERO = /^0+$/;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function str(o: Json, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function need(o: Json, key: string, what: string): string {
  const v = str(o, key);
  if (v === undefined || v === '') throw new MalformedPayload(`${what}: "${key}" is missing or not a text`);
  return v;
}

function obj(o: Json, key: string, what: string): Json {
  const v = o[key];
  if (!isObject(v)) throw new MalformedPayload(`${what}: "${key}" is missing or not an object`);
  return v;
}

function urls(o: Json | undefined, keys: readonly string[]): string[] {
  if (!o) return [];
  return keys.map((k) => str(o, k)).filter((u): u is string => u !== undefined && u !== '');
}

export function parseJson(body: Buffer | string): Json {
  let v: unknown;
  try {
    v = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (err) {
    throw new MalformedPayload(`the body is not JSON (${(err as Error).message})`);
  }
  if (!isObject(v)) throw new MalformedPayload('the body is not a JSON object');
  return v;
}

function fullRef(ref: string, refType: string | undefined): string {
  if (ref.startsWith('refs/')) return ref;
  return refType === 'tag' ? `refs/tags/${ref}` : `refs/heads/${ref}`;
}

function pushKind(created: unknown, deleted: unknown, before: string, after: string): RefChangeKind {
  if (deleted === true || (deleted === undefined && ZERO.test(after))) return 'deleted';
  if (created === true || (created === undefined && ZERO.test(before))) return 'created';
  return 'pushed';
}

function githubLike(provider: 'github' | 'gitea', event: string, p: Json): ParsedHook {
  const what = `${provider} ${event} event`;
  if (event === 'ping') return { kind: 'other', event, why: 'a ping' };
  if (event !== 'push' && event !== 'create' && event !== 'delete') return { kind: 'other', event, why: `jobsmith acts on push, create and delete events, not ${event}` };
  const repo = obj(p, 'repository', what);
  const repoUrls = urls(repo, ['clone_url', 'ssh_url', 'git_url', 'html_url', 'url']);
  if (repoUrls.length === 0) throw new MalformedPayload(`${what}: the repository has no clone_url, ssh_url or html_url`);
  const repoName = str(repo, 'full_name') ?? str(repo, 'name') ?? repoUrls[0]!;
  const ref = need(p, 'ref', what);
  let change: RefChange;
  if (event === 'push') {
    const before = str(p, 'before') ?? '';
    const after = str(p, 'after') ?? '';
    change = { ref: fullRef(ref, undefined), kind: pushKind(p.created, p.deleted, before, after), after };
  } else {
    const refType = str(p, 'ref_type');
    change = { ref: fullRef(ref, refType), kind: event === 'create' ? 'created' : 'deleted', after: event === 'create' ? (str(p, 'sha') ?? '') : '' };
  }
  const out: RepoEvent = { provider, event, repoUrls, repoName, changes: [change] };
  return { kind: 'repo', event: out };
}

function gitlab(event: string, p: Json): ParsedHook {
  const what = `gitlab ${event}`;
  const objectKind = str(p, 'object_kind');
  if (event !== 'Push Hook' && event !== 'Tag Push Hook' && event !== 'System Hook') {
    return { kind: 'other', event, why: `jobsmith acts on Push Hook and Tag Push Hook events, not ${event}` };
  }
  if (event === 'System Hook') {
    // an instance-wide hook sends every kind of event (project_create, repository_update, user_*,
    // merge requests): only its push and tag_push events are read, the rest are well-formed and ignored
    const names = [str(p, 'event_name'), objectKind].filter((n): n is string => n !== undefined);
    const other = names.find((n) => n !== 'push' && n !== 'tag_push');
    if (names.length === 0) return { kind: 'other', event, why: 'a system hook event without event_name or object_kind: jobsmith acts on push and tag_push' };
    if (other !== undefined) return { kind: 'other', event, why: `a system hook event ${other.slice(0, 100)}: jobsmith acts on push and tag_push` };
  }
  if (objectKind !== undefined && objectKind !== 'push' && objectKind !== 'tag_push') return { kind: 'other', event, why: `object_kind ${objectKind}` };
  const project = isObject(p.project) ? p.project : undefined;
  const repository = isObject(p.repository) ? p.repository : undefined;
  if (!project && !repository) throw new MalformedPayload(`${what}: neither "project" nor "repository" is an object`);
  const repoUrls = [...urls(project, ['git_http_url', 'git_ssh_url', 'web_url', 'http_url', 'ssh_url']), ...urls(repository, ['git_http_url', 'git_ssh_url', 'url', 'homepage'])];
  if (repoUrls.length === 0) throw new MalformedPayload(`${what}: the project has no git_http_url, git_ssh_url or web_url`);
  const repoName = (project && (str(project, 'path_with_namespace') ?? str(project, 'name'))) ?? (repository && str(repository, 'name')) ?? repoUrls[0]!;
  const ref = need(p, 'ref', what);
  const before = str(p, 'before') ?? '';
  const after = str(p, 'after') ?? '';
  const change: RefChange = { ref: fullRef(ref, event === 'Tag Push Hook' ? 'tag' : undefined), kind: pushKind(undefined, undefined, before, after), after };
  return { kind: 'repo', event: { provider: 'gitlab', event, repoUrls, repoName, changes: [change] } };
}

function bitbucket(event: string, p: Json): ParsedHook {
  const what = `bitbucket ${event}`;
  if (event === 'diagnostics:ping') return { kind: 'other', event, why: 'a ping' };
  if (event !== 'repo:refs_changed') return { kind: 'other', event, why: `jobsmith acts on repo:refs_changed events, not ${event}` };
  const repo = obj(p, 'repository', what);
  const links = isObject(repo.links) ? repo.links : {};
  const repoUrls: string[] = [];
  for (const key of ['clone', 'self']) {
    const list = links[key];
    if (Array.isArray(list)) for (const l of list) if (isObject(l) && typeof l.href === 'string' && l.href !== '') repoUrls.push(l.href);
  }
  if (repoUrls.length === 0) throw new MalformedPayload(`${what}: repository.links.clone has no href`);
  const projectKey = isObject(repo.project) ? str(repo.project, 'key') : undefined;
  const slug = str(repo, 'slug') ?? str(repo, 'name');
  const repoName = projectKey && slug ? `${projectKey}/${slug}` : (slug ?? repoUrls[0]!);
  const list = p.changes;
  if (!Array.isArray(list)) throw new MalformedPayload(`${what}: "changes" is missing or not a list`);
  const changes: RefChange[] = [];
  for (const [i, c] of list.entries()) {
    if (!isObject(c)) throw new MalformedPayload(`${what}: changes[${i}] is not an object`);
    const refObj = isObject(c.ref) ? c.ref : undefined;
    const ref = (refObj && str(refObj, 'id')) ?? str(c, 'refId');
    if (ref === undefined || ref === '') throw new MalformedPayload(`${what}: changes[${i}] has no ref.id or refId`);
    const type = str(c, 'type');
    const kind: RefChangeKind = type === 'ADD' ? 'created' : type === 'DELETE' ? 'deleted' : 'pushed';
    changes.push({ ref, kind, after: str(c, 'toHash') ?? '' });
  }
  return { kind: 'repo', event: { provider: 'bitbucket', event, repoUrls, repoName, changes } };
}

/** Parse a verified body. `event` is the value of the provider's event header (EVENT_HEADER). */
export function parsePayload(provider: Provider, event: string | undefined, body: Buffer | string): ParsedHook {
  const p = parseJson(body);
  const ev = (event ?? '').trim();
  switch (provider) {
    case 'github':
    case 'gitea':
      if (ev === '') throw new MalformedPayload(`${provider}: the ${EVENT_HEADER[provider]} header is missing`);
      return githubLike(provider, ev, p);
    case 'gitlab':
      if (ev === '') throw new MalformedPayload(`gitlab: the ${EVENT_HEADER.gitlab} header is missing`);
      return gitlab(ev, p);
    case 'bitbucket':
      return bitbucket(ev !== '' ? ev : (str(p, 'eventKey') ?? ''), p);
  }
}

/** `refs/heads/x` → `x`; undefined for other refs (tags, pull requests). */
export function branchOf(ref: string): string | undefined {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
