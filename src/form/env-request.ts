import type { FormCatalog } from './form-catalog.js';
import type { ParameterNames } from './jenkins-parameters.js';
import type { ProjectRequest } from './project-request.js';

/**
 * A request from the create-job job's build parameters (environment variables named by
 * `parameterNames`): the command-line twin of a form post. Values of unchosen templates' tokens
 * are ignored, as in the form.
 */
export function requestFromEnv(env: NodeJS.ProcessEnv, catalog: FormCatalog, names: ParameterNames): ProjectRequest {
  const templates = catalog.templates.filter((t) => (env[names.templates.get(t.name)!] ?? '').trim().toLowerCase() === 'true').map((t) => t.name);
  const tokens: Record<string, string> = {};
  for (const f of catalog.fields) {
    const v = env[names.tokens.get(f.token)!];
    if (v !== undefined && v !== '') tokens[f.token] = v;
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
