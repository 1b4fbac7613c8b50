/** The provider-shaped payloads in ./payloads, with the repository URLs pointed elsewhere when asked. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signatureFor } from '../../src/hooks/verify-signature.js';
import type { Provider } from '../../src/hooks/hook-event.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'payloads');

export type PayloadName = 'github-push' | 'github-create' | 'github-delete' | 'gitlab-push' | 'gitea-push' | 'gitea-create' | 'bitbucket-refs-changed';

export function payload(name: PayloadName): Record<string, any> {
  return JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'));
}

/** Every repository URL of the payload replaced by `url` (a file:// bare remote in the tests). */
export function pointedAt(name: PayloadName, url: string): Record<string, any> {
  const p = payload(name);
  if (name.startsWith('bitbucket')) {
    p.repository.links.clone = [{ href: url, name: 'http' }];
    p.repository.links.self = [];
  } else if (name.startsWith('gitlab')) {
    for (const k of ['web_url', 'git_ssh_url', 'git_http_url']) p.project[k] = url;
    for (const k of ['url', 'homepage', 'git_http_url', 'git_ssh_url']) p.repository[k] = url;
  } else {
    for (const k of ['html_url', 'ssh_url', 'clone_url', 'git_url', 'url']) if (k in p.repository) p.repository[k] = url;
  }
  return p;
}

export const EVENT_NAMES: Record<PayloadName, { header: string; value: string }> = {
  'github-push': { header: 'X-GitHub-Event', value: 'push' },
  'github-create': { header: 'X-GitHub-Event', value: 'create' },
  'github-delete': { header: 'X-GitHub-Event', value: 'delete' },
  'gitlab-push': { header: 'X-Gitlab-Event', value: 'Push Hook' },
  'gitea-push': { header: 'X-Gitea-Event', value: 'push' },
  'gitea-create': { header: 'X-Gitea-Event', value: 'create' },
  'bitbucket-refs-changed': { header: 'X-Event-Key', value: 'repo:refs_changed' },
};

export function providerOf(name: PayloadName): Provider {
  return name.split('-')[0] as Provider;
}

/** Headers a provider sends with `body` (signed with `secret` unless it is undefined). */
export function headersFor(name: PayloadName, body: string, secret: string | undefined): Record<string, string> {
  const ev = EVENT_NAMES[name];
  const h: Record<string, string> = { 'content-type': 'application/json', [ev.header]: ev.value };
  if (secret !== undefined) {
    const s = signatureFor(providerOf(name), secret, body);
    h[s.name] = s.value;
  }
  return h;
}
