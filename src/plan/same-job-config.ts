/**
 * Do two job configs say the same thing? The semantic comparison (src/xml/semantic-compare.ts):
 * - `sameConfig`: the jobsmith marker aside (import, restore: the marker is not what they compare);
 * - `matchesPushed`: what `--verify` asks, marker included: does the config Jenkins holds say what
 *   jobsmith pushed? The parts Jenkins rewrites itself are left out (src/model/item-types.ts jenkinsOwnedParts),
 *   and the root's children are compared in any order (Jenkins writes them in XStream's field order);
 *   a Secret field Jenkins holds encrypted where jobsmith pushed plain text is the same (./secret-lines.ts).
 */
import { normalConfig, sameConfig as sameXml } from '../xml/semantic-compare.js';
import { sameSerialisation } from '../xml/same-serialisation.js';
import { withMarker } from './config-description.js';
import { jenkinsOwnedParts } from '../model/item-types.js';
import { stripMarker } from './marker.js';
import { sameUpToSecrets } from './secret-lines.js';

const markerBlind = { rootDescription: stripMarker };

export function canonicalConfig(xml: string): string {
  return normalConfig(xml, markerBlind);
}

export function sameConfig(a: string, b: string): boolean {
  return sameXml(a, b, markerBlind);
}

/** `--verify`: does the config read from Jenkins (`live`) match the config jobsmith pushed for an item of this root element? */
export function matchesPushed(live: string, pushed: string, rootElement: string): boolean {
  if (sameSerialisation(live, pushed)) return true;
  const opts = { ignoreRootChildren: jenkinsOwnedParts(rootElement), unorderedRootChildren: true };
  try {
    return sameUpToSecrets(normalConfig(live, opts), normalConfig(pushed, opts));
  } catch {
    return false;
  }
}

/**
 * The same question from the rendered config and the marker: the pushed config is the rendered one
 * with the marker in its root description (withMarker, as apply writes it). `--verify` asks it for
 * every managed job; most live configs pass matchesPushed's byte-level shortcut.
 */
export function matchesRenderedWithMarker(live: string, rendered: string, marker: string, rootElement: string): boolean {
  let pushed: string;
  try {
    pushed = withMarker(rendered, marker);
  } catch {
    return false;
  }
  return matchesPushed(live, pushed, rootElement);
}
