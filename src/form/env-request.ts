import type { FormCatalog } from './form-catalog.js';
import type { ParameterNames } from './jenkins-parameters.js';
import type { ProjectRequest } from './project-request.js';

/**
 * A request from the create-job job's build parameters (environment variables named by
 * `parameterNames`): the command-line twin of a form post. Values of unchosen templates' tokens
 * are ignored, as in the form. `shown` is what the job's *Build with Parameters* form offered
 * (parameter name -> default, read from the job's config): a value left as shown is one the user
 * did not change, so it is not written into the definition (a later change of the default, in
 * `jobs/_defaults.yaml` or a sidecar, still reaches the project).
 */
export function requestFromEnv(env: NodeJS.ProcessEnv, catalog: FormCatalog, names: ParameterNames, shown?: ReadonlyMap<string, string>): ProjectRequest {
  const templates = catalog.templates.filter((t) => (env[names.templates.get(t.name)!] ?? '').trim().toLowerCase() === 'true').map((t) => t.name);
  const tokens: Record<string, string> = {};
  for (const f of catalog.fields) {
    const param = names.tokens.get(f.token)!;
    const v = env[param];
    if (v === undefined || v === '') continue;
    // templates that disagree on the default: the shown value may not be the chosen template's, so it is written
    if (f.defaultsByTemplate === undefined && shown?.has(param) && shown.get(param) === v) continue;
    tokens[f.token] = v;
  }
  const folder = (env[names.folder] ?? '').trim();
  const view = (env[names.view] ?? '').trim();
  return {
    project: (env[names.project] ?? '').trim(),
    templates,
    tokens,
    ...(folder ? { folder } : {}),
    ...(view ? { view } : {}),
  };
}
