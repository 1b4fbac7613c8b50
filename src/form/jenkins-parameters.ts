import { create } from 'xmlbuilder2';
import type { Diagnostic } from '../model/diagnostic.js';
import type { FormCatalog, TokenField } from './form-catalog.js';

/**
 * The create-job Jenkins job's build form: one parameter per form field. Parameter values reach
 * `jobsmith create --from-env` as environment variables, so their names must be shell-safe
 * (`SCM.PATH` becomes `SCM_PATH`) and must not collide with Jenkins' own variables.
 */
export const PROJECT_PARAM = 'JOBSMITH_PROJECT';
export const FOLDER_PARAM = 'JOBSMITH_FOLDER';
export const VIEW_PARAM = 'JOBSMITH_VIEW';
const TEMPLATE_PREFIX = 'JOBSMITH_TEMPLATE_';

/**
 * Variables Jenkins, agents or shells set themselves, and variables jobsmith, Node, npm, git or
 * the shell read (a build parameter becomes an environment variable of `jobsmith create --from-env`:
 * a parameter `HTTP_PROXY` would send the Jenkins API token through whatever proxy the person who
 * starts the build names). A token parameter never takes these names (compared case-insensitively:
 * `http_proxy` is read too); it is prefixed `TOKEN_` instead.
 */
const RESERVED = new Set([
  'BUILD_NUMBER', 'BUILD_ID', 'BUILD_DISPLAY_NAME', 'BUILD_TAG', 'BUILD_URL', 'BUILD_CAUSE',
  'JOB_NAME', 'JOB_BASE_NAME', 'JOB_URL', 'JOB_DISPLAY_URL', 'EXECUTOR_NUMBER', 'WORKSPACE',
  'WORKSPACE_TMP', 'RUN_DISPLAY_URL', 'BRANCH_NAME', 'TAG_NAME',
  // proxies and TLS trust (jobsmith's Jenkins client, git, npm, curl)
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'FTP_PROXY', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'CURL_CA_BUNDLE', 'REQUESTS_CA_BUNDLE',
  // the process and the shell
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'PWD', 'OLDPWD', 'LANG', 'LANGUAGE', 'TERM', 'TZ', 'TMPDIR', 'TMP', 'TEMP', 'IFS', 'ENV', 'BASH_ENV',
  'CDPATH', 'PS4', 'SHELLOPTS', 'BASHOPTS', 'EDITOR', 'VISUAL', 'PAGER', 'CI', 'NO_COLOR', 'FORCE_COLOR', 'HOSTNAME', 'DISPLAY', 'UMASK',
]);

/** Name prefixes reserved the same way: Jenkins', Node's, npm's, git's, svn's, ssh's, the dynamic linker's, jobsmith's own (compared upper-cased: `npm_config_*` too). */
const RESERVED_PREFIXES = ['JENKINS_', 'HUDSON_', 'BUILD_USER', 'NODE_', 'NPM_', 'GIT_', 'SVN_', 'SSH_', 'GNUPG', 'GPG_', 'LD_', 'DYLD_', 'LC_', 'XDG_', 'CHANGE_', 'JOBSMITH_', 'UNDICI_', 'COREPACK_'];

/** Would a parameter of this name set (or shadow) a variable Jenkins sets or jobsmith, its tools or the shell read? */
export function isReservedVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return RESERVED.has(upper) || RESERVED_PREFIXES.some((p) => upper.startsWith(p));
}

export interface ParameterNames {
  project: string;
  folder: string;
  view: string;
  /** Template name -> boolean parameter name. */
  templates: Map<string, string>;
  /** Token name -> parameter name. */
  tokens: Map<string, string>;
}

function shellName(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, '_');
}

export function tokenParameterName(token: string): string {
  const plain = shellName(token);
  return isReservedVariable(plain) ? `TOKEN_${plain}` : plain;
}

/** Parameter names for a catalog, with an error for each pair of fields that would share one. */
export function parameterNames(catalog: FormCatalog): { names: ParameterNames; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const taken = new Map<string, string>([
    [PROJECT_PARAM, 'the project name'],
    [FOLDER_PARAM, 'the folder'],
    [VIEW_PARAM, 'the view'],
  ]);
  const claim = (param: string, what: string): void => {
    const other = taken.get(param);
    if (other !== undefined) {
      diagnostics.push({ severity: 'error', code: 'parameter-name-clash', message: `${what} and ${other} would share the Jenkins parameter ${param}; rename one of them` });
    } else taken.set(param, what);
  };
  const templates = new Map<string, string>();
  for (const t of catalog.templates) {
    const p = TEMPLATE_PREFIX + shellName(t.name);
    claim(p, `template ${t.name}`);
    templates.set(t.name, p);
  }
  const tokens = new Map<string, string>();
  for (const f of catalog.fields) {
    const p = tokenParameterName(f.token);
    claim(p, `token $${f.token}`);
    tokens.set(f.token, p);
  }
  return { names: { project: PROJECT_PARAM, folder: FOLDER_PARAM, view: VIEW_PARAM, templates, tokens }, diagnostics };
}

/**
 * The parameter's help text: its label and token name, then its description; when the templates
 * using the token describe it differently, each description is given with the templates it comes
 * from (a token's meaning is the one of the template that uses it, not of the first sidecar).
 */
export function describeField(f: TokenField): string {
  const parts = [`${f.label} ($${f.token}).`];
  if (f.descriptions.length === 1) parts.push(f.descriptions[0]!.text);
  else for (const d of f.descriptions) parts.push(`${d.templates.join(', ')}: ${d.text}`);
  if (f.required) parts.push('(required)');
  if (f.hint) parts.push(`Expected: ${f.hint}.`);
  else if (f.pattern) parts.push(`Format: ${f.pattern}.`);
  if (f.example) parts.push(`Example: ${f.example}.`);
  parts.push(`Used by ${f.templates.join(', ')}.`);
  return parts.join(' ');
}

/**
 * `<parameterDefinitions>` for the create-job job, built with xmlbuilder2 (so values are escaped
 * and the structure is fixed): project, folder, view (string), one boolean per template, and one
 * parameter per token: boolean for true/false, choice for allowed values, string otherwise.
 */
export function parameterDefinitionsXml(catalog: FormCatalog, names: ParameterNames): string {
  const root = create().ele('parameterDefinitions');
  const str = (name: string, description: string, def: string): void => {
    const p = root.ele('hudson.model.StringParameterDefinition');
    p.ele('name').txt(name);
    p.ele('description').txt(description);
    p.ele('defaultValue').txt(def);
    p.ele('trim').txt('true');
  };
  const bool = (name: string, description: string, def: boolean): void => {
    const p = root.ele('hudson.model.BooleanParameterDefinition');
    p.ele('name').txt(name);
    p.ele('description').txt(description);
    p.ele('defaultValue').txt(String(def));
  };
  str(names.project, 'Project name (required). Jobs are named <project>-<template>. Letters, digits, ".", "_" and "-".', '');
  for (const t of catalog.templates) {
    bool(names.templates.get(t.name)!, `Create the ${t.name} job${t.description ? `: ${t.description}` : ''}`, false);
  }
  for (const f of catalog.fields) {
    const name = names.tokens.get(f.token)!;
    if (f.kind === 'boolean') {
      bool(name, describeField(f), (f.default ?? 'false').toLowerCase() === 'true');
    } else if (f.kind === 'select' && f.allowed) {
      const p = root.ele('hudson.model.ChoiceParameterDefinition');
      p.ele('name').txt(name);
      p.ele('description').txt(describeField(f));
      // The first choice is the default.
      const choices = [...f.allowed];
      if (f.default !== undefined && choices.includes(f.default)) choices.splice(choices.indexOf(f.default), 1), choices.unshift(f.default);
      else if (!f.required) choices.unshift('');
      const list = p.ele('choices', { class: 'java.util.Arrays$ArrayList' }).ele('a', { class: 'string-array' });
      for (const c of choices) list.ele('string').txt(c);
    } else {
      str(name, describeField(f), f.default ?? '');
    }
  }
  str(names.folder, 'Folder for the jobs (optional).', '');
  str(names.view, 'List view to put the jobs in (optional).', '');
  return root.end({ headless: true, prettyPrint: true, indent: '  ' });
}

/** Splice generated parameter definitions into a rendered create-job config (exactly one placeholder). */
export function spliceParameters(config: string, parameters: string): string {
  const placeholder = '<parameterDefinitions/>';
  const at = config.indexOf(placeholder);
  if (at < 0 || config.indexOf(placeholder, at + 1) >= 0) {
    throw new Error('the create-job template must contain exactly one <parameterDefinitions/> placeholder');
  }
  // Indent continuation lines like the placeholder.
  const lineStart = config.lastIndexOf('\n', at) + 1;
  const indent = /^[ \t]*/.exec(config.slice(lineStart, at))![0];
  return config.slice(0, at) + parameters.trim().split('\n').join(`\n${indent}`) + config.slice(at + placeholder.length);
}
