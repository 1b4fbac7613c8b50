import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, TOKEN, USER, json, sleep, startTemp, type Running } from './standin-harness.js';

/**
 * The third independent client: the npm `jenkins` package (silas/node-jenkins, the most used
 * Node.js client), in its live mode against the stand-in, with an API token and with a password
 * (crumb + session cookie).
 */
interface Client {
  info(): Promise<Record<string, unknown>>;
  job: {
    create(name: string, xml: string): Promise<void>;
    copy(from: string, name: string): Promise<void>;
    config(name: string, xml?: string): Promise<string | undefined>;
    exists(name: string): Promise<boolean>;
    get(name: string): Promise<Record<string, unknown>>;
    list(folder?: string): Promise<Array<{ name: string }>>;
    disable(name: string): Promise<void>;
    enable(name: string): Promise<void>;
    destroy(name: string): Promise<void>;
    build(name: string, opts?: Record<string, unknown>): Promise<number>;
  };
  view: {
    create(name: string, type?: string): Promise<void>;
    add(name: string, job: string): Promise<void>;
    remove(name: string, job: string): Promise<void>;
    get(name: string): Promise<Record<string, unknown>>;
    list(): Promise<Array<{ name: string }>>;
    destroy(name: string): Promise<void>;
  };
  queue: {
    list(): Promise<Array<Record<string, unknown>>>;
    item(n: number): Promise<Record<string, unknown>>;
    cancel(n: number): Promise<void>;
  };
  build: {
    get(name: string, n: number): Promise<Record<string, unknown>>;
    log(name: string, n: number, opts?: Record<string, unknown>): Promise<{ text: string; more: boolean; size?: string }>;
    logStream(name: string, n: number, opts?: Record<string, unknown>): NodeJS.EventEmitter;
  };
  node: {
    create(name: string, opts?: Record<string, unknown>): Promise<void>;
    exists(name: string): Promise<boolean>;
    get(name: string): Promise<Record<string, unknown>>;
    list(): Promise<Array<Record<string, unknown>>>;
    config(name: string, xml?: string): Promise<string | undefined>;
    disable(name: string, message?: string): Promise<void>;
    enable(name: string): Promise<void>;
    disconnect(name: string, message?: string): Promise<void>;
    destroy(name: string): Promise<void>;
  };
  label: { get(name: string): Promise<Record<string, unknown>> };
  plugin: { list(opts?: Record<string, unknown>): Promise<Array<Record<string, unknown>>> };
}
const Jenkins = createRequire(import.meta.url)('jenkins') as new (opts: Record<string, unknown>) => Client;

function clientFor(url: string, secret: string): Client {
  const u = new URL(url);
  u.username = USER;
  u.password = secret;
  return new Jenkins({ baseUrl: u.toString().replace(/\/$/, ''), crumbIssuer: true });
}

const FREESTYLE = (desc: string, label?: string) =>
  `<?xml version='1.1' encoding='UTF-8'?>\n<project><description>${desc}</description>${label ? `<assignedNode>${label}</assignedNode><canRoam>false</canRoam>` : '<canRoam>true</canRoam>'}<disabled>false</disabled><builders/></project>\n`;

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(25);
  }
}

for (const [how, secret] of [['API token', TOKEN], ['password (crumb + session cookie)', PASSWORD]] as const) {
  describe(`npm jenkins 1.1 client against the stand-in, ${how}`, () => {
    let r: Running;
    let c: Client;
    beforeAll(async () => {
      r = await startTemp({ buildDurationMs: 300, quietPeriodMs: 0 });
      c = clientFor(r.s.url, secret);
    });
    afterAll(() => r.stop());

    it('info, job create/exists/get/config/copy/list/disable/enable/destroy', async () => {
      expect((await c.info())._class).toBe('hudson.model.Hudson');
      await c.job.create('alpha', FREESTYLE('first'));
      expect(await c.job.exists('alpha')).toBe(true);
      expect(await c.job.exists('nope')).toBe(false);
      expect((await c.job.get('alpha')).color).toBe('notbuilt');
      expect(await c.job.config('alpha')).toContain('<description>first</description>');
      await c.job.config('alpha', FREESTYLE('second'));
      expect(await c.job.config('alpha')).toContain('<description>second</description>');
      await c.job.copy('alpha', 'beta');
      expect((await c.job.list()).map((j) => j.name)).toEqual(['alpha', 'beta']);
      await c.job.disable('beta');
      expect((await c.job.get('beta')).color).toBe('disabled');
      await c.job.enable('beta');
      await c.job.destroy('beta');
      expect(await c.job.exists('beta')).toBe(false);
    });

    it('views: create (form body: name, mode, json), add/remove a job, list, destroy', async () => {
      await c.view.create('team', 'list');
      await c.view.add('team', 'alpha');
      expect(((await c.view.get('team')).jobs as Array<{ name: string }>).map((j) => j.name)).toEqual(['alpha']);
      await c.view.remove('team', 'alpha');
      expect((await c.view.get('team')).jobs).toEqual([]);
      expect((await c.view.list()).map((v) => v.name)).toEqual(['all', 'team']);
      await c.view.destroy('team');
      expect((await c.view.list()).map((v) => v.name)).toEqual(['all']);
    });

    it('builds: start, queue item, build, progressive log (meta and stream)', async () => {
      const q = await c.job.build('alpha');
      expect(typeof q).toBe('number');
      const item = await until('left the queue', async () => {
        const i = await c.queue.item(q);
        return i.executable ? i : undefined;
      });
      const n = (item.executable as { number: number }).number;
      expect(n).toBe(1);
      const first = await c.build.log('alpha', n, { meta: true });
      expect(first.text).toContain('Started by user alice\r\n');
      const text = await new Promise<string>((resolve, reject) => {
        let all = '';
        const s = c.build.logStream('alpha', n, { delay: 50 });
        s.on('data', (t: string) => (all += t));
        s.on('error', reject);
        s.on('end', () => resolve(all));
      });
      expect(text).toMatch(/Started by user alice\r\nBuilding in workspace .*\r\nFinished: SUCCESS\r\n$/);
      const done = await c.build.log('alpha', n, { meta: true });
      expect(done.more).toBe(false);
      expect(Number(done.size)).toBe(Buffer.byteLength(text.replace(/\r\n/g, '\n')));
      expect((await c.build.get('alpha', n)).result).toBe('SUCCESS');
    });

    it('agents: create with labels, exists/get/list/config, disable/enable (toggleOffline), disconnect, destroy; label get', async () => {
      await c.node.create('agent-1', { labelString: 'linux docker', remoteFS: '/srv/agent', numExecutors: 1 });
      expect(await c.node.exists('agent-1')).toBe(true);
      expect(await c.node.exists('missing')).toBe(false);
      const a = await c.node.get('agent-1');
      expect((a.assignedLabels as Array<{ name: string }>).map((l) => l.name)).toEqual(['agent-1', 'docker', 'linux']);
      expect((await c.node.list()).map((n) => n.displayName)).toEqual(['Built-In Node', 'agent-1']);
      const xml = (await c.node.config('agent-1'))!;
      expect(xml).toContain('<label>linux docker</label>');
      await c.node.config('agent-1', xml.replace('<label>linux docker</label>', '<label>linux docker arm</label>'));
      expect((await c.label.get('arm')).nodes).toEqual([{ _class: 'hudson.slaves.DumbSlave', nodeName: 'agent-1' }]);
      await c.node.disable('agent-1', 'patching');
      expect(await c.node.get('agent-1')).toMatchObject({ offline: true, temporarilyOffline: true, offlineCauseReason: 'patching' });
      await c.node.enable('agent-1');
      expect((await c.node.get('agent-1')).offline).toBe(false);
      await c.node.disconnect('agent-1', 'bye');
      expect(await c.node.get('agent-1')).toMatchObject({ offline: true, temporarilyOffline: false });
      await c.node.destroy('agent-1');
      expect(await c.node.exists('agent-1')).toBe(false);
      expect((await c.label.get('linux')).nodes).toEqual([]);
    });

    it('the queue: a job whose label no node carries waits with Jenkins\' why; cancel (the client expects 302, Jenkins answers 204)', async () => {
      await c.node.create('agent-2', { labelString: 'windows' });
      await c.job.create('needs-mac', FREESTYLE('mac only', 'mac'));
      const q = await c.job.build('needs-mac');
      const waiting = await until('a why', async () => {
        const items = await c.queue.list();
        return items.find((i) => i.id === q && i.why === 'There are no nodes with the label \u2018mac\u2019');
      });
      expect(waiting).toMatchObject({ buildable: true, stuck: true, task: { name: 'needs-mac' } });
      // queue/item/N/cancelQueue answers 204 (Queue.Item.doCancelQueue); this client version insists on a 302
      await expect(c.queue.cancel(q)).rejects.toThrow(/failed to cancel/);
      expect((await c.queue.item(q)).cancelled).toBe(true);
      expect(await c.queue.list()).toEqual([]);
    });

    it('plugins: list with depth 2 (dependencies, url, pinned, enabled, hasUpdate, ...)', async () => {
      const plugins = await c.plugin.list({ depth: 2 });
      const mb = plugins.find((p) => p.shortName === 'workflow-multibranch')!;
      expect(mb).toMatchObject({ enabled: true, pinned: false, hasUpdate: false, bundled: false, url: 'https://github.com/jenkinsci/workflow-multibranch-plugin' });
      expect((mb.dependencies as Array<{ shortName: string }>).map((d) => d.shortName)).toEqual(['branch-api', 'cloudbees-folder', 'scm-api', 'workflow-job']);
      // the stand-in's state agrees with what the client saw
      expect(((await json(r.s, '/api/json?tree=jobs[name]')).jobs as Array<{ name: string }>).map((j) => j.name)).toEqual(['alpha', 'needs-mac']);
    });
  });
}
