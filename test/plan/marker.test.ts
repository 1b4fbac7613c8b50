import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMarker, parseMarker, stripMarker, type Marker } from '../../src/plan/marker.js';

describe('marker', () => {
  it('round-trips any values, and the comment never contains -- or > inside', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string(), { nil: undefined }), (project, template, branch) => {
        const m: Marker = { kind: 'job', project, template, hash: 'sha256:ab', ...(branch !== undefined ? { branch } : {}) };
        const text = formatMarker(m);
        const inner = text.slice('<!-- '.length, -' -->'.length);
        expect(inner).not.toContain('--');
        expect(inner).not.toMatch(/[<>&]/);
        expect(parseMarker(`user text\n${text}`)).toEqual(m);
      }),
    );
  });

  it('reads gone and branch, and folder markers', () => {
    const m = parseMarker('<!-- jobsmith:v1 project=p template=T hash=sha256:1 branch=feature%2Fa%2Db gone=2026-11-20T00:00:00.000Z -->');
    expect(m).toEqual({ kind: 'job', project: 'p', template: 'T', hash: 'sha256:1', branch: 'feature/a-b', gone: '2026-11-20T00:00:00.000Z' });
    expect(parseMarker(formatMarker({ kind: 'folder', hash: 'sha256:2' }))).toEqual({ kind: 'folder', hash: 'sha256:2' });
  });

  it('treats missing, malformed or incomplete markers as unmanaged', () => {
    expect(parseMarker(null)).toBeUndefined();
    expect(parseMarker('plain description')).toBeUndefined();
    expect(parseMarker('<!-- jobsmith:v1 project=p hash=sha256:1 -->')).toBeUndefined(); // no template
    expect(parseMarker('<!-- jobsmith:v1 project=p template=t -->')).toBeUndefined(); // no hash
    expect(parseMarker('<!-- jobsmith:v1 project=%E0%A4%A template=t hash=h -->')).toBeUndefined(); // bad encoding
    expect(parseMarker('<!-- Managed by Jenkins Job Builder -->')).toBeUndefined();
  });

  it('takes the last marker and strips all of them', () => {
    const a = formatMarker({ kind: 'job', project: 'a', template: 't', hash: 'h1' });
    const b = formatMarker({ kind: 'job', project: 'b', template: 't', hash: 'h2' });
    expect(parseMarker(`x\n${a}\n${b}`)?.project).toBe('b');
    expect(stripMarker(`x\n${a}\n${b}`)).toBe('x');
  });
});
