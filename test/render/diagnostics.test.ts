import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../src/load/workspace.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';
import { renderTree, SIMPLE_TEMPLATE, tempTree } from './workspace-fixture.js';

const T = { 'job-templates/Simple-config.xml': SIMPLE_TEMPLATE };
const OK_TOKENS = 'tokens:\n  DESC.TEXT: d\n  SCM.PATH: svn://x\n  CMD.ARGS: a\n';

describe('diagnostics', () => {
  it('a valid workspace has none', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': `templates: [Simple]\n${OK_TOKENS}` });
    expect(r.lines).toEqual([]);
    expect(r.desired.jobs.map((j) => j.fullName)).toEqual(['p-Simple']);
  });

  it('YAML syntax errors with line and column', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': 'templates: [Simple\ntokens: {' });
    expect(r.lines[0]).toMatch(/^jobs\/p\.yaml:\d+:\d+: error: YAML: /);
    expect(r.desired.jobs).toEqual([]);
  });

  it('duplicate keys', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': `templates: [Simple]\n${OK_TOKENS}  SCM.PATH: again\n` });
    expect(r.lines).toEqual(['jobs/p.yaml:6:3: error: duplicate key SCM.PATH']);
  });

  it('unknown keys with a hint, at every level', async () => {
    const r = await renderTree({
      ...T,
      'job-templates/Simple.yaml': 'descripton: x\ntokens:\n  SCM.PATH:\n    patern: x\n',
      'jobs/_defaults.yaml': 'token:\n  A.B: c\n',
      'jobs/p.yaml': `templats: [Simple]\ntemplates:\n  - template: Simple\n    tokenz: {}\nbranches:\n  repo: x\n  templates: [Simple]\n  keepdays: 1\n${OK_TOKENS}`,
    });
    expect(r.lines).toEqual([
      'job-templates/Simple.yaml:1:1: error: unknown key "descripton" (did you mean description?) (known: description, ejs, tokens) [descripton]',
      'job-templates/Simple.yaml:4:5: error: unknown key "patern" (did you mean pattern?) (known: description, default, required, pattern, allowed, example, label, hint) [tokens.SCM.PATH.patern]',
      'jobs/_defaults.yaml:1:1: error: unknown key "token" (did you mean tokens?) (known: tokens) [token]',
      'jobs/p.yaml:1:1: error: unknown key "templats" (did you mean templates?) (known: project, templates, tokens, folder, view, disabled, branches, archive, controller) [templats]',
      'jobs/p.yaml:4:5: error: unknown key "tokenz" (did you mean tokens?) (known: template, job, tokens, disabled) [templates[0].tokenz]',
      'jobs/p.yaml:8:3: error: unknown key "keepdays" (did you mean keep_days?) (known: repo, include, exclude, refs, templates, keep_days, max, archive, build_on_create) [branches.keepdays]',
    ]);
  });

  it('unknown template with a hint', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': `templates: [Simpel]\n${OK_TOKENS}` });
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^jobs\/p\.yaml:1:13: error: unknown template "Simpel" \(did you mean Simple\?\): no file .*Simpel-config\.xml \(templates: Simple\) \[templates\[0\]\]$/);
  });

  it('missing token value names the template file and line', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': 'templates:\n  - Simple\ntokens:\n  DESC.TEXT: d\n  SCM_PATH: x\n  CMD.ARGS: a\n' });
    expect(r.lines).toEqual([
      'jobs/p.yaml:2:5: error: no value for token SCM.PATH, used by template Simple at job-templates/Simple-config.xml:4:49 [tokens.SCM.PATH]',
      'jobs/p.yaml:5:3: error: "SCM_PATH" is not a token name: upper-case letters, digits and _ with at least one dot, e.g. SCM.PATH (did you mean SCM.PATH?) [tokens.SCM_PATH]',
    ]);
    expect(r.desired.jobs).toEqual([]);
  });

  it('value for a token no template uses, with a typo hint', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': `templates: [Simple]\n${OK_TOKENS}  SCM.PTH: y\n  OTHER.THING: z\n` });
    expect(r.lines).toEqual([
      'jobs/p.yaml:6:3: error: no template of project p uses the token SCM.PTH (did you mean SCM.PATH?) [tokens.SCM.PTH]',
      'jobs/p.yaml:7:3: error: no template of project p uses the token OTHER.THING [tokens.OTHER.THING]',
    ]);
  });

  it('per-template overrides must be used by that template; defaults by some template', async () => {
    const r = await renderTree({
      ...T,
      'jobs/_defaults.yaml': 'tokens:\n  CMD.ARG: x\n',
      'jobs/p.yaml': `templates:\n  - template: Simple\n    tokens: {DESC.TXT: y}\n${OK_TOKENS}`,
    });
    expect(r.lines).toEqual([
      'jobs/_defaults.yaml:2:3: error: no template uses the token CMD.ARG (did you mean CMD.ARGS?) [tokens.CMD.ARG]',
      'jobs/p.yaml:3:14: error: template Simple does not use the token DESC.TXT (did you mean DESC.TEXT?) [templates[0].tokens.DESC.TXT]',
    ]);
  });

  it('sidecar pattern and allowed values', async () => {
    const r = await renderTree({
      ...T,
      'job-templates/Simple.yaml': "tokens:\n  SCM.PATH:\n    pattern: 'svn://\\S+'\n  CMD.ARGS:\n    allowed: [a, b]\n",
      'jobs/p.yaml': 'templates: [Simple]\ntokens:\n  DESC.TEXT: d\n  SCM.PATH: http://x\n  CMD.ARGS: c\n',
    });
    expect(r.lines).toEqual([
      'jobs/p.yaml:4:13: error: SCM.PATH must match the pattern svn://\\S+ (got "http://x") (rule from job-templates/Simple.yaml) [tokens.SCM.PATH]',
      'jobs/p.yaml:5:13: error: CMD.ARGS must be one of "a", "b" (got "c") (rule from job-templates/Simple.yaml) [tokens.CMD.ARGS]',
    ]);
  });

  it('sidecar defaults and optional tokens fill missing values', async () => {
    const r = await renderTree({
      ...T,
      'job-templates/Simple.yaml': 'tokens:\n  SCM.PATH:\n    default: svn://default\n  CMD.ARGS:\n    required: false\n',
      'jobs/p.yaml': 'templates: [Simple]\ntokens:\n  DESC.TEXT: d\n',
    });
    expect(r.lines).toEqual([]);
    expect(r.desired.jobs[0]!.config).toContain('remote="svn://default"');
    expect(r.desired.jobs[0]!.config).toContain('<![CDATA[echo ]]>');
  });

  it('sidecar problems: a documented token the template does not use (warning), a bad pattern, a bad default, an orphan sidecar', async () => {
    const r = await renderTree({
      ...T,
      'job-templates/Simple.yaml': "tokens:\n  NOT.USED: x\n  SCM.PATH:\n    pattern: '('\n  CMD.ARGS:\n    allowed: [a]\n    default: b\n",
      'job-templates/Ghost.yaml': 'description: x\n',
      'jobs/p.yaml': `templates: [Simple]\n${OK_TOKENS}`,
    });
    expect(r.lines).toEqual([
      expect.stringMatching(/^job-templates\/Ghost\.yaml: warning: sidecar without a template: expected .*Ghost-config\.xml$/),
      'job-templates/Simple.yaml:2:3: warning: the sidecar documents NOT.USED, which job-templates/Simple-config.xml does not use [tokens.NOT.USED]',
      expect.stringMatching(/^job-templates\/Simple\.yaml:4:14: error: pattern is not a valid regular expression: .* \[tokens\.SCM\.PATH\.pattern\]$/),
      'job-templates/Simple.yaml:6:5: error: default of CMD.ARGS must be one of "a" (got "b") [tokens.CMD.ARGS.default]',
    ]);
  });

  it('template not well-formed: an error in the template, and no job', async () => {
    const r = await renderTree({ 'job-templates/Bad-config.xml': '<project>\n  <a>$X.Y</b>\n</project>\n', 'jobs/p.yaml': 'templates: [Bad]\ntokens: {X.Y: v}\n' });
    expect(r.lines).toEqual(['job-templates/Bad-config.xml:2:10: error: not well-formed XML: close tag </b> does not match <a> opened at 2:3']);
    expect(r.desired.jobs).toEqual([]);
  });

  it('unknown root element is a warning', async () => {
    const r = await renderTree({ 'job-templates/Odd-config.xml': '<my.Job/>\n', 'jobs/p.yaml': 'templates: [Odd]\n' });
    expect(r.lines).toEqual([expect.stringMatching(/^job-templates\/Odd-config\.xml:1: warning: root element <my\.Job> is not a job, folder or view type jobsmith knows/)]);
    expect(r.desired.jobs).toHaveLength(1);
  });

  it('job names Jenkins refuses', async () => {
    const r = await renderTree({
      ...T,
      'jobs/p.yaml': `templates:\n  - {template: Simple, job: 'a/b'}\n  - {template: Simple, job: '..'}\n  - {template: Simple, job: 'x.'}\n  - {template: Simple, job: ''}\n  - {template: Simple, job: 'a?b'}\n${OK_TOKENS}`,
    });
    expect(r.lines).toEqual([
      'jobs/p.yaml:2:29: error: job name "a/b": ‘/’ is an unsafe character [templates[0].job]',
      'jobs/p.yaml:3:29: error: job name "..": “..” is not an allowed name [templates[1].job]',
      'jobs/p.yaml:4:29: error: job name "x.": A name cannot end with ‘.’ [templates[2].job]',
      'jobs/p.yaml:5:29: error: job name "": No name is specified [templates[3].job]',
      'jobs/p.yaml:6:29: error: job name "a?b": ‘?’ is an unsafe character [templates[4].job]',
    ]);
  });

  it('a project name with an unsafe character makes bad job names', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': `project: 'a:b'\ntemplates: [Simple]\n${OK_TOKENS}` });
    expect(r.lines).toEqual(['jobs/p.yaml:2:13: error: job name "a:b-Simple": ‘:’ is an unsafe character [project]']);
  });

  it('duplicate job names, compared case-insensitively; duplicate projects', async () => {
    const r = await renderTree({
      ...T,
      'jobs/a.yaml': `project: Pay\ntemplates:\n  - Simple\n  - {template: Simple, job: PAY-simple}\n${OK_TOKENS}`,
      'jobs/b.yaml': `project: pay\ntemplates: [Simple]\n${OK_TOKENS}`,
    });
    expect(r.lines).toEqual([
      expect.stringMatching(/^jobs\/a\.yaml:4:29: error: job PAY-simple has the same name as Pay-Simple \(Jenkins compares names case-insensitively\), made at .*a\.yaml:3:5/),
      expect.stringMatching(/^jobs\/b\.yaml:1:10: error: project pay is also defined in .*a\.yaml \[project\]$/),
      expect.stringMatching(/^jobs\/b\.yaml:2:13: error: job pay-Simple has the same name as Pay-Simple/),
    ]);
  });

  it('bad folder and view names', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': `folder: 'a/b:c'\nview: 'v|w'\ntemplates: [Simple]\n${OK_TOKENS}` });
    expect(r.lines).toEqual([
      'jobs/p.yaml:1:1: error: folder "a/b:c": ‘:’ is an unsafe character [folder]',
      'jobs/p.yaml:2:1: error: view "v|w": ‘|’ is an unsafe character [view]',
    ]);
  });

  it('built-in tokens cannot be set; token names must be upper-case dotted', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': `templates: [Simple]\n${OK_TOKENS}  HUDSON.JOB.NAME: x\n  scm.path: y\n` });
    expect(r.lines).toEqual([
      'jobs/p.yaml:6:3: error: HUDSON.JOB.NAME is set by jobsmith and cannot be given a value [tokens.HUDSON.JOB.NAME]',
      'jobs/p.yaml:7:3: error: "scm.path" is not a token name: upper-case letters, digits and _ with at least one dot, e.g. SCM.PATH (did you mean SCM.PATH?) [tokens.scm.path]',
    ]);
  });

  it('BRANCH.* tokens only in branch templates', async () => {
    const files = { 'job-templates/B-config.xml': '<project><d>$BRANCH.NAME $BRANCH.SLUG $X.Y</d></project>' };
    const plain = await renderTree({ ...files, 'jobs/p.yaml': 'templates: [B]\ntokens: {X.Y: v}\n' });
    expect(plain.lines).toEqual([
      'jobs/p.yaml:1:13: error: template B uses BRANCH.NAME (job-templates/B-config.xml:1:13), which only branch jobs have: list it under branches.templates [templates[0]]',
      'jobs/p.yaml:1:13: error: template B uses BRANCH.SLUG (job-templates/B-config.xml:1:26), which only branch jobs have: list it under branches.templates [templates[0]]',
    ]);
    const branch = await renderTree({ ...files, 'jobs/p.yaml': 'branches:\n  repo: https://git.example.com/p.git\n  templates: [B]\ntokens: {X.Y: v}\n' });
    expect(branch.lines).toEqual([]);
    expect(branch.workspace.definitions[0]!.branches).toMatchObject({ repo: 'https://git.example.com/p.git', keep_days: 3, templates: [{ template: 'B' }] });
    const missing = await renderTree({ ...files, 'jobs/p.yaml': 'branches:\n  repo: https://git.example.com/p.git\n  templates: [B]\n' });
    expect(missing.lines).toEqual([expect.stringMatching(/^jobs\/p\.yaml:3:15: error: no value for token X\.Y, used by template B at job-templates\/B-config\.xml:1:39/)]);
  });

  it('branches shape: types, ranges, required keys', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': `templates: [Simple]\n${OK_TOKENS}branches:\n  include: x\n  exclude: {a: b}\n  keep_days: -1\n  max: 0\n` });
    expect(r.lines).toEqual([
      'jobs/p.yaml:6:1: error: branches needs `repo:` (the git or Subversion URL to list branches from) [branches.repo]',
      'jobs/p.yaml:6:1: error: branches needs `templates:` (the templates rendered once per branch) [branches.templates]',
      'jobs/p.yaml:8:12: error: branches.exclude must be a list [branches.exclude]',
      'jobs/p.yaml:9:14: error: branches.keep_days must be a whole number >= 0 [branches.keep_days]',
      'jobs/p.yaml:10:8: error: branches.max must be a whole number >= 1 [branches.max]',
    ]);
  });

  it('a list value for a token a plain template uses as text', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': 'templates: [Simple]\ntokens:\n  DESC.TEXT: [a, b]\n  SCM.PATH: x\n  CMD.ARGS: y\n' });
    expect(r.lines).toEqual([expect.stringMatching(/^jobs\/p\.yaml:3:14: error: DESC\.TEXT is a list, but template Simple uses it as text at job-templates\/Simple-config\.xml:3:16/)]);
  });

  it('a value with a character XML cannot carry', async () => {
    const r = await renderTree({ ...T, 'jobs/p.yaml': 'templates: [Simple]\ntokens:\n  DESC.TEXT: "a\\u0000b"\n  SCM.PATH: x\n  CMD.ARGS: y\n' });
    expect(r.lines).toEqual(['jobs/p.yaml:3:14: error: value of DESC.TEXT contains U+0000, which XML 1.0 cannot carry (job p-Simple) [tokens.DESC.TEXT]']);
    expect(r.desired.jobs).toEqual([]);
  });

  it('reports everything at once', async () => {
    const r = await renderTree({
      ...T,
      'job-templates/Bad-config.xml': '<a>',
      'jobs/a.yaml': 'templates: [Nope]\n',
      'jobs/b.yaml': 'templates: [Simple]\n',
      'jobs/c.yaml': 'templates: [Simple\n',
      'jobs/d.yaml': `templates: [Simple]\n${OK_TOKENS}  X.Y: 1\n`,
    });
    const files = new Set(r.diagnostics.filter((d) => d.severity === 'error').map((d) => path.basename(d.file ?? '')));
    expect([...files].sort()).toEqual(['Bad-config.xml', 'a.yaml', 'b.yaml', 'c.yaml', 'd.yaml']);
    expect(r.diagnostics.filter((d) => d.file?.endsWith('b.yaml'))).toHaveLength(3);
  });
});

describe('ejs opt-in', () => {
  const EJS = `<?xml version='1.0' encoding='UTF-8'?>
<project>
  <description><%= value('DESC.TEXT') %> for $PROJECT.NAME</description>
<% if (has('MVN.PROFILES')) { -%>
  <profiles><% for (const p of list('MVN.PROFILES')) { %><profile name="<%= p %>"><%= p %></profile><% } %></profiles>
<% } -%>
  <script><![CDATA[<%= value('DESC.TEXT') %>]]></script>
</project>
`;
  const sidecar = 'ejs: true\ntokens:\n  DESC.TEXT: {description: d}\n  MVN.PROFILES: {required: false}\n';

  it('renders optional blocks and loops, escaping every output for its context', async () => {
    const r = await renderTree({
      'job-templates/E-config.xml': EJS,
      'job-templates/E.yaml': sidecar,
      'jobs/p.yaml': `templates: [E]\ntokens:\n  DESC.TEXT: "a]]><x>&$B.C"\n  MVN.PROFILES: ['q"<', 'r']\n`,
    });
    expect(r.lines).toEqual([]);
    expect(r.desired.jobs[0]!.config).toBe(`<?xml version='1.0' encoding='UTF-8'?>
<project>
  <description>a]]&gt;&lt;x&gt;&amp;$B.C for p</description>
  <profiles><profile name="q&quot;&lt;">q"&lt;</profile><profile name="r">r</profile></profiles>
  <script><![CDATA[a]]]]><![CDATA[><x>&$B.C]]></script>
</project>
`);
    const none = await renderTree({ 'job-templates/E-config.xml': EJS, 'job-templates/E.yaml': sidecar, 'jobs/p.yaml': 'templates: [E]\ntokens:\n  DESC.TEXT: x\n' });
    expect(none.desired.jobs[0]!.config).not.toContain('<profiles>');
  });

  it('ejs tags in templates that did not opt in pass through untouched', async () => {
    const text = '<project><script><![CDATA[<% out.println("$X.Y") %>]]></script><d>&lt;%= x %&gt;</d></project>';
    const r = await renderTree({ 'job-templates/J-config.xml': text, 'jobs/p.yaml': 'templates: [J]\ntokens: {X.Y: v}\n' });
    expect(r.desired.jobs[0]!.config).toBe(text.replace('$X.Y', 'v'));
  });

  it('refuses raw output <%- and reports output that is not well-formed', async () => {
    const raw = await renderTree({ 'job-templates/E-config.xml': '<project><%- value("A.B") %></project>', 'job-templates/E.yaml': 'ejs: true\ntokens: {A.B: {}}\n', 'jobs/p.yaml': 'templates: [E]\ntokens: {A.B: x}\n' });
    expect(raw.lines).toEqual(['job-templates/E-config.xml:1:10: error: ejs raw output <%- is not allowed (values must be escaped): use <%= instead']);
    const broken = await renderTree({ 'job-templates/E-config.xml': '<project><% if (true) { %><q><% } %></project>', 'job-templates/E.yaml': 'ejs: true\n', 'jobs/p.yaml': 'templates: [E]\n' });
    expect(broken.lines).toEqual([expect.stringMatching(/^jobs\/p\.yaml:1:13: error: the output of ejs template E for job p-E is not well-formed XML at output line 1:13: close tag <\/project> does not match <q>/)]);
  });
});

describe('overlay', () => {
  it('validates a prospective definition with the same code, replacing or adding files', async () => {
    const t = tempTree({ ...T, 'jobs/p.yaml': `templates: [Simple]\n${OK_TOKENS}` });
    try {
      const jobsDir = path.join(t.dir, 'jobs');
      const { workspace, diagnostics } = await loadWorkspace({
        templatesDir: path.join(t.dir, 'job-templates'),
        jobsDir,
        overlay: [
          { file: path.join(jobsDir, 'p.yaml'), text: 'templates: [Simple]\n' },
          { file: path.join(jobsDir, 'q.yaml'), text: `templates: [Simple]\n${OK_TOKENS}` },
        ],
      });
      expect(diagnostics).toEqual([]);
      const r = renderWorkspace(workspace);
      expect(r.diagnostics.filter((d) => d.code === 'missing-token').map((d) => path.basename(d.file!))).toEqual(['p.yaml', 'p.yaml', 'p.yaml']);
      expect(r.desired.jobs.map((j) => j.fullName)).toEqual(['q-Simple']);
    } finally {
      t.cleanup();
    }
  });
});
