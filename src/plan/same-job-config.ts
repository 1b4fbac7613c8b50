/**
 * Do two job configs say the same thing, the jobsmith marker aside? The semantic comparison
 * (src/xml/semantic-compare.ts) with the marker stripped from the root description.
 */
import { canonicalConfig as canonicalXml, sameConfig as sameXml } from '../xml/semantic-compare.js';
import { stripMarker } from './marker.js';

const markerBlind = { rootDescription: stripMarker };

export function canonicalConfig(xml: string): string {
  return canonicalXml(xml, markerBlind);
}

export function sameConfig(a: string, b: string): boolean {
  return sameXml(a, b, markerBlind);
}
