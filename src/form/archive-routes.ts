/**
 * `/archive` in `jobsmith serve`: the build relics jobsmith archived before deleting jobs, for a
 * developer whose branch job is gone. Pages (ejs, every value escaped):
 *
 *   /archive                         archived jobs, newest archiving first (?job=GLOB filters)
 *   /archive/<key>/<stamp>/          one archived job: why it went, which definitions made it,
 *                                    its result history with test summaries and artifacts
 *   /archive/<key>/<stamp>/<N>/      one build: causes, parameters, revision, the test report
 *                                    (failed cases first), artifacts to download, the console log
 *   .../<N>/log.txt                  the console log as text
 *   .../<N>/artifacts.zip            every artifact; .../<N>/artifact/<path>: one of them
 *   .../config.xml                   the job's last config.xml
 *
 * Everything shown comes from Jenkins and is untrusted: names, logs and test output are escaped;
 * downloads are served as attachments (never rendered as pages of this site), with nosniff.
 * Entry ids from the URL are checked by the store before any file is touched.
 */
import type http from 'node:http';
import ejs from 'ejs';
import { unzipSync } from 'fflate';
import picomatch from 'picomatch';
import type { ArchiveStore, ArchivedBuild, ArchivedJob } from '../model/archive-store.js';
import { formatDuration, formatTime, readWhole } from '../archive/read-archive.js';
import type { FormRoute } from './form-route.js';

const INLINE_LOG = 1024 * 1024;
const MAX_ZIP = 512 * 1024 * 1024;

export const archiveCss = `
table.runs{border-collapse:collapse;width:100%;background:#fff}
table.runs th,table.runs td{border-bottom:1px solid #dde3ea;padding:6px 8px;text-align:left;vertical-align:top}
.result{font-weight:600}.r-SUCCESS{color:#1a7f37}.r-UNSTABLE{color:#9a6700}.r-FAILURE{color:#cf222e}.r-ABORTED,.r-NOT_BUILT,.r-running{color:#57606a}
pre.log{background:#0d1117;color:#e6edf3;padding:12px;overflow:auto;max-height:70vh;white-space:pre-wrap;word-break:break-all;font:13px/1.4 ui-monospace,monospace}
.meta dt{font-weight:600}.meta dd{margin:0 0 6px 0}
.failed-case{border-left:3px solid #cf222e;padding:4px 8px;margin:6px 0;background:#fff}
.muted{color:#57606a}
.top a.archive-home{color:inherit}
`;

const layout = ejs.compile(String.raw`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= title %> · jobsmith archive</title>
<link rel="stylesheet" href="/assets/form.css">
<link rel="stylesheet" href="/archive/assets/archive.css">
</head>
<body>
<header class="top"><span class="brand">jobsmith</span> <a class="sub archive-home" href="/archive">build archive</a><% if (user) { %><span class="user">signed in as <%= user %></span><% } %></header>
<main>
<%- body %>
</main>
</body>
</html>
`);

const indexView = ejs.compile(String.raw`<h1>Archived jobs</h1>
<p class="lead">Builds of jobs jobsmith deleted (branches that are gone, projects removed), kept with their logs, test reports and artifacts.</p>
<form method="get" action="/archive"><label for="q">Job</label> <input id="q" name="job" value="<%= glob %>" placeholder="team/*"> <button type="submit">Filter</button></form>
<% if (entries.length === 0) { %><p id="empty">No archived jobs<%= glob ? ' match ' + glob : '' %>.</p><% } else { %>
<table class="runs" id="entries"><thead><tr><th>Job</th><th>Builds</th><th>Last result</th><th>Archived</th><th>Why</th></tr></thead><tbody>
<% entries.forEach(function (e) { var last = e.builds[0]; %><tr>
<td><a href="<%= entryHref(e) %>"><%= e.fullName %></a></td>
<td><%= e.builds.length %></td>
<td><% if (last) { %><span class="result r-<%= last.result || 'running' %>">#<%= last.number %> <%= last.result || 'running' %></span><% } else { %><span class="muted">none</span><% } %></td>
<td><%= time(Date.parse(e.archivedAt)) %></td>
<td><%= e.reason %></td>
</tr><% }) %></tbody></table><% } %>
`);

const entryView = ejs.compile(String.raw`<p><a href="/archive">Archived jobs</a></p>
<h1 id="job-name"><%= e.fullName %></h1>
<dl class="meta">
<dt>Archived</dt><dd><%= time(Date.parse(e.archivedAt)) %>: <%= e.reason %></dd>
<% if (e.marker) { %><dt>Made by jobsmith from</dt><dd><% if (e.marker.project) { %>project <code><%= e.marker.project %></code><% } %><% if (e.marker.template) { %>, template <code><%= e.marker.template %></code><% } %><% if (e.marker.branch) { %>, branch <code><%= e.marker.branch %></code><% } %></dd><% } %>
<% if (e.config) { %><dt>Configuration</dt><dd><a href="<%= href %>config.xml" download="config.xml">config.xml</a></dd><% } %>
</dl>
<% e.notes.forEach(function (n) { %><p class="notice"><%= n %></p><% }) %>
<h2>Result history</h2>
<% if (e.builds.length === 0) { %><p>No builds.</p><% } else { %>
<table class="runs" id="history"><thead><tr><th>Build</th><th>Result</th><th>Started</th><th>Duration</th><th>Tests</th><th>Artifacts</th></tr></thead><tbody>
<% e.builds.forEach(function (b) { %><tr>
<td><a href="<%= href %><%= b.number %>/">#<%= b.number %></a></td>
<td><span class="result r-<%= b.result || 'running' %>"><%= b.result || 'running' %></span></td>
<td><%= time(b.timestamp) %></td><td><%= duration(b.duration) %></td>
<td><% if (b.tests) { %><%= b.tests.totalCount %> tests, <%= b.tests.failCount %> failed, <%= b.tests.skipCount %> skipped<% } else { %><span class="muted">none</span><% } %></td>
<td><%= b.artifactCount %><% if (b.artifactCount && !b.artifactsCopied) { %> (listed, not copied)<% } %></td>
</tr><% }) %></tbody></table><% } %>
<% if (e.buildsNotArchived) { %><p class="muted"><%= e.buildsNotArchived %> older build(s) were not archived.</p><% } %>
`);

const buildView = ejs.compile(String.raw`<p><a href="/archive">Archived jobs</a> › <a href="<%= entryHref %>"><%= e.fullName %></a></p>
<h1><%= e.fullName %> #<%= b.number %> <span class="result r-<%= b.result || 'running' %>" id="result"><%= b.result || 'running' %></span></h1>
<dl class="meta">
<dt>Started</dt><dd><%= time(b.timestamp) %>, took <%= duration(b.duration) %></dd>
<% b.causes.forEach(function (c) { %><dt>Cause</dt><dd><%= c.shortDescription || c.className %></dd><% }) %>
<% if (b.parameters.length) { %><dt>Parameters</dt><dd><% b.parameters.forEach(function (p) { %><code><%= p.name %>=<%= p.value === undefined ? '(not exported)' : String(p.value) %></code> <% }) %></dd><% } %>
<% if (b.revision) { %><dt>Revision</dt><dd><code><%= b.revision.sha1 %></code> <%= b.revision.branches.join(', ') %></dd><% } %>
</dl>
<h2>Tests</h2>
<% if (!b.tests) { %><p id="tests">No test report.</p><% } else { %>
<p id="tests"><%= b.tests.totalCount %> tests, <%= b.tests.failCount %> failed, <%= b.tests.skipCount %> skipped</p>
<% failed.forEach(function (c) { %><div class="failed-case"><strong><%= c.className %>.<%= c.name %></strong><% if (c.errorDetails) { %><div><%= c.errorDetails %></div><% } %></div><% }) %>
<% if (suites.length) { %><details><summary>All cases</summary><ul id="cases"><% suites.forEach(function (s) { s.cases.forEach(function (c) { %><li><%= c.className %>.<%= c.name %>: <%= c.status %></li><% }) }) %></ul></details><% } %>
<% } %>
<h2>Artifacts</h2>
<% if (b.artifacts.list.length === 0) { %><p>None.</p><% } else { %>
<ul id="artifacts"><% b.artifacts.list.forEach(function (a) { %><li><% if (b.artifacts.copied) { %><a href="artifact/<%= pathHref(a.relativePath) %>" download><%= a.relativePath %></a><% } else { %><%= a.relativePath %><% } %></li><% }) %></ul>
<% if (b.artifacts.copied) { %><p><a href="artifacts.zip" download id="zip">All artifacts (zip)</a></p><% } else { %><p class="notice" id="not-copied">Not copied: <%= b.artifacts.notCopied %></p><% } %>
<% } %>
<h2>Console output</h2>
<p><a href="log.txt" id="raw-log">Plain text</a><% if (cut) { %> · the last <%= shown %> bytes of <%= total %> are shown<% } %></p>
<pre class="log" id="log"><%= log %></pre>
`);

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A file name safe in a Content-Disposition header (the name itself can be anything). */
function disposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'file';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function hrefOf(id: string): string {
  return `/archive/${id.split('/').map(encodeURIComponent).join('/')}/`;
}

interface TestCaseJson { className?: unknown; name?: unknown; status?: unknown; errorDetails?: unknown }
interface SuiteJson { cases?: unknown }

/** The archived test report, read for display (any shape: it comes from Jenkins). */
function testCases(text: string | undefined): { suites: Array<{ cases: Array<{ className: string; name: string; status: string; errorDetails?: string }> }> } {
  if (!text) return { suites: [] };
  let j: { suites?: unknown };
  try {
    j = JSON.parse(text) as { suites?: unknown };
  } catch {
    return { suites: [] };
  }
  const suites = (Array.isArray(j.suites) ? j.suites : []).map((s: SuiteJson) => ({
    cases: (Array.isArray(s?.cases) ? s.cases : []).map((c: TestCaseJson) => {
      const out: { className: string; name: string; status: string; errorDetails?: string } = { className: String(c?.className ?? ''), name: String(c?.name ?? ''), status: String(c?.status ?? '') };
      if (typeof c?.errorDetails === 'string') out.errorDetails = c.errorDetails;
      return out;
    }),
  }));
  return { suites };
}

export function archiveRoutes(store: ArchiveStore): FormRoute {
  return {
    async handle(req, res, url, ctx) {
      const p = url.pathname;
      if (p !== '/archive' && !p.startsWith('/archive/')) return false;
      const headers = ctx.headers;
      const text = (status: number, body: string) => send(res, status, 'text/plain; charset=utf-8', body, headers);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { ...headers, allow: 'GET, HEAD' });
        return true;
      }
      if (p === '/archive/assets/archive.css') {
        send(res, 200, 'text/css; charset=utf-8', archiveCss, headers);
        return true;
      }
      const page = (status: number, title: string, body: string) => send(res, status, 'text/html; charset=utf-8', layout({ title, body, user: ctx.user }), headers);
      if (ctx.refusal) {
        page(403, 'Not allowed', `<h1>Not allowed</h1><p>${ejs.escapeXML(ctx.refusal)}</p>`);
        return true;
      }
      const common = { time: formatTime, duration: formatDuration };
      if (p === '/archive' || p === '/archive/') {
        const glob = (url.searchParams.get('job') ?? '').slice(0, 500);
        let match: (s: string) => boolean = () => true;
        if (glob !== '') {
          try {
            match = picomatch(glob, { dot: true });
          } catch {
            match = (s) => s.includes(glob);
          }
        }
        const entries = (await store.list()).filter((e) => match(e.fullName));
        page(200, 'Archived jobs', indexView({ ...common, entries, glob, entryHref: (e: ArchivedJob) => hrefOf(e.id) }));
        return true;
      }
      let segs: string[];
      try {
        segs = p.slice('/archive/'.length).split('/').map(decodeURIComponent);
      } catch {
        text(404, 'not found\n');
        return true;
      }
      const trailing = segs[segs.length - 1] === '';
      if (trailing) segs.pop();
      const entry = segs.length >= 2 ? await store.entry(`${segs[0]}/${segs[1]}`) : undefined;
      if (!entry) {
        text(404, 'not found\n');
        return true;
      }
      const rest = segs.slice(2);
      const href = hrefOf(entry.id);
      if (rest.length === 0) {
        if (!trailing) return redirect(res, href, headers);
        page(200, entry.fullName, entryView({ ...common, e: entry, href }));
        return true;
      }
      if (rest.length === 1 && rest[0] === 'config.xml') {
        const xml = await readWhole(store, entry.id, { kind: 'config' });
        if (!xml) text(404, 'not found\n');
        else send(res, 200, 'text/plain; charset=utf-8', xml, { ...headers, 'content-disposition': disposition('config.xml') });
        return true;
      }
      if (!/^[1-9]\d{0,9}$/.test(rest[0]!)) {
        text(404, 'not found\n');
        return true;
      }
      const number = Number(rest[0]);
      const build = entry.builds.some((b) => b.number === number) ? await store.build(entry.id, number) : undefined;
      if (!build) {
        text(404, 'not found\n');
        return true;
      }
      const tail = rest.slice(1);
      if (tail.length === 0) {
        if (!trailing) return redirect(res, `${href}${number}/`, headers);
        await buildPage(store, entry, build, href, (title, body) => page(200, title, body), common);
        return true;
      }
      if (tail.length === 1 && tail[0] === 'log.txt') {
        const log = await readWhole(store, entry.id, { kind: 'console', build: number });
        send(res, 200, 'text/plain; charset=utf-8', log ?? '', headers);
        return true;
      }
      if (tail.length === 1 && tail[0] === 'artifacts.zip' && build.artifacts.copied) {
        const zip = await readWhole(store, entry.id, { kind: 'artifacts', build: number }, MAX_ZIP);
        if (!zip) text(404, 'not found\n');
        else send(res, 200, 'application/zip', zip, { ...headers, 'content-disposition': disposition(`${entry.fullName.split('/').pop()}-${number}-artifacts.zip`) });
        return true;
      }
      if (tail[0] === 'artifact' && tail.length > 1 && build.artifacts.copied) {
        const rel = tail.slice(1).join('/');
        if (!build.artifacts.list.some((a) => a.relativePath === rel)) {
          text(404, 'not found\n');
          return true;
        }
        const zip = await readWhole(store, entry.id, { kind: 'artifacts', build: number }, MAX_ZIP);
        const files = zip ? unzipSync(zip, { filter: (f) => f.name === `archive/${rel}` }) : {};
        const bytes = files[`archive/${rel}`];
        if (!bytes) text(404, 'not found\n');
        else send(res, 200, 'application/octet-stream', Buffer.from(bytes), { ...headers, 'content-disposition': disposition(rel.split('/').pop()!) });
        return true;
      }
      text(404, 'not found\n');
      return true;
    },
  };
}

function redirect(res: http.ServerResponse, to: string, headers: Record<string, string>): true {
  res.writeHead(301, { ...headers, location: to, 'content-length': 0 });
  res.end();
  return true;
}

async function buildPage(
  store: ArchiveStore,
  e: ArchivedJob,
  b: ArchivedBuild,
  entryHref: string,
  page: (title: string, body: string) => void,
  common: { time: (ms: number) => string; duration: (ms: number) => string },
): Promise<void> {
  const logBuf = (await readWhole(store, e.id, { kind: 'console', build: b.number })) ?? Buffer.alloc(0);
  const cut = logBuf.length > INLINE_LOG;
  const log = (cut ? logBuf.subarray(logBuf.length - INLINE_LOG) : logBuf).toString('utf8');
  const report = b.tests ? (await readWhole(store, e.id, { kind: 'test-report', build: b.number }, 64 * 1024 * 1024))?.toString('utf8') : undefined;
  const { suites } = testCases(report);
  const failed = suites.flatMap((s) => s.cases).filter((c) => c.status === 'FAILED' || c.status === 'REGRESSION');
  const pathHref = (rel: string) => rel.split('/').map(encodeURIComponent).join('/');
  page(`${e.fullName} #${b.number}`, buildView({ ...common, e, b, entryHref, log, cut, shown: INLINE_LOG, total: logBuf.length, suites, failed, pathHref }));
}
