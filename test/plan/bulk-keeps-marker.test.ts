import { describe, expect, it } from 'vitest';
import { markerComments, markerEdit, markerEditRefusal } from '../../src/plan/rules/bulk-keeps-marker.js';
import { formatMarker, type Marker } from '../../src/plan/marker.js';
import { withMarker } from '../../src/plan/config-description.js';
import { escapeText as escapeXmlText } from '../../src/xml/escape.js';

const M: Marker = { kind: 'job', project: 'pay', template: 'CI-build-trunk', hash: 'sha256:ab' };
const job = (description: string | undefined): string =>
  `<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  ${description === undefined ? '' : `<description>${escapeXmlText(description)}</description>`}\n  <builders/>\n</project>\n`;
const managed = (text: string, m: Marker = M): string => withMarker(job(text), formatMarker(m));

describe('bulk keeps the jobsmith marker', () => {
  it('markerComments: exactly what stripMarker removes', () => {
    expect(markerComments('plain text')).toEqual([]);
    expect(markerComments(`text\n${formatMarker(M)}`)).toEqual([formatMarker(M)]);
  });

  it('edits that leave the marker as it is', () => {
    const before = managed('Trunk build');
    expect(markerEdit(before, before.replace('<builders/>', '<builders><x/></builders>'))).toBeUndefined();
    expect(markerEdit(before, before.replace('Trunk build', 'Nightly &amp; trunk build'))).toBeUndefined();
    expect(markerEdit(job('a'), job('b'))).toBeUndefined();
    expect(markerEdit(job(undefined), job('b'))).toBeUndefined();
  });

  it('removed, altered or added', () => {
    const before = managed('Trunk build');
    expect(markerEdit(before, job('hello'))).toBe('removed');
    expect(markerEdit(before, job(undefined))).toBe('removed');
    expect(markerEdit(before, managed('Trunk build', { ...M, hash: 'sha256:cd' }))).toBe('altered');
    expect(markerEdit(before, managed('Trunk build', { ...M, gone: '2026-01-01T00:00:00.000Z' }))).toBe('altered');
    // a marker broken into something that no longer counts as one removes it (refused without --unmanage)
    expect(markerEdit(before, before.replace('hash=', 'hash '))).toBe('removed');
    expect(markerEdit(job('by hand'), managed('by hand'))).toBe('added');
  });

  it('refusals: --unmanage allows a removal only', () => {
    expect(markerEditRefusal(undefined, false)).toBeUndefined();
    expect(markerEditRefusal('removed', false)).toMatch(/would remove the jobsmith marker.*--unmanage/);
    expect(markerEditRefusal('removed', true)).toBeUndefined();
    for (const u of [false, true]) {
      expect(markerEditRefusal('altered', u)).toMatch(/would alter the jobsmith marker/);
      expect(markerEditRefusal('added', u)).toMatch(/would add a jobsmith marker/);
    }
  });
});
