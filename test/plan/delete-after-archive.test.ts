import { describe, expect, it } from 'vitest';
import { deleteAfterArchive } from '../../src/plan/rules/archive-first.js';

const done = (n: number) => ({ number: n, building: false });

describe('deleteAfterArchive: the last check before an archived job is deleted', () => {
  it('lets the job go when its newest build was archived finished and nothing runs', () => {
    expect(deleteAfterArchive([done(3), done(2), done(1)], done(3))).toEqual({ ok: true });
    expect(deleteAfterArchive([], undefined)).toEqual({ ok: true });
  });
  it('holds it for a build newer than the archived ones, a running build, or one archived while running', () => {
    expect(deleteAfterArchive([done(2), done(1)], done(3))).toEqual({ ok: false, why: 'build #3 started while its builds were archived' });
    expect(deleteAfterArchive([], { number: 1, building: false })).toEqual({ ok: false, why: 'build #1 started while its builds were archived' });
    expect(deleteAfterArchive([{ number: 2, building: true }, done(1)], { number: 2, building: true })).toEqual({ ok: false, why: 'build #2 is running' });
    expect(deleteAfterArchive([{ number: 2, building: true }, done(1)], done(2))).toEqual({ ok: false, why: 'build #2 was still running when it was archived' });
  });
});
