/**
 * `pluginManager/api/json`: the plugins whose item types the stand-in imitates, with the fields
 * `hudson.PluginWrapper` exports (alphabetical, as Stapler writes them) and their dependencies
 * (`PluginWrapper.Dependency`: `optional`, `shortName`, `version`). The set and versions are fixed;
 * `url` is the manifest's `Url` (what Jenkins shows without update-site data), `detached` is true for
 * plugins split out of core (`jenkins/split-plugins.txt`).
 */
import { Bean, type Prop } from './export-tree.js';
import { BRANCH_API_VERSION } from './store.js';

interface Dependency {
  shortName: string;
  version: string;
  optional: boolean;
}
interface Plugin {
  shortName: string;
  longName: string;
  version: string;
  url: string;
  requiredCoreVersion: string;
  detached: boolean;
  dependencies: Dependency[];
}

const dep = (shortName: string, version: string, optional = false): Dependency => ({ shortName, version, optional });
const gh = (repo: string): string => `https://github.com/jenkinsci/${repo}`;

export const STANDIN_PLUGINS: readonly Plugin[] = [
  { shortName: 'branch-api', longName: 'Branch API Plugin', version: BRANCH_API_VERSION, url: gh('branch-api-plugin'), requiredCoreVersion: '2.479.1', detached: false, dependencies: [dep('cloudbees-folder', '6.1012.v79a_86a_1ea_c1f'), dep('ionicons-api', '88.va_4187cb_eddf1'), dep('scm-api', '704.v3ce5c542825a_')] },
  { shortName: 'cloudbees-folder', longName: 'Folders Plugin', version: '6.1012.v79a_86a_1ea_c1f', url: gh('cloudbees-folder-plugin'), requiredCoreVersion: '2.479.1', detached: false, dependencies: [dep('credentials', '1415.v831096eb_5534', true), dep('ionicons-api', '88.va_4187cb_eddf1')] },
  { shortName: 'credentials', longName: 'Credentials Plugin', version: '1415.v831096eb_5534', url: gh('credentials-plugin'), requiredCoreVersion: '2.479.1', detached: false, dependencies: [] },
  { shortName: 'ionicons-api', longName: 'Ionicons API', version: '88.va_4187cb_eddf1', url: gh('ionicons-api-plugin'), requiredCoreVersion: '2.479.1', detached: false, dependencies: [] },
  { shortName: 'matrix-project', longName: 'Matrix Project Plugin', version: '845.vffd7fa_f27555', url: gh('matrix-project-plugin'), requiredCoreVersion: '2.479.1', detached: true, dependencies: [] },
  { shortName: 'maven-plugin', longName: 'Maven Integration plugin', version: '3.25', url: gh('maven-plugin'), requiredCoreVersion: '2.479.1', detached: true, dependencies: [] },
  { shortName: 'scm-api', longName: 'SCM API Plugin', version: '704.v3ce5c542825a_', url: gh('scm-api-plugin'), requiredCoreVersion: '2.479.1', detached: false, dependencies: [] },
  { shortName: 'workflow-job', longName: 'Pipeline: Job', version: '1520.v56d65e3b_4566', url: gh('workflow-job-plugin'), requiredCoreVersion: '2.479.1', detached: false, dependencies: [] },
  { shortName: 'workflow-multibranch', longName: 'Pipeline: Multibranch', version: '806.vb_b_688f609ee9', url: gh('workflow-multibranch-plugin'), requiredCoreVersion: '2.479.1', detached: false, dependencies: [dep('branch-api', BRANCH_API_VERSION), dep('cloudbees-folder', '6.1012.v79a_86a_1ea_c1f'), dep('scm-api', '704.v3ce5c542825a_'), dep('workflow-job', '1520.v56d65e3b_4566')] },
];

const DEPENDENCY_PROPS: Prop<Dependency>[] = [
  { name: 'optional', vis: 1, get: (d) => d.optional },
  { name: 'shortName', vis: 1, get: (d) => d.shortName },
  { name: 'version', vis: 1, get: (d) => d.version },
];

const PLUGIN_PROPS: Prop<Plugin>[] = [
  { name: 'active', vis: 1, get: () => true },
  { name: 'backupVersion', vis: 1, get: () => null },
  { name: 'bundled', vis: 1, get: () => false },
  { name: 'deleted', vis: 1, get: () => false },
  { name: 'dependencies', vis: 1, get: (p) => p.dependencies.map((d) => Bean.of(null, DEPENDENCY_PROPS, d)) },
  { name: 'detached', vis: 1, get: (p) => p.detached },
  { name: 'downgradable', vis: 1, get: () => false },
  { name: 'enabled', vis: 1, get: () => true },
  { name: 'hasUpdate', vis: 1, get: () => false },
  { name: 'longName', vis: 1, get: (p) => p.longName },
  { name: 'pinned', vis: 1, get: () => false },
  { name: 'requiredCoreVersion', vis: 1, get: (p) => p.requiredCoreVersion },
  { name: 'shortName', vis: 1, get: (p) => p.shortName },
  { name: 'supportsDynamicLoad', vis: 1, get: () => 'MAYBE' },
  { name: 'url', vis: 1, get: (p) => p.url },
  { name: 'version', vis: 1, get: (p) => p.version },
];

/** `hudson.LocalPluginManager` with its `plugins` (no `_class` on the entries: declared type = actual type). */
export function pluginManagerBean(): Bean {
  return Bean.of<null>('hudson.LocalPluginManager', [{ name: 'plugins', vis: 1, get: () => STANDIN_PLUGINS.map((p) => Bean.of(null, PLUGIN_PROPS, p)) }], null);
}
