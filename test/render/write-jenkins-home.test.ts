import { existsSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesiredState } from '../../src/model/desired-job.js';
import { configPath, writeJenkinsHome } from '../../src/render/write-jenkins-home.js';
import { tempTree } from './workspace-fixture.js';
import { createHash } from 'node:crypto';

function job(fullName: string, config: string) {
  const parts = fullName.split('/');
  return {
    fullName,
    name: parts[parts.length - 1]!,
    folder: parts.slice(0, -1),
    project: 'p',
    template: 'T',
    config,
    hash: 'sha256:' + createHash('sha256').update(config).digest('hex'),
    rootElement: 'project',
    source: { file: 'jobs/p.yaml' },
  };
}
const state = (jobs: ReturnType<typeof job>[], folders: string[] = []): DesiredState => ({ jobs, folders: folders.map((f) => ({ fullName: f, config: `<folder>${f}</folder>` })), views: [] });

describe('writeJenkinsHome', () => {
  it('maps full names to the JENKINS_HOME layout', () => {
    expect(configPath('a')).toBe('jobs/a/config.xml');
    expect(configPath('f/g/a')).toBe('jobs/f/jobs/g/jobs/a/config.xml');
  });

  it('writes, then rewrites only what changed, and removes only its own stale files', () => {
    const t = tempTree({});
    try {
      const out = path.join(t.dir, 'out');
      const first = writeJenkinsHome(out, state([job('a', '<a/>'), job('f/b', '<b/>'), job('f/c', '<c/>')], ['f']));
      expect(first.written.sort()).toEqual(['jobs/a/config.xml', 'jobs/f/config.xml', 'jobs/f/jobs/b/config.xml', 'jobs/f/jobs/c/config.xml']);
      expect(readFileSync(path.join(out, 'jobs/f/jobs/b/config.xml'), 'utf8')).toBe('<b/>');
      // Something jobsmith did not write stays.
      mkdirSync(path.join(out, 'jobs/a/builds'), { recursive: true });
      writeFileSync(path.join(out, 'jobs/other.txt'), 'mine');
      const old = new Date(2020, 0, 1);
      utimesSync(path.join(out, 'jobs/a/config.xml'), old, old);

      const second = writeJenkinsHome(out, state([job('a', '<a/>'), job('f/b', '<b2/>')], ['f']));
      expect(second.written).toEqual(['jobs/f/jobs/b/config.xml']);
      expect(second.unchanged).toBe(2);
      expect(second.removed).toEqual(['jobs/f/jobs/c/config.xml']);
      expect(existsSync(path.join(out, 'jobs/f/jobs/c'))).toBe(false);
      expect(statSync(path.join(out, 'jobs/a/config.xml')).mtime.getTime()).toBe(old.getTime());
      expect(readFileSync(path.join(out, 'jobs/other.txt'), 'utf8')).toBe('mine');

      // A file changed behind jobsmith's back (size differs) is restored.
      writeFileSync(path.join(out, 'jobs/a/config.xml'), '<edited/>');
      const third = writeJenkinsHome(out, state([job('a', '<a/>'), job('f/b', '<b2/>')], ['f']));
      expect(third.written).toEqual(['jobs/a/config.xml']);
      // Removing a job keeps a directory that still holds other things (builds/).
      const fourth = writeJenkinsHome(out, state([job('f/b', '<b2/>')], ['f']));
      expect(fourth.removed).toEqual(['jobs/a/config.xml']);
      expect(existsSync(path.join(out, 'jobs/a/builds'))).toBe(true);
    } finally {
      t.cleanup();
    }
  });
});
