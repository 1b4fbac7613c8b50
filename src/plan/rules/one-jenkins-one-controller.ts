/**
 * Rule (many controllers, docs/controllers.md): one Jenkins is one controller. Two controllers of
 * a run that are the same Jenkins under two URLs (a DNS alias, `localhost` and `127.0.0.1`, an IP)
 * would each see the other's jobs as their own and no longer desired, and delete them as "moved".
 * The config file's check compares the URLs (src/controllers/controllers-config.ts); the proof is
 * what Jenkins says of itself: every `api/json` answer carries `X-Jenkins-Session`, a value new on
 * each start of that Jenkins, so two controllers whose listings answer the same value are one
 * running Jenkins. The run is then refused before anything is written anywhere. Pure.
 */

export interface ControllerIdentity {
  controller: string;
  /** The listing's `X-Jenkins-Session`; undefined when not listed or not sent (nothing to compare). */
  session?: string;
}

export interface SameJenkins {
  controllers: [string, string];
  session: string;
}

/** Every pair of controllers that answered with the same session (in the order given). */
export function sameJenkins(identities: readonly ControllerIdentity[]): SameJenkins[] {
  const first = new Map<string, string>();
  const found: SameJenkins[] = [];
  for (const i of identities) {
    if (i.session === undefined || i.session === '') continue;
    const other = first.get(i.session);
    if (other !== undefined) found.push({ controllers: [other, i.controller], session: i.session });
    else first.set(i.session, i.controller);
  }
  return found;
}

/** The refusal's words (one line a pair). */
export function sameJenkinsMessage(found: readonly SameJenkins[]): string {
  return found
    .map(
      (f) =>
        `controllers ${f.controllers[0]} and ${f.controllers[1]} are the same Jenkins (both answered X-Jenkins-Session ${f.session}): one Jenkins must be one controller (each would delete the other's jobs as moved); remove one of them from the config file; nothing was changed on any controller`,
    )
    .join('\n');
}
