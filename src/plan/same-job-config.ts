/**
 * Do two job configs say the same thing? The semantic comparison (src/xml/semantic-compare.ts):
 * - `sameConfig`: the jobsmith marker aside (import, restore: the marker is not what they compare);
 * - `matchesPushed`: what `--verify` asks, marker included: does the config Jenkins holds say what
 *   jobsmith pushed? The parts Jenkins rewrites itself are left out (src/model/item-types.ts jenkinsOwnedParts).
 */
import { normalConfig, sameConfig as sameXml } from '../xml/semantic-compare.js';
import { jenkinsOwnedParts } from '../model/item-types.js';
import { stripMarker } from './marker.js';

const markerBlind = { rootDescription: stripMarker };

export function canonicalConfig(xml: string): string {
  return normalConfig(xml, markerBlind);
}

export function sameConfig(a: string, b: string): boolean {
  return sameXml(a, b, markerBlind);
}

/** `--verify`: does the config read from Jenkins (`live`) match the config jobsmith pushed for an item of this root element? */
export function matchesPushed(live: string, pushed: string, rootElement: string): boolean {
  return sameXml(live, pushed, { ignoreRootChildren: jenkinsOwnedParts(rootElement) });
}
