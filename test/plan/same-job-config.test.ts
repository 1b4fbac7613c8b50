/**
 * `--verify` compares without building the pushed config (matchesRenderedWithMarker); it must answer
 * exactly as the comparison with the pushed config (matchesPushed) does, on every corpus config with
 * and without a root description, for Jenkins' copy of it and for edited copies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared.js';
import { withMarker } from '../../src/plan/config-description.js';
import { matchesPushed, matchesRenderedWithMarker } from '../../src/plan/same-job-config.js';
import { formatMarker } from '../../src/plan/marker.js';
import { identityTransform } from '../../src/xml/identity-transform.js';
import { serialiseXml, GET_DECLARATION } from '../../src/xml/serialise.js';
import { parseXml } from '../../src/xml/tree.js';
import { parsePositioned } from '../../src/xml/positions.js';

const corpus = sharedPath('corpus');
const marker = formatMarker({ kind: 'job', owner: 'o', name: 'team/job', project: 'p', template: 't', hash: 'sha256:1' });
const withoutDescription = (xml: string): string => {
  const d = parsePositioned(xml).root.children.find((c) => c.name === 'description');
  return d ? xml.slice(0, d.start) + xml.slice(d.end) : xml;
};

describe('matchesRenderedWithMarker answers as matchesPushed', () => {
  const docs = readdirSync(corpus).filter((f) => f.endsWith('.xml')).sort().map((f) => ({ f, xml: readFileSync(path.join(corpus, f), 'utf8') }));
  for (const { f, xml } of docs) {
    it(f, () => {
      for (const rendered of [xml, withoutDescription(xml), '<project/>', '<project><description/></project>']) {
        const root = parsePositioned(rendered).root.name;
        const pushed = withMarker(rendered, marker);
        const jenkins = serialiseXml(parseXml(identityTransform(pushed)), GET_DECLARATION);
        const edited = jenkins.replace(/<\/([\w.-]+)>\s*$/, '<extra/></$1>');
        const otherMarker = jenkins.replace('sha256%3A1', 'sha256%3A2');
        for (const [live, want] of [[pushed, true], [jenkins, true], [edited, false], [otherMarker, false]] as const) {
          expect(matchesPushed(live, pushed, root), f).toBe(want);
          expect(matchesRenderedWithMarker(live, rendered, marker, root), f).toBe(want);
        }
      }
    });
  }
});
