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

  it('places diagnostics next to fields by field path or by a $TOKEN in the message', () => {
    const { errors, general } = fieldErrors(
      [
        { severity: 'error', code: 'x', field: 'tokens.SCM.PATH', message: 'bad url' },
        { severity: 'error', code: 'y', message: 'template CI-build-trunk-config.xml:4 uses $MVN.GOALS but no value is given', file: '/r/jobs/p.yaml', line: 3 },
        { severity: 'error', code: 'z', message: 'something else', file: '/r/jobs/p.yaml', line: 1 },
        { severity: 'warning', code: 'w', message: 'just a warning' },
      ],
      catalog,
      '/r',
    );
    expect(errors).toEqual({ 'token.SCM.PATH': ['bad url'], 'token.MVN.GOALS': ['template CI-build-trunk-config.xml:4 uses $MVN.GOALS but no value is given'] });
    expect(general).toEqual(['jobs/p.yaml:1: something else']);
  });
});

describe('create-job parameters', () => {
  const catalog = catalogFromTemplates(templates);
  it('names parameters shell-safely and avoids Jenkins variables', () => {
    expect(tokenParameterName('SCM.PATH')).toBe('SCM_PATH');
    expect(tokenParameterName('BUILD.NUMBER')).toBe('TOKEN_BUILD_NUMBER');
    expect(tokenParameterName('GIT.URL')).toBe('TOKEN_GIT_URL');
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
