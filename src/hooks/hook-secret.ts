/**
 * Webhook secrets: `JOBSMITH_WEBHOOK_SECRET` for every provider, `JOBSMITH_WEBHOOK_SECRET_<PROVIDER>`
 * (GITHUB, GITLAB, GITEA, BITBUCKET) overriding it for one. A provider without a secret refuses every
 * event (401): an unsigned endpoint would let anyone trigger syncs. The values never leave this module
 * except into the signature check.
 */
import type { Provider } from './hook-event.js';
import { PROVIDERS } from './hook-event.js';

export type HookSecrets = Partial<Record<Provider, string>>;

export const SECRET_VARIABLE = 'JOBSMITH_WEBHOOK_SECRET';

export function secretVariable(provider: Provider): string {
  return `${SECRET_VARIABLE}_${provider.toUpperCase()}`;
}

export function hookSecrets(env: NodeJS.ProcessEnv): HookSecrets {
  const out: HookSecrets = {};
  const common = env[SECRET_VARIABLE];
  for (const p of PROVIDERS) {
    const own = env[secretVariable(p)];
    const value = own !== undefined && own !== '' ? own : common;
    if (value !== undefined && value !== '') out[p] = value;
  }
  return out;
}
