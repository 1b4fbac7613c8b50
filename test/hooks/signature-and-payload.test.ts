/** The pure parts of webhooks: signatures, payloads of the four providers, repository matching. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MalformedPayload } from '../../src/hooks/hook-event.js';
import { hookSecrets } from '../../src/hooks/hook-secret.js';
import { branchOf, parsePayload } from '../../src/hooks/parse-payload.js';
import { RepoIndex, repoKey, sameRepo } from '../../src/hooks/repo-match.js';
import { verifySignature } from '../../src/hooks/verify-signature.js';
import { EVENT_NAMES, headersFor, payload, providerOf, type PayloadName } from './payloads.js';

const SECRET = 'It5-a-s3cret';

function getter(h: Record<string, string>): (n: string) => string | undefined {
  const lower = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  return (n) => lower[n.toLowerCase()];
}

describe('signatures', () => {
  const names: PayloadName[] = ['github-push', 'gitlab-push', 'gitea-push', 'bitbucket-refs-changed'];
  for (const name of names) {
    const provider = providerOf(name);
    it(`${provider}: the right signature passes; a missing, wrong or other-secret one and a changed body do not`, () => {
      const body = JSON.stringify(payload(name));
      const signed = headersFor(name, body, SECRET);
      expect(verifySignature(provider, SECRET, getter(signed), Buffer.from(body))).toBe(true);
      expect(verifySignature(provider, SECRET, getter(headersFor(name, body, undefined)), Buffer.from(body))).toBe(false);
      expect(verifySignature(provider, SECRET, getter(headersFor(name, body, 'other-secret')), Buffer.from(body))).toBe(false);
      expect(verifySignature(provider, undefined, getter(signed), Buffer.from(body))).toBe(false);
      if (provider !== 'gitlab') expect(verifySignature(provider, SECRET, getter(signed), Buffer.from(body + ' '))).toBe(false);
    });
  }

  it('GitHub needs the sha256= prefix and 64 hex digits; Gitea sends the bare hex', () => {
    const body = Buffer.from('{"zen":"x"}');
    const hex = createHmac('sha256', SECRET).update(body).digest('hex');
    expect(verifySignature('github', SECRET, getter({ 'X-Hub-Signature-256': `sha256=${hex}` }), body)).toBe(true);
    expect(verifySignature('github', SECRET, getter({ 'X-Hub-Signature-256': hex }), body)).toBe(false);
    expect(verifySignature('github', SECRET, getter({ 'X-Hub-Signature-256': `sha256=${hex.slice(0, 63)}` }), body)).toBe(false);
    expect(verifySignature('github', SECRET, getter({ 'X-Hub-Signature-256': `sha1=${hex}` }), body)).toBe(false);
    // GitHub's old SHA-1 header alone is not enough
    expect(verifySignature('github', SECRET, getter({ 'X-Hub-Signature': `sha256=${hex}` }), body)).toBe(false);
    expect(verifySignature('gitea', SECRET, getter({ 'X-Gitea-Signature': hex }), body)).toBe(true);
    expect(verifySignature('gitea', SECRET, getter({ 'X-Gitea-Signature': `sha256=${hex}` }), body)).toBe(false);
    expect(verifySignature('bitbucket', SECRET, getter({ 'X-Hub-Signature': `sha256=${hex}` }), body)).toBe(true);
  });

  it('GitLab compares its token whatever the lengths, and never a prefix', () => {
    const body = Buffer.from('{}');
    expect(verifySignature('gitlab', SECRET, getter({ 'X-Gitlab-Token': SECRET }), body)).toBe(true);
    expect(verifySignature('gitlab', SECRET, getter({ 'X-Gitlab-Token': SECRET.slice(0, -1) }), body)).toBe(false);
    expect(verifySignature('gitlab', SECRET, getter({ 'X-Gitlab-Token': SECRET + 'x' }), body)).toBe(false);
    expect(verifySignature('gitlab', SECRET, getter({ 'X-Gitlab-Token': '' }), body)).toBe(false);
  });

  it('secrets: one variable for all, a per-provider variable overrides it, empty means none', () => {
    expect(hookSecrets({ JOBSMITH_WEBHOOK_SECRET: 'a', JOBSMITH_WEBHOOK_SECRET_GITLAB: 'b', JOBSMITH_WEBHOOK_SECRET_GITEA: '' })).toEqual({ github: 'a', gitlab: 'b', gitea: 'a', bitbucket: 'a' });
    expect(hookSecrets({ JOBSMITH_WEBHOOK_SECRET_GITHUB: 'g' })).toEqual({ github: 'g' });
    expect(hookSecrets({ JOBSMITH_WEBHOOK_SECRET: '' })).toEqual({});
  });
});

describe('payloads', () => {
  const parse = (name: PayloadName, p: object = payload(name)) => parsePayload(providerOf(name), EVENT_NAMES[name].value, JSON.stringify(p));

  it('GitHub push, create and delete', () => {
    expect(parse('github-push')).toEqual({
      kind: 'repo',
      event: {
        provider: 'github',
        event: 'push',
        repoName: 'acme/payments',
        repoUrls: ['https://github.com/acme/payments.git', 'git@github.com:acme/payments.git', 'git://github.com/acme/payments.git', 'https://github.com/acme/payments', 'https://api.github.com/repos/acme/payments'],
        changes: [{ ref: 'refs/heads/feature/PAY-1', kind: 'created', after: '9049f1265b7d61be4a8904a9a27120d2064dab3b' }],
      },
    });
    const pushed = { ...payload('github-push'), created: false, before: '1'.repeat(40) };
    expect(parse('github-push', pushed)).toMatchObject({ event: { changes: [{ kind: 'pushed' }] } });
    const deleted = { ...payload('github-push'), created: false, deleted: true, after: '0'.repeat(40) };
    expect(parse('github-push', deleted)).toMatchObject({ event: { changes: [{ kind: 'deleted' }] } });
    expect(parse('github-create')).toMatchObject({ event: { event: 'create', changes: [{ ref: 'refs/heads/feature/PAY-1', kind: 'created' }] } });
    expect(parse('github-delete')).toMatchObject({ event: { event: 'delete', changes: [{ ref: 'refs/heads/feature/PAY-1', kind: 'deleted', after: '' }] } });
    expect(parse('github-create', { ...payload('github-create'), ref: 'v1.0', ref_type: 'tag' })).toMatchObject({ event: { changes: [{ ref: 'refs/tags/v1.0' }] } });
  });

  it('GitLab Push Hook: created and deleted from the zero hashes; Tag Push Hook refs are tags', () => {
    expect(parse('gitlab-push')).toMatchObject({
      event: { provider: 'gitlab', repoName: 'acme/payments', changes: [{ ref: 'refs/heads/feature/PAY-1', kind: 'created' }] },
    });
    const e = parse('gitlab-push');
    expect(e.kind === 'repo' && e.event.repoUrls).toContain('git@gitlab.example.com:acme/payments.git');
    expect(parse('gitlab-push', { ...payload('gitlab-push'), before: 'a'.repeat(40), after: '0'.repeat(40) })).toMatchObject({ event: { changes: [{ kind: 'deleted' }] } });
    const tag = parsePayload('gitlab', 'Tag Push Hook', JSON.stringify({ ...payload('gitlab-push'), object_kind: 'tag_push', ref: 'refs/tags/v2' }));
    expect(tag).toMatchObject({ event: { event: 'Tag Push Hook', changes: [{ ref: 'refs/tags/v2', kind: 'created' }] } });
    expect(parsePayload('gitlab', 'Merge Request Hook', '{"object_kind":"merge_request"}')).toMatchObject({ kind: 'other' });
  });

  it('Gitea push (no created flag: the hashes say) and create', () => {
    expect(parse('gitea-push')).toMatchObject({ event: { provider: 'gitea', repoName: 'acme/payments', changes: [{ ref: 'refs/heads/develop', kind: 'pushed' }] } });
    expect(parse('gitea-push', { ...payload('gitea-push'), before: '0'.repeat(40) })).toMatchObject({ event: { changes: [{ kind: 'created' }] } });
    expect(parse('gitea-create')).toMatchObject({ event: { event: 'create', changes: [{ ref: 'refs/heads/feature/PAY-1', kind: 'created', after: 'bffeb74224043ba2feb48d137756c8a9331c449a' }] } });
  });

  it('Bitbucket Server repo:refs_changed: every change, ADD and DELETE', () => {
    expect(parse('bitbucket-refs-changed')).toMatchObject({
      event: {
        provider: 'bitbucket',
        repoName: 'ACME/payments',
        repoUrls: ['ssh://git@bitbucket.example.com:7999/acme/payments.git', 'https://bitbucket.example.com/scm/acme/payments.git', 'https://bitbucket.example.com/projects/ACME/repos/payments/browse'],
        changes: [
          { ref: 'refs/heads/feature/PAY-1', kind: 'created' },
          { ref: 'refs/heads/old', kind: 'deleted' },
        ],
      },
    });
    expect(parsePayload('bitbucket', 'diagnostics:ping', '{"test":true}')).toMatchObject({ kind: 'other', why: 'a ping' });
  });

  it('pings and other events are "other"; malformed bodies are MalformedPayload with a reason', () => {
    expect(parsePayload('github', 'ping', '{"zen":"Design for failure.","hook_id":1}')).toEqual({ kind: 'other', event: 'ping', why: 'a ping' });
    expect(parsePayload('github', 'issues', '{"action":"opened"}')).toMatchObject({ kind: 'other', event: 'issues' });
    const bad = (provider: 'github' | 'gitlab' | 'gitea' | 'bitbucket', event: string | undefined, body: string) => () => parsePayload(provider, event, body);
    expect(bad('github', 'push', '{"ref":')).toThrow(MalformedPayload);
    expect(bad('github', 'push', '[1,2]')).toThrow(/not a JSON object/);
    expect(bad('github', 'push', '{"ref":"refs/heads/x"}')).toThrow(/"repository" is missing/);
    expect(bad('github', 'push', '{"ref":"refs/heads/x","repository":{"name":"x"}}')).toThrow(/no clone_url/);
    expect(bad('github', undefined, '{}')).toThrow(/x-github-event header is missing/);
    expect(bad('gitlab', 'Push Hook', '{"ref":"refs/heads/x"}')).toThrow(/neither "project" nor "repository"/);
    expect(bad('bitbucket', 'repo:refs_changed', JSON.stringify({ ...payload('bitbucket-refs-changed'), changes: 'x' }))).toThrow(/"changes" is missing/);
    expect(bad('gitea', 'push', JSON.stringify({ ...payload('gitea-push'), ref: 5 }))).toThrow(/"ref" is missing/);
  });

  it('branchOf keeps branch names whole', () => {
    expect(branchOf('refs/heads/feature/x/y')).toBe('feature/x/y');
    expect(branchOf('refs/tags/v1')).toBeUndefined();
  });
});

describe('repository matching', () => {
  it('the ssh and https forms, credentials, .git, a trailing slash, a port and case all agree', () => {
    const forms = [
      'https://github.com/Acme/Payments.git',
      'git@github.com:acme/payments.git',
      'ssh://git@github.com:22/acme/payments',
      'https://bot:ghp_tokenvalue1234567890@GitHub.com/acme/payments/',
      'HTTPS://github.com/acme/payments',
    ];
    const keys = new Set(forms.map((f) => repoKey(f, '/base')));
    expect([...keys]).toEqual(['github.com/acme/payments']);
    expect(repoKey('https://github.com/acme/payments-old.git', '/base')).toBe('github.com/acme/payments-old');
    expect(repoKey('svn://svn.example.com/repos/x', '/base')).toBeUndefined();
    expect(repoKey('svn+https://svn.example.com/repos/x', '/base')).toBeUndefined();
  });

  it('local repositories: a file:// URL and its path agree; the directory name is kept whole (case and .git)', () => {
    expect(repoKey('file:///srv/git/Pay.git', '/base')).toBe('file:/srv/git/Pay.git');
    expect(repoKey('/srv/git/Pay.git', '/base')).toBe('file:/srv/git/Pay.git');
    expect(repoKey('../git/Pay.git', '/srv/defs')).toBe('file:/srv/git/Pay.git');
    expect(repoKey('file:///srv/git/pay.git', '/base')).not.toBe(repoKey('file:///srv/git/Pay.git', '/base'));
  });

  it('the index gives every project naming the repository, and no other', () => {
    const index = new RepoIndex(
      [
        { project: 'pay-api', repo: 'https://github.com/acme/payments.git' },
        { project: 'pay-ui', repo: 'git@github.com:acme/payments.git' },
        { project: 'other', repo: 'https://github.com/acme/other.git' },
        { project: 'svn', repo: 'svn://svn.example.com/x' },
      ],
      '/base',
    );
    const ev = parsePayload('github', 'push', JSON.stringify(payload('github-push')));
    expect(ev.kind === 'repo' && index.projectsFor(ev.event.repoUrls)).toEqual(['pay-api', 'pay-ui']);
    expect(index.projectsFor(['https://github.com/acme/payments-fork.git'])).toEqual([]);
    expect(index.projectsFor(['https://gitlab.com/acme/payments.git'])).toEqual([]);
    expect(sameRepo(['https://github.com/acme/defs'], 'git@github.com:acme/defs.git', '/base')).toBe(true);
    expect(sameRepo(['https://github.com/acme/defs'], undefined, '/base')).toBe(false);
  });
});
