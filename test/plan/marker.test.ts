import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMarker, markerVersion, parseMarker, stripMarker, type Marker } from '../../src/plan/marker.js';

describe('marker', () => {
  it('round-trips any values (v2 and v1), and the comment never contains -- or > inside', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.record({ owner: fc.string({ minLength: 1 }), name: fc.string({ minLength: 1 }) }), { nil: undefined }),
        (project, template, branch, who) => {
          const m: Marker = { kind: 'job', ...(who ?? {}), project, template, hash: 'sha256:ab', ...(branch !== undefined ? { branch } : {}) };
          const text = formatMarker(m);
          expect(text.startsWith(who ? '<!-- jobsmith:v2 ' : '<!-- jobsmith:v1 ')).toBe(true);
          const inner = text.slice('<!-- '.length, -' -->'.length);
          expect(inner).not.toContain('--');
          expect(inner).not.toMatch(/[<>&]/);
          expect(parseMarker(`user text\n${text}`)).toEqual(m);
          expect(stripMarker(`user text\n${text}`)).toBe('user text');
        },
      ),
    );
  });

  it('writes v2 with kind, owner and name first, in the documented order', () => {
    const job: Marker = { kind: 'job', owner: 'github.com/acme/ci-jobs', name: 'team/payments-CI', project: 'payments', template: 'CI', hash: 'sha256:ab', branch: 'feature/x', gone: '2026-11-20T10:00:00.000Z' };
    expect(formatMarker(job)).toBe(
      '<!-- jobsmith:v2 owner=github.com%2Facme%2Fci%2Djobs name=team%2Fpayments%2DCI project=payments template=CI hash=sha256%3Aab branch=feature%2Fx gone=2026%2D11%2D20T10%3A00%3A00.000Z -->',
    );
    expect(formatMarker({ kind: 'folder', owner: 'default', name: 'team', hash: 'sha256:cd' })).toBe('<!-- jobsmith:v2 kind=folder owner=default name=team hash=sha256%3Acd -->');
    expect(markerVersion(job)).toBe(2);
  });

  it('reads v1 markers (no owner, no name), gone and branch, and folder markers', () => {
    const m = parseMarker('<!-- jobsmith:v1 project=p template=T hash=sha256:1 branch=feature%2Fa%2Db gone=2026-11-20T00:00:00.000Z -->');
    expect(m).toEqual({ kind: 'job', project: 'p', template: 'T', hash: 'sha256:1', branch: 'feature/a-b', gone: '2026-11-20T00:00:00.000Z' });
    expect(markerVersion(m!)).toBe(1);
    expect(parseMarker(formatMarker({ kind: 'folder', hash: 'sha256:2' }))).toEqual({ kind: 'folder', hash: 'sha256:2' });
    // a v1 marker never carries ownership, even if someone wrote owner= into it
    expect(parseMarker('<!-- jobsmith:v1 owner=x name=a project=p template=T hash=h -->')).toEqual({ kind: 'job', project: 'p', template: 'T', hash: 'h' });
  });

  it('ignores unknown keys (later versions may add fields)', () => {
    expect(parseMarker('<!-- jobsmith:v2 owner=o name=n project=p template=T hash=h future=1 -->')).toEqual({ kind: 'job', owner: 'o', name: 'n', project: 'p', template: 'T', hash: 'h' });
  });

  it('treats missing, malformed or incomplete markers as unmanaged', () => {
    expect(parseMarker(null)).toBeUndefined();
    expect(parseMarker('plain description')).toBeUndefined();
    expect(parseMarker('<!-- jobsmith:v1 project=p hash=sha256:1 -->')).toBeUndefined(); // no template
    expect(parseMarker('<!-- jobsmith:v1 project=p template=t -->')).toBeUndefined(); // no hash
    expect(parseMarker('<!-- jobsmith:v1 project=%E0%A4%A template=t hash=h -->')).toBeUndefined(); // bad encoding
    expect(parseMarker('<!-- jobsmith:v2 project=p template=t hash=h -->')).toBeUndefined(); // v2 without owner and name
    expect(parseMarker('<!-- jobsmith:v2 owner=o project=p template=t hash=h -->')).toBeUndefined(); // no name
    expect(parseMarker('<!-- jobsmith:v2 owner= name=n project=p template=t hash=h -->')).toBeUndefined(); // empty owner
    expect(parseMarker('<!-- jobsmith:v3 owner=o name=n project=p template=t hash=h -->')).toBeUndefined(); // unknown version
    expect(parseMarker('<!-- Managed by Jenkins Job Builder -->')).toBeUndefined();
  });

  it('takes the last marker (v1 or v2) and strips all of them', () => {
    const a = formatMarker({ kind: 'job', project: 'a', template: 't', hash: 'h1' });
    const b = formatMarker({ kind: 'job', owner: 'o', name: 'n', project: 'b', template: 't', hash: 'h2' });
    expect(parseMarker(`x\n${a}\n${b}`)?.project).toBe('b');
    expect(parseMarker(`x\n${b}\n${a}`)?.project).toBe('a');
    expect(parseMarker(`x\n${b}\n<!-- jobsmith:v2 broken -->`)?.project).toBe('b');
    expect(stripMarker(`x\n${a}\n${b}`)).toBe('x');
  });
});
