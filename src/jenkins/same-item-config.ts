/**
 * Does the config Jenkins holds for an item say what was sent for it? The semantic comparison
 * (src/xml/semantic-compare.ts), leaving out what Jenkins writes into an item itself (its enabled
 * state, a folder's views: src/model/item-types.ts). The client asks it when an item is found at a
 * name after a create whose answer was lost, and the caller gave no better test.
 */
import { ITEM_JENKINS_OWNED_PARTS } from '../model/item-types.js';
import { sameConfig } from '../xml/semantic-compare.js';

export function sameItemConfig(live: string, sent: string): boolean {
  return sameConfig(live, sent, { ignoreRootChildren: ITEM_JENKINS_OWNED_PARTS });
}
