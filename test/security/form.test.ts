/**
 * The create-job web form (issue 10): every echoed input is escaped (property over hostile values
 * in every field, for the preview and for a refused create), and cross-site form posts are refused
 * with nothing committed: foreign Origin, opaque Origin, Sec-Fetch-Site cross-site, missing or
 * foreign CSRF token, a text/plain "simple" post, and a valid token replayed from another site.
 */
import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import { startFormServer, type RunningFormServer } from '../../src/form/form-server.js';
import { renderChecker } from '../../src/form/render-checker.js';
import { definitionsFiles } from '../form/fixtures.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from '../form/git-fixtures.js';
import { countCase, countCoverage, newFigures, runs, saveFigures } from '../reliability/figures.js';

const figures = newFigures();
afterAll(() => saveFigures('form', figures));

let repo: DefinitionsRepo;
let form: RunningFormServer;

beforeAll(async () => {
  repo = makeDefinitionsRepo(definitionsFiles());
  const dirs = { templatesDir: path.join(repo.work, 'job-templates'), jobsDir: path.join(repo.work, 'jobs') };
  form = await startFormServer({
    checker: renderChecker(dirs),
    store: new DefinitionsStore({ dir: repo.work, identity: { name: 'bot', email: 'bot@example.test' } }),
    via: 'the web form',
    definitionsLabel: 'jobs/',
    refreshMs: 0,
  });
});
afterAll(async () => {
  await form?.close();
  repo?.cleanup();
});

function commits(): number {
  return Number(git(repo.bare, 'rev-list', '--count', 'main'));
}

async function session(): Promise<{ cookie: string; token: string; page: string }> {
  const res = await fetch(form.url + '/');
  const page = await res.text();
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, token: /name="csrf" value="([^"]+)"/.exec(page)![1]!, page };
}

async function post(body: URLSearchParams | string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(form.url + '/', { method: 'POST', headers, body, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '<!--',
  ']]><script>x</script>',
  '${7*7}<%= 7*7 %>',
  'javascript:alert(1)',
  '&lt;script&gt;',
  '<a href="//evil.example">x</a>',
];
const hostile = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...PAYLOADS), fc.string({ unit: 'grapheme', maxLength: 6 })).map(([a, p, b]) => a + p + b),
);

/** Raw fragments of a value that must never reach the page unescaped. */
function dangerous(v: string): string[] {
  return PAYLOADS.filter((p) => v.includes(p) && /[<>"]/.test(p));
}

const N = runs(40, 10);

describe('web form: echoed input is escaped', () => {
  it(`hostile values in every field come back escaped, in the preview and in a refused create (${N} cases)`, async () => {
    const { page: baseline } = await session();
    const scripts = (html: string) => (html.match(/<script\b/gi) ?? []).length;
    // event-handler attributes of real tags: attribute names read with HTML's attribute syntax
    // (quoted values skipped), so an escaped value that merely contains "onerror=" does not count
    const handlers = (html: string) => {
      let n = 0;
      for (const tag of html.match(/<[a-zA-Z][^\s/>]*(?:\s+[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>/g) ?? []) {
        for (const a of tag.matchAll(/\s([^\s"'=<>/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g)) if (/^on/i.test(a[1]!)) n++;
      }
      return n;
    };
    const before = commits();
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, hostile, hostile, fc.constantFrom('preview', 'create'), async (project, folder, view, tokenValue, author, action) => {
        countCase(figures, 'form: hostile values echoed escaped (preview and refused create)');
        figures.badInputs += 5;
        const s = await session();
        const body = new URLSearchParams({ csrf: s.token, action, project, folder, view, templates: 'Build', 'token.SCM.URL': tokenValue, 'token.MVN.GOALS': tokenValue, authorName: author, authorEmail: author });
        const r = await post(body, { cookie: s.cookie, origin: form.url, 'content-type': 'application/x-www-form-urlencoded' });
        expect([200, 409, 422]).toContain(r.status);
        if (r.status !== 200) countCoverage(figures, 'form: refused creates echoing hostile input');
        for (const v of [project, folder, view, tokenValue, author]) {
          for (const d of dangerous(v)) expect(r.text.includes(d), `unescaped ${JSON.stringify(d)} in the page`).toBe(false);
        }
        expect(scripts(r.text), 'a value added a <script> element').toBe(scripts(baseline));
        expect(handlers(r.text), 'an event-handler attribute was injected into a tag').toBe(handlers(baseline));
      }),
      { numRuns: N },
    );
    expect(commits(), 'a hostile create was committed').toBe(before);
  }, 300_000);
});

describe('web form: cross-site posts are refused, nothing is committed', () => {
  it('foreign or opaque Origin, cross-site fetch metadata, missing/foreign token, text/plain', async () => {
    const before = commits();
    const s = await session();
    const other = await session();
    const valid = () => new URLSearchParams({ csrf: s.token, action: 'create', project: `xsite${Math.floor(Math.random() * 1e6)}`, templates: 'Build', 'token.SCM.URL': 'https://svn.example.com/x' });
    const form_ = 'application/x-www-form-urlencoded';
    const cases: Array<[string, URLSearchParams | string, Record<string, string>]> = [
      ['foreign Origin with a valid token and cookie', valid(), { cookie: s.cookie, origin: 'http://evil.example', 'content-type': form_ }],
      ['foreign Origin on the same host, other port', valid(), { cookie: s.cookie, origin: form.url.replace(/:(\d+)$/, (_, p: string) => `:${Number(p) + 1}`), 'content-type': form_ }],
      ['opaque Origin (null)', valid(), { cookie: s.cookie, origin: 'null', 'content-type': form_ }],
      ['Sec-Fetch-Site: cross-site', valid(), { cookie: s.cookie, 'sec-fetch-site': 'cross-site', 'content-type': form_ }],
      ['Sec-Fetch-Site: same-site (a sibling subdomain)', valid(), { cookie: s.cookie, 'sec-fetch-site': 'same-site', 'content-type': form_ }],
      ['no CSRF token', new URLSearchParams({ action: 'create', project: 'xsite-a', templates: 'Build' }), { cookie: s.cookie, origin: form.url, 'content-type': form_ }],
      ['no cookie', valid(), { origin: form.url, 'content-type': form_ }],
      ["another session's token", new URLSearchParams({ csrf: other.token, action: 'create', project: 'xsite-b', templates: 'Build' }), { cookie: s.cookie, origin: form.url, 'content-type': form_ }],
      ['forged token', new URLSearchParams({ csrf: 'A'.repeat(s.token.length), action: 'create', project: 'xsite-c', templates: 'Build' }), { cookie: s.cookie, origin: form.url, 'content-type': form_ }],
      ['text/plain simple post', `csrf=${s.token}&action=create&project=xsite-d&templates=Build`, { cookie: s.cookie, 'content-type': 'text/plain' }],
      ['multipart post', `csrf=${s.token}`, { cookie: s.cookie, origin: form.url, 'content-type': 'multipart/form-data; boundary=x' }],
    ];
    for (const [label, body, headers] of cases) {
      figures.badInputs++;
      countCase(figures, 'form: cross-site post refused');
      const r = await post(body, headers);
      expect(r.status, label).toBe(403);
      expect(r.text.includes('evil.example') ? r.text.includes('<script') : true).toBe(true);
    }
    expect(commits()).toBe(before);
    // and the page may not be framed by another site (clickjacking)
    const res = await fetch(form.url + '/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(/frame-ancestors 'none'|frame-ancestors 'self'/.test(csp) || /deny|sameorigin/i.test(res.headers.get('x-frame-options') ?? '')).toBe(true);
    // a genuine same-site post still works (so the refusals above are not a broken form)
    const ok = await post(valid(), { cookie: s.cookie, origin: form.url, 'content-type': form_ });
    expect([201, 502], ok.text.slice(0, 300)).toContain(ok.status);
    expect(commits()).toBe(before + 1);
  }, 120_000);
});
