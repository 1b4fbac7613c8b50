/**
 * The ONE parsed form of a template that everything uses (render, validate, the form, plan, bulk):
 * its bytes, XML facts, every token occurrence with its position and context, and the sidecar's docs.
 */
import { createRequire } from 'node:module';
import type { SaxesParser as SaxesParserType } from 'saxes';
import type { Diagnostic } from '../model/diagnostic.js';
import type { TokenContext, XmlVersion } from '../xml/escape-context.js';
import { isViewRoot } from '../model/item-types.js';
import { makeLocator, scanXml, TOKEN_NAME_SOURCE, type Slot } from '../xml/scan.js';
import type { TemplateSidecar, TokenSpec } from './template-sidecar.js';

export interface TokenOccurrence {
  name: string;
  /** 1-based line and column of the `$` in the template file. */
  line: number;
  column: number;
  /** Where the token sits: element text, attribute value, or CDATA section. */
  context: TokenContext;
  /** Written as `${A.B}`. */
  braced: boolean;
}

export interface ParsedTemplate {
  /** Template name: the file name without `-config.xml`. */
  name: string;
  /** Path of the template file (as given: `job-templates/<name>-config.xml`). */
  file: string;
  /** The file's exact bytes. */
  bytes: Uint8Array;
  /** The file decoded as UTF-8 (BOM kept). */
  text: string;
  xmlVersion: XmlVersion;
  /** The file starts with an XML declaration. */
  declaration: boolean;
  /** Root element name (undefined when the file is not well-formed). */
  rootElement?: string;
  /** Line of the root element's start tag. */
  rootLine?: number;
  /** Distinct token names, in order of first appearance (for ejs templates also the sidecar's tokens). */
  tokens: string[];
  occurrences: TokenOccurrence[];
  /** The template opted into ejs (sidecar `ejs: true`). */
  ejs: boolean;
  description?: string;
  /** Per-token docs and rules from the sidecar (empty when there is none). */
  docs: Record<string, TokenSpec>;
  sidecar?: TemplateSidecar;
  /** The template is well-formed XML (non-ejs) and can be rendered. */
  renderable: boolean;
  /** Literal pieces around the slots (non-ejs templates): see src/xml/scan.ts. */
  parts: string[];
  slots: Slot[];
}

export const TEMPLATE_SUFFIX = '-config.xml';

/** Root elements of the item types Jenkins and the common plugins know. Others get a warning. */
export const KNOWN_ROOT_ELEMENTS: ReadonlySet<string> = new Set([
  'project',
  'maven2-moduleset',
  'matrix-project',
  'flow-definition',
  'hudson.model.FreeStyleProject',
  'hudson.model.ExternalJob',
  'hudson.matrix.MatrixProject',
  'hudson.maven.MavenModuleSet',
  'org.jenkinsci.plugins.workflow.job.WorkflowJob',
  'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',
  'jenkins.branch.OrganizationFolder',
  'com.cloudbees.hudson.plugins.folder.Folder',
  'hudson.ivy.IvyModuleSet',
  'com.tikal.jenkins.plugins.multijob.MultiJobProject',
  'hudson.plugins.project_inheritance.projects.InheritanceProject',
  'com.cloudbees.plugins.flow.BuildFlow',
  'external-monitor-job',
]);

/** Root elements of configs XStream reads that are not top-level items (what they are, for the message). */
const NOT_ITEMS: Readonly<Record<string, string>> = {
  hudson: "Jenkins' own configuration",
  maven2: 'a Maven module (part of a Maven job)',
  'matrix-config': 'a matrix configuration (part of a matrix job)',
  slave: 'a node (agent)',
  'hudson.model.Hudson': "Jenkins' own configuration",
  'jenkins.model.Jenkins': "Jenkins' own configuration",
  // the class-name forms of the aliases above, and the other records XStream reads (core and the common plugins)
  'hudson.maven.MavenModule': 'a Maven module (part of a Maven job)',
  'hudson.matrix.MatrixConfiguration': 'a matrix configuration (part of a matrix job)',
  'hudson.slaves.DumbSlave': 'a node (agent)',
  'hudson.model.Slave': 'a node (agent)',
  build: "a build's record (build.xml)",
  'hudson.model.FreeStyleBuild': "a build's record (build.xml)",
  'flow-build': "a build's record (build.xml)",
  'org.jenkinsci.plugins.workflow.job.WorkflowRun': "a build's record (build.xml)",
  'matrix-build': "a build's record (build.xml)",
  'matrix-run': "a build's record (build.xml)",
  'hudson.matrix.MatrixBuild': "a build's record (build.xml)",
  'hudson.matrix.MatrixRun': "a build's record (build.xml)",
  'maven2-moduleset-build': "a build's record (build.xml)",
  'maven-build': "a build's record (build.xml)",
  'hudson.maven.MavenModuleSetBuild': "a build's record (build.xml)",
  'hudson.maven.MavenBuild': "a build's record (build.xml)",
  user: "a user's record (users/NAME/config.xml)",
  'hudson.model.User': "a user's record (users/NAME/config.xml)",
};

const EJS_TAG = /<%[^]*?%>/g;

/**
 * Parse a template's bytes. Never throws for bad input: problems come back as diagnostics with the
 * template file, line and column.
 */
export function parseTemplate(name: string, file: string, bytes: Uint8Array, sidecar?: TemplateSidecar): { template: ParsedTemplate; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const bad = text.indexOf('\uFFFD');
    const p = makeLocator(text)(Math.max(0, bad));
    diagnostics.push({ severity: 'error', code: 'bad-encoding', message: 'the template is not valid UTF-8', file, ...p });
  }
  const ejs = sidecar?.ejs ?? false;
  const locate = makeLocator(text);
  const template: ParsedTemplate = {
    name,
    file,
    bytes,
    text,
    xmlVersion: '1.0',
    declaration: false,
    tokens: [],
    occurrences: [],
    ejs,
    docs: sidecar?.tokens ?? {},
    renderable: false,
    parts: [text],
    slots: [],
  };
  if (sidecar) template.sidecar = sidecar;
  if (sidecar?.description !== undefined) template.description = sidecar.description;

  if (ejs) {
    // The raw file is not XML until ejs has run: find the tokens in the text outside ejs tags; the
    // rendered output is checked (and escaped by context) per job.
    const masked = text.replace(EJS_TAG, (m) => m.replace(/[^\n]/g, ' '));
    const re = new RegExp(`\\$\\$?(?:\\{(${TOKEN_NAME_SOURCE})\\}|(${TOKEN_NAME_SOURCE}))`, 'g');
    for (let m = re.exec(masked); m; m = re.exec(masked)) {
      if (m[0].startsWith('$$')) continue;
      template.occurrences.push({ name: (m[1] ?? m[2])!, ...locate(m.index), context: 'text', braced: m[1] !== undefined });
    }
    const raw = /<%-/.exec(text);
    if (raw) {
      diagnostics.push({
        severity: 'error',
        code: 'ejs-raw-output',
        message: 'ejs raw output <%- is not allowed (values must be escaped): use <%= instead',
        file,
        ...locate(raw.index),
      });
    }
    const marker = /[\uFDD0\uFDD1]/.exec(text);
    if (marker) diagnostics.push({ severity: 'error', code: 'xml-invalid-char', message: 'U+FDD0/U+FDD1 are reserved in ejs templates', file, ...locate(marker.index) });
    const decl = /^\uFEFF?<\?xml[^>]*version\s*=\s*["'](1\.[01])["']/.exec(text);
    if (decl) {
      template.declaration = true;
      template.xmlVersion = decl[1] as XmlVersion;
    }
    const root = /<([A-Za-z_][\w.:-]*)[\s/>]/.exec(text.replace(/<\?[^]*?\?>|<!--[^]*?-->|<!DOCTYPE[^>]*>/g, (m) => ' '.repeat(m.length)).replace(EJS_TAG, (m) => ' '.repeat(m.length)));
    if (root) {
      template.rootElement = root[1]!;
      template.rootLine = locate(root.index).line;
    }
    template.renderable = !diagnostics.some((d) => d.severity === 'error');
    for (const t of Object.keys(template.docs)) addToken(template, t);
  } else {
    const scan = scanXml(text);
    template.xmlVersion = scan.version;
    template.declaration = scan.declaration;
    for (const s of scan.slots) template.occurrences.push({ name: s.name, ...locate(s.offset), context: s.context, braced: s.braced });
    for (const e of scan.errors) {
      diagnostics.push({ severity: 'error', code: e.code, message: `not well-formed XML: ${e.message}`, file, ...locate(e.offset) });
    }
    if (scan.doctype !== undefined) diagnostics.push(doctypeDiagnostic(file, locate(scan.doctype)));
    if (scan.errors.length === 0 && scan.doctype === undefined) {
      // Second opinion from an independent parser: report what it finds that the scanner let through.
      const other = saxesError(text);
      if (other) diagnostics.push({ severity: 'error', code: 'xml-not-well-formed', message: `not well-formed XML: ${other.message}`, file, line: other.line, column: other.column });
    }
    if (scan.root !== undefined) {
      template.rootElement = scan.root;
      const at = text.search(new RegExp(`<${scan.root.replace(/[.]/g, '\\.')}[\\s/>]`));
      if (at >= 0) template.rootLine = locate(at).line;
    }
    template.parts = scan.parts;
    template.slots = scan.slots;
    template.renderable = !diagnostics.some((d) => d.severity === 'error');
  }
  for (const o of template.occurrences) addToken(template, o.name);
  const notAnItem = template.rootElement !== undefined && Object.prototype.hasOwnProperty.call(NOT_ITEMS, template.rootElement) ? NOT_ITEMS[template.rootElement] : undefined;
  if (notAnItem !== undefined) {
    diagnostics.push({ severity: 'error', code: 'not-an-item', message: `root element <${template.rootElement}> is ${notAnItem}, not a job, folder or view: Jenkins refuses it as an item (ClassCastException)`, file, line: template.rootLine ?? 1 });
  } else if (template.rootElement !== undefined && !KNOWN_ROOT_ELEMENTS.has(template.rootElement) && !isViewRoot(template.rootElement)) {
    diagnostics.push({
      severity: 'warning',
      code: 'unknown-root-element',
      message: `root element <${template.rootElement}> is not a job, folder or view type jobsmith knows; Jenkins refuses a config whose type no installed plugin provides`,
      file,
      line: template.rootLine ?? 1,
    });
  }
  if (sidecar && !ejs) {
    const used = new Set(template.tokens);
    for (const [tok, spec] of Object.entries(sidecar.tokens)) {
      if (!used.has(tok)) {
        diagnostics.push({ severity: 'warning', code: 'unused-sidecar-token', message: `the sidecar documents ${tok}, which ${file} does not use`, field: `tokens.${tok}`, ...(spec.loc ?? { file: sidecar.file }) });
      }
    }
  }
  return { template, diagnostics };
}

/**
 * A DOCTYPE is refused in templates. Jenkins stores a submitted config through an XXE-safe
 * transform (`XMLUtils.safeTransform`): a DOCTYPE with an internal subset is dropped and its entities
 * are expanded into the stored text, one with external parts is refused (500). Either way what Jenkins
 * holds is not what was rendered (so `--verify` would report drift forever), and jobsmith itself never
 * expands entities (no DTD processing anywhere: XXE stays impossible). The entities' text written out
 * does the same job.
 */
export const DOCTYPE_MESSAGE =
  'a DOCTYPE is not allowed in a template: Jenkins drops it when it stores the config (expanding its entities, refusing external ones), so the job in Jenkins would never match the template; write the entities\u2019 text out instead';

export function doctypeDiagnostic(file: string, at: { line: number; column: number }): Diagnostic {
  return { severity: 'error', code: 'xml-doctype', message: DOCTYPE_MESSAGE, file, ...at };
}

function addToken(t: ParsedTemplate, name: string): void {
  if (!t.tokens.includes(name)) t.tokens.push(name);
}

/** Loaded on first use (start-up time matters for `render` over thousands of files). */
let saxes: { SaxesParser: typeof SaxesParserType } | undefined;

function saxesError(text: string): { message: string; line: number; column: number } | undefined {
  saxes ??= createRequire(import.meta.url)('saxes') as { SaxesParser: typeof SaxesParserType };
  const parser = new saxes.SaxesParser({ position: true });
  let first: { message: string; line: number; column: number } | undefined;
  parser.on('error', (e) => {
    if (!first) first = { message: e.message.replace(/^\d+:\d+: /, ''), line: parser.line, column: parser.column + 1 };
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (!first) first = { message: (e as Error).message, line: parser.line, column: parser.column + 1 };
  }
  return first;
}
