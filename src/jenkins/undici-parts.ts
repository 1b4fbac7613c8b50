/**
 * The parts of undici the client uses, loaded without undici's index (which loads every dispatcher,
 * the fetch/WebSocket/cache implementations and more: about 0.2 s at start-up, against 0.06 s for
 * these). Every command that talks to Jenkins pays this once per process.
 *
 * `request` is undici's own `Dispatcher#request` (the index adds it to the prototype); here it is
 * called with the agent as `this`. Should a future undici move these files, the public index is used
 * instead: same behaviour, slower start.
 */
import { createRequire } from 'node:module';
import type { Agent as AgentType, Dispatcher, EnvHttpProxyAgent as EnvHttpProxyAgentType } from 'undici';

const require = createRequire(import.meta.url);

export interface UndiciParts {
  Agent: typeof AgentType;
  /** Loaded on first use, with the whole index (only with a proxy). */
  EnvHttpProxyAgent: () => typeof EnvHttpProxyAgentType;
  request: (dispatcher: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  /** 'parts': the files above; 'index': the fallback. */
  via: 'parts' | 'index';
}

let parts: UndiciParts | undefined;

export function undiciParts(): UndiciParts {
  if (parts) return parts;
  try {
    const Agent = require('undici/lib/dispatcher/agent.js') as typeof AgentType;
    const apiRequest = require('undici/lib/api/api-request.js') as (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
    if (typeof Agent !== 'function' || typeof apiRequest !== 'function') throw new Error('unexpected undici layout');
    parts = {
      Agent,
      // The proxy agent needs the Dispatcher API the index installs (its tunnels use `connect`).
      EnvHttpProxyAgent: () => (require('undici') as typeof import('undici')).EnvHttpProxyAgent,
      request: (dispatcher, opts) => apiRequest.call(dispatcher, opts),
      via: 'parts',
    };
  } catch {
    const undici = require('undici') as typeof import('undici');
    parts = {
      Agent: undici.Agent,
      EnvHttpProxyAgent: () => undici.EnvHttpProxyAgent,
      request: (dispatcher, opts) => dispatcher.request(opts),
      via: 'index',
    };
  }
  return parts;
}
