/**
 * Rule: jobsmith only ever updates, disables or deletes items that carry its marker.
 * Everything else in Jenkins is "unmanaged": reported when in the way, never touched
 * (unless the user passes --adopt for a desired name).
 */
import type { ObservedItem } from '../../model/observed.js';
import { parseMarker, type Marker } from '../marker.js';

export interface ClassifiedItem {
  item: ObservedItem;
  /** Present when jobsmith manages the item. */
  marker?: Marker;
}

export function classifyItem(item: ObservedItem): ClassifiedItem {
  const marker = parseMarker(item.description);
  return marker ? { item, marker } : { item };
}

export function isManagedJob(c: ClassifiedItem): c is ClassifiedItem & { marker: Marker } {
  return c.marker?.kind === 'job' && !c.item.isFolder;
}

export function isManagedFolder(c: ClassifiedItem): c is ClassifiedItem & { marker: Marker } {
  return c.marker?.kind === 'folder' && c.item.isFolder;
}
