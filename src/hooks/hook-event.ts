/** What a webhook says, once parsed: which repository, which ref, and what happened to it. */

export const PROVIDERS = ['github', 'gitlab', 'gitea', 'bitbucket'] as const;
export type Provider = (typeof PROVIDERS)[number];

export function isProvider(x: string): x is Provider {
  return (PROVIDERS as readonly string[]).includes(x);
}

/** `created`: a new branch or tag; `deleted`: it is gone; `pushed`: commits on an existing one. */
export type RefChangeKind = 'created' | 'deleted' | 'pushed';

export interface RefChange {
  /** Full ref (`refs/heads/feature/x`, `refs/tags/v1`). */
  ref: string;
  kind: RefChangeKind;
  /** Commit the ref points at after the event (all zeros or empty when deleted). */
  after: string;
}

export interface RepoEvent {
  provider: Provider;
  /** The provider's event name (`push`, `create`, `Push Hook`, `repo:refs_changed`). */
  event: string;
  /** Every URL the payload gives for the repository (clone, ssh, web); matched after normalising. */
  repoUrls: string[];
  /** A short name for people (`acme/payments`), never holding credentials. */
  repoName: string;
  changes: RefChange[];
}

/** Parsed payload: an event about a repository, or one jobsmith does nothing with (a ping, an issue). */
export type ParsedHook = { kind: 'repo'; event: RepoEvent } | { kind: 'other'; event: string; why: string };

/** Why a payload could not be read (400). */
export class MalformedPayload extends Error {
  override name = 'MalformedPayload';
}
