import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { catalogFromTemplates, type TemplateInfo } from '../../src/form/form-catalog.js';
import { definitionText, requestDiagnostics } from '../../src/form/project-request.js';
import { parameterDefinitionsXml, parameterNames, spliceParameters, tokenParameterName } from '../../src/form/jenkins-parameters.js';
import { requestFromEnv } from '../../src/form/env-request.js';
import { fieldErrors } from '../../src/form/field-errors.js';
import { parse } from 'yaml';

const templates: TemplateInfo[] = [
  {
    name: 'CI-build-trunk',
    description: 'Build trunk on every commit',
    tokens: ['SCM.PATH', 'MVN.GOALS', 'HUDSON.JOB.NAME', 'DEPLOY.ENABLED'],
    docs: {
      'SCM.PATH': { description: 'Subversion URL', required: true, pattern: 'https?://.+', example: 'https://svn.example.com/repo' },
      'MVN.GOALS': { default: 'clean install', allowed: ['clean install', 'clean deploy'] },
      'DEPLOY.ENABLED': { allowed: ['true', 'false'], default: 'false' },
    },
  },
  { name: 'RC-build-branch', tokens: ['SCM.PATH', 'BUILD.FARM'], docs: { 'BUILD.FARM': { description: 'Agent label', default: 'linux' } } },
  { name: 'jobsmith-sync', tokens: ['DEFINITIONS.REPO'], docs: {} },
];

describe('form catalog', () => {
  const catalog = catalogFromTemplates(templates);
  it('offers project templates only, one field per token, built-ins excluded, kinds from allowed values', () => {
    expect(catalog.templates.map((t) => t.name)).toEqual(['CI-build-trunk', 'RC-build-branch']);
    expect(catalog.fields.map((f) => [f.token, f.kind, f.templates.join('+')])).toEqual([
      ['BUILD.FARM', 'text', 'RC-build-branch'],
      ['DEPLOY.ENABLED', 'boolean', 'CI-build-trunk'],
      ['MVN.GOALS', 'select', 'CI-build-trunk'],
      ['SCM.PATH', 'text', 'CI-build-trunk+RC-build-branch'],
    ]);
    expect(catalog.fields.find((f) => f.token === 'SCM.PATH')).toMatchObject({ required: true, pattern: 'https?://.+', example: 'https://svn.example.com/repo' });
  });

  it('writes only the chosen templates\' tokens, skipping empty values and defaults', () => {
    const text = definitionText(
      { project: 'pay', templates: ['CI-build-trunk'], tokens: { 'SCM.PATH': 'https://svn/x', 'MVN.GOALS': 'clean install', 'BUILD.FARM': 'win', 'DEPLOY.ENABLED': 'true' }, view: 'Pay' },
      catalog,
    );
    expect(parse(text)).toEqual({ project: 'pay', templates: ['CI-build-trunk'], view: 'Pay', tokens: { 'DEPLOY.ENABLED': 'true', 'SCM.PATH': 'https://svn/x' } });
  });

  it('templates that disagree on a default: a given value is written unless it is every chosen template\'s own default', () => {
    const differ = catalogFromTemplates([
      { name: 'A-trunk', tokens: ['SCM.POLL'], docs: { 'SCM.POLL': { default: 'H/5 * * * *' } } },
      { name: 'B-pipe', tokens: ['SCM.POLL'], docs: { 'SCM.POLL': { default: 'H/15 * * * *' } } },
    ]);
    const field = differ.fields.find((f) => f.token === 'SCM.POLL')!;
    expect(field.default).toBe('H/5 * * * *');
    expect(field.defaultsByTemplate).toEqual({ 'A-trunk': 'H/5 * * * *', 'B-pipe': 'H/15 * * * *' });
    const tokensOf = (templates: string[], v: string): unknown => parse(definitionText({ project: 'p', templates, tokens: { 'SCM.POLL': v } }, differ))['tokens'];
    expect(tokensOf(['B-pipe'], 'H/5 * * * *')).toEqual({ 'SCM.POLL': 'H/5 * * * *' });
    expect(tokensOf(['B-pipe'], 'H/15 * * * *')).toBeUndefined();
    expect(tokensOf(['A-trunk'], 'H/5 * * * *')).toBeUndefined();
    expect(tokensOf(['A-trunk', 'B-pipe'], 'H/5 * * * *')).toEqual({ 'SCM.POLL': 'H/5 * * * *' });
    // the create-job job showed the first template's default; left as shown, it is still what the user asked for
    const { names } = parameterNames(differ);
    const env = { JOBSMITH_PROJECT: 'p', [names.templates.get('B-pipe')!]: 'true', [names.tokens.get('SCM.POLL')!]: 'H/5 * * * *' };
    const req = requestFromEnv(env, differ, names, new Map([[names.tokens.get('SCM.POLL')!, 'H/5 * * * *']]));
    expect(parse(definitionText(req, differ))['tokens']).toEqual({ 'SCM.POLL': 'H/5 * * * *' });
    // templates that agree keep the old rule (a value left at the shown default is not written)
    expect(catalog.fields.find((f) => f.token === 'SCM.PATH')!.defaultsByTemplate).toBeUndefined();
  });

  it('form-level checks: project name, templates; strict mode flags tokens no chosen template uses', () => {
    const d = requestDiagnostics({ project: '', templates: ['Nope'], tokens: { 'BUILD.FARM': 'x', 'SCM.PAHT': 'y' } }, catalog, { strictTokens: true });
    expect(d.map((x) => [x.code, x.field])).toEqual([
      ['missing-project', 'project'],
      ['unknown-template', 'templates'],
      ['unused-token', 'tokens.BUILD.FARM'],
      ['unused-token', 'tokens.SCM.PAHT'],
    ]);
    expect(d[2]!.message).toContain('used by RC-build-branch');
    expect(d[3]!.message).toContain('did you mean SCM.PATH?');
    expect(requestDiagnostics({ project: 'a/b', templates: [], tokens: {} }, catalog).map((x) => x.code)).toEqual(['bad-project-name', 'no-templates']);
  });

  it('places diagnostics next to fields by field path or by a $TOKEN in the message, in sentences', () => {
    const { errors, general, summary } = fieldErrors(
      [
        { severity: 'error', code: 'x', field: 'tokens.SCM.PATH', message: 'bad url' },
        { severity: 'error', code: 'y', message: 'template CI-build-trunk-config.xml:4 uses $MVN.GOALS but no value is given', file: '/r/jobs/p.yaml', line: 3 },
        { severity: 'error', code: 'z', message: 'something else in /r/jobs/other.yaml and /srv/secret/place/t.xml', file: '/r/jobs/p.yaml', line: 1 },
        { severity: 'warning', code: 'w', message: 'just a warning' },
      ],
      catalog,
      '/r',
    );
    expect(errors).toEqual({ 'token.SCM.PATH': ['Bad url.'], 'token.MVN.GOALS': ['Template CI-build-trunk-config.xml:4 uses $MVN.GOALS but no value is given.'] });
    // no absolute server path survives: relative to the definitions, else the file name
    expect(general).toEqual(['jobs/p.yaml:1: Something else in jobs/other.yaml and t.xml.']);
    expect(summary).toEqual([
      { href: '#f-token-MVN-GOALS', label: 'Mvn goals', message: 'Template CI-build-trunk-config.xml:4 uses $MVN.GOALS but no value is given.' },
      { href: '#f-token-SCM-PATH', label: 'Subversion URL', message: 'Bad url.' },
      { message: 'jobs/p.yaml:1: Something else in jobs/other.yaml and t.xml.' },
    ]);
  });

  it('says validator errors in plain words: no regular expressions, the hint or the allowed values, the label', () => {
    const withHint = catalogFromTemplates([
      {
        name: 'T',
        tokens: ['SCM.PATH', 'BUILD.FARM', 'POM.ARTIFACTID'],
        docs: {
          'SCM.PATH': { description: 'Subversion URL of the project, without /trunk.', pattern: '(https?|svn)://\\S+[^/]', hint: 'a Subversion URL such as https://svn.example.com/repos/payments, without a trailing /' },
          'BUILD.FARM': { allowed: ['linux', 'windows'], default: 'linux' },
          'POM.ARTIFACTID': { label: 'Maven artifactId', pattern: '[a-z-]+', example: 'payments-service', required: true },
        },
      },
    ]);
    const rule = '(rule from /srv/defs/job-templates/T.yaml)';
    const { errors } = fieldErrors(
      [
        { severity: 'error', code: 'bad-token-value', field: 'tokens.SCM.PATH', message: `SCM.PATH must match the pattern (https?|svn)://\\S+[^/] (got "x") ${rule}` },
        { severity: 'error', code: 'bad-token-value', field: 'tokens.BUILD.FARM', message: `BUILD.FARM must be one of "linux", "windows" (got "solaris") ${rule}` },
        { severity: 'error', code: 'bad-token-value', field: 'tokens.POM.ARTIFACTID', message: `POM.ARTIFACTID must match the pattern [a-z-]+ (got "X") ${rule}` },
        { severity: 'error', code: 'missing-token', field: 'tokens.POM.ARTIFACTID', message: 'no value for token POM.ARTIFACTID, used by template T at /srv/defs/job-templates/T-config.xml:3:4' },
      ],
      withHint,
      '/srv/defs',
    );
    expect(errors).toEqual({
      'token.SCM.PATH': ['Expected a Subversion URL such as https://svn.example.com/repos/payments, without a trailing /.'],
      'token.BUILD.FARM': ['Choose one of “linux”, “windows”.'],
      'token.POM.ARTIFACTID': ['This does not look like a valid Maven artifactId; for example payments-service.', 'Enter Maven artifactId (for example payments-service).'],
    });
    expect(JSON.stringify(errors)).not.toMatch(/\\S|\[a-z|\/srv/);
  });

  it('labels come from the sidecar, else from the description, else from the token name; descriptions per template', () => {
    const c = catalogFromTemplates([
      { name: 'A', tokens: ['SCM.POLL', 'GIT.URL', 'X.Y_Z'], docs: { 'SCM.POLL': { description: 'Subversion polling schedule (cron syntax).' }, 'GIT.URL': { label: 'Git clone URL', description: 'Where to clone from.' } } },
      { name: 'B', tokens: ['SCM.POLL'], docs: { 'SCM.POLL': { description: 'Polling schedule (cron syntax).' } } },
      { name: 'C', tokens: ['SCM.POLL'], docs: { 'SCM.POLL': { description: 'Polling schedule (cron syntax).' } } },
    ]);
    const f = (t: string) => c.fields.find((x) => x.token === t)!;
    expect(f('GIT.URL').label).toBe('Git clone URL');
    expect(f('SCM.POLL').label).toBe('Subversion polling schedule');
    expect(f('X.Y_Z').label).toBe('X y z');
    expect(f('SCM.POLL').descriptions).toEqual([
      { text: 'Subversion polling schedule (cron syntax).', templates: ['A'] },
      { text: 'Polling schedule (cron syntax).', templates: ['B', 'C'] },
    ]);
  });
});

describe('create-job parameters', () => {
  const catalog = catalogFromTemplates(templates);
  it('names parameters shell-safely and avoids Jenkins variables', () => {
    expect(tokenParameterName('SCM.PATH')).toBe('SCM_PATH');
    expect(tokenParameterName('BUILD.NUMBER')).toBe('TOKEN_BUILD_NUMBER');
    expect(tokenParameterName('GIT.URL')).toBe('TOKEN_GIT_URL');
    // variables jobsmith, Node, npm, git or the shell read: a parameter must never set them (a proxy would see the API token)
    for (const [token, param] of [
      ['HTTP.PROXY', 'TOKEN_HTTP_PROXY'],
      ['https.proxy', 'TOKEN_https_proxy'],
      ['NO.PROXY', 'TOKEN_NO_PROXY'],
      ['NODE.TLS.REJECT.UNAUTHORIZED', 'TOKEN_NODE_TLS_REJECT_UNAUTHORIZED'],
      ['NODE.EXTRA.CA.CERTS', 'TOKEN_NODE_EXTRA_CA_CERTS'],
      ['JENKINS.API.TOKEN', 'TOKEN_JENKINS_API_TOKEN'],
      ['BUILD.USER.ID', 'TOKEN_BUILD_USER_ID'],
      ['npm.config.registry', 'TOKEN_npm_config_registry'],
      ['LD.PRELOAD', 'TOKEN_LD_PRELOAD'],
      ['SSH.AUTH.SOCK', 'TOKEN_SSH_AUTH_SOCK'],
      ['BASH.ENV', 'TOKEN_BASH_ENV'],
    ]) expect(tokenParameterName(token!)).toBe(param);
    expect(tokenParameterName('SCM.PATH')).toBe('SCM_PATH');
    expect(tokenParameterName('PROXY.HOST')).toBe('PROXY_HOST');
    const clash = catalogFromTemplates([{ name: 'T', tokens: ['A.B_C', 'A_B.C'], docs: {} }]);
    expect(parameterNames(clash).diagnostics.map((d) => d.code)).toEqual(['parameter-name-clash']);
  });

  it('generates string, choice and boolean parameters with defaults and descriptions', () => {
    const { names, diagnostics } = parameterNames(catalog);
    expect(diagnostics).toEqual([]);
    const xml = parameterDefinitionsXml(catalog, names);
    const doc = new XMLParser({ isArray: (n) => n.endsWith('Definition') || n === 'string' }).parse(xml).parameterDefinitions;
    expect(doc['hudson.model.StringParameterDefinition'].map((p: { name: string }) => p.name)).toEqual(['JOBSMITH_PROJECT', 'BUILD_FARM', 'SCM_PATH', 'JOBSMITH_FOLDER', 'JOBSMITH_VIEW']);
    expect(doc['hudson.model.BooleanParameterDefinition'].map((p: { name: string; defaultValue: boolean }) => [p.name, p.defaultValue])).toEqual([
      ['JOBSMITH_TEMPLATE_CI_build_trunk', false],
      ['JOBSMITH_TEMPLATE_RC_build_branch', false],
      ['DEPLOY_ENABLED', false],
    ]);
    const choice = doc['hudson.model.ChoiceParameterDefinition'][0];
    expect(choice.name).toBe('MVN_GOALS');
    expect(choice.choices.a.string).toEqual(['clean install', 'clean deploy']);
    const farm = doc['hudson.model.StringParameterDefinition'][1];
    expect(farm.defaultValue).toBe('linux');
    expect(farm.description).toContain('Agent label');
  });

  it('escapes hostile sidecar text in parameter definitions', () => {
    const hostile = catalogFromTemplates([{ name: 'T', tokens: ['A.B'], docs: { 'A.B': { description: '</description><x>&', default: ']]>' } } }]);
    const xml = parameterDefinitionsXml(hostile, parameterNames(hostile).names);
    expect(xml).toContain('&lt;/description&gt;&lt;x&gt;&amp;');
    expect(new XMLParser().parse(xml).parameterDefinitions['hudson.model.StringParameterDefinition'][1].defaultValue).toBe(']]>');
  });

  it('splices into exactly one placeholder', () => {
    expect(spliceParameters('<a>\n  <parameterDefinitions/>\n</a>', '<parameterDefinitions>\n  <x/>\n</parameterDefinitions>')).toBe(
      '<a>\n  <parameterDefinitions>\n    <x/>\n  </parameterDefinitions>\n</a>',
    );
    expect(() => spliceParameters('<a/>', '<p/>')).toThrow(/exactly one/);
  });

  it('reads a request back from the build environment', () => {
    const { names } = parameterNames(catalog);
    const req = requestFromEnv(
      { JOBSMITH_PROJECT: ' pay ', JOBSMITH_TEMPLATE_CI_build_trunk: 'true', JOBSMITH_TEMPLATE_RC_build_branch: 'false', SCM_PATH: 'https://x', BUILD_FARM: '', JOBSMITH_VIEW: 'V' },
      catalog,
      names,
    );
    expect(req).toEqual({ project: 'pay', templates: ['CI-build-trunk'], tokens: { 'SCM.PATH': 'https://x' }, view: 'V' });
  });
});
