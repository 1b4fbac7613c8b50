import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/apply/failure-class.js';
import { JenkinsError } from '../../src/jenkins/jenkins-error.js';
import type { Change } from '../../src/model/plan.js';

const create = (fullName: string): Change => ({ kind: 'create', target: 'job', fullName, reason: 'new', code: 'new-job', template: 'T' });
const update = (fullName: string): Change => ({ kind: 'update', target: 'job', fullName, reason: 'changed', code: 'config-changed', template: 'T' });
const err = (init: ConstructorParameters<typeof JenkinsError>[0]) => new JenkinsError(init);

describe('failure classes: run sync again, or change something first', () => {
  it('5xx, timeouts, dropped connections, conflicts, vanished items: transient', () => {
    for (const e of [
      err({ kind: 'server', operation: 'create', status: 503 }),
      err({ kind: 'server', operation: 'create', status: 500, detail: 'Jenkins reported java.io.IOException: disk full' }),
      err({ kind: 'timeout', operation: 'create' }),
      err({ kind: 'network', operation: 'create', detail: 'socket hang up' }),
      err({ kind: 'conflict', operation: 'rename', status: 409 }),
      err({ kind: 'not-found', operation: 'update', status: 404 }),
      err({ kind: 'bad-request', operation: 'create', status: 400, xError: 'A job already exists with the name ‘x’' }),
    ]) {
      expect(classifyFailure(e, update('p-a')).class, e.message).toBe('transient');
    }
    expect(classifyFailure(err({ kind: 'server', operation: 'create', status: 503 }), create('p-a')).hint).toBe('run sync again');
  });

  it('a name over 255 bytes is the definitions\' to change, whatever Jenkins answered', () => {
    const v = classifyFailure(err({ kind: 'server', operation: 'create', status: 500, detail: 'Jenkins reported java.io.IOException: Failed to create' }), create(`team/${'é'.repeat(128)}`));
    expect(v).toEqual({ class: 'input', hint: expect.stringContaining('is 256 bytes of UTF-8') });
    // a move through a too-long intermediate name too
    const move: Change = { kind: 'move', target: 'job', fullName: 'b/short', from: 'a/old', via: `b/${'x'.repeat(300)}`, reason: 'moved', code: 'moved' };
    expect(classifyFailure(err({ kind: 'server', operation: 'move', status: 500 }), move).class).toBe('input');
  });

  it('a 4xx refusal: names Jenkins refuses and other 4xx are input; credentials and permissions are Jenkins\'', () => {
    expect(classifyFailure(err({ kind: 'bad-request', operation: 'create', status: 400, xError: '‘?’ is an unsafe character' }), create('a?b'))).toMatchObject({ class: 'input', hint: expect.stringContaining('Jenkins refuses the name') });
    expect(classifyFailure(err({ kind: 'bad-request', operation: 'create', status: 400 }), create('p-a'))).toMatchObject({ class: 'input', hint: expect.stringContaining('will refuse it again') });
    expect(classifyFailure(err({ kind: 'unauthorized', operation: 'create', status: 401 }), create('p-a')).class).toBe('jenkins');
    expect(classifyFailure(err({ kind: 'forbidden', operation: 'create', status: 403 }), create('p-a'))).toMatchObject({ class: 'jenkins', hint: expect.stringContaining('permission') });
    expect(classifyFailure(err({ kind: 'bad-request', operation: 'x', status: 405 }), create('p-a')).class).toBe('jenkins');
  });

  it('a type no plugin provides, a config that is not an item, a missing move action', () => {
    const missing = err({ kind: 'server', operation: 'create', status: 500, detail: 'Jenkins reported java.io.IOException: Unable to read /x/config.xml (caused by com.thoughtworks.xstream.mapper.CannotResolveClassException: org.example.FancyJob)' });
    expect(classifyFailure(missing, create('p-a'))).toEqual({ class: 'jenkins', hint: 'Jenkins has no plugin that provides <org.example.FancyJob>: install it in Jenkins, or change the template T' });
    const cast = err({ kind: 'server', operation: 'create', status: 500, detail: 'Jenkins reported java.lang.ClassCastException: class hudson.model.ListView cannot be cast to class hudson.model.TopLevelItem' });
    expect(classifyFailure(cast, create('p-a')).class).toBe('input');
    const noMove = err({ kind: 'not-found', operation: 'move', status: 404, detail: 'this Jenkins cannot move items between folders (the Folders plugin’s move action is missing)' });
    expect(classifyFailure(noMove, { kind: 'move', target: 'job', fullName: 'b/x', from: 'a/x', reason: 'moved', code: 'moved' }).class).toBe('jenkins');
  });

  it('anything that is not a Jenkins error: transient', () => {
    expect(classifyFailure(new Error('boom'), update('p-a')).class).toBe('transient');
    expect(classifyFailure('string thrown', update('p-a')).class).toBe('transient');
  });
});
