import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, call, header, json, post, sleep, startTemp, type Running } from './standin-harness.js';

const JOB = (label: string | null, extra = '') =>
  `<project><description>d</description>${label === null ? '<canRoam>true</canRoam>' : `<assignedNode>${label}</assignedNode><canRoam>false</canRoam>`}<disabled>false</disabled>${extra}<builders/></project>`;

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
const FORM = 'application/x-www-form-urlencoded';

async function createAgent(r: Running, name: string, labels: string, extra: Record<string, unknown> = {}) {
  const res = await call(r.s, `/computer/doCreateItem?name=${encodeURIComponent(name)}&type=hudson.slaves.DumbSlave%24DescriptorImpl`, {
    method: 'POST',
    type: FORM,
    body: form({ json: JSON.stringify({ name, nodeDescription: `${name} box`, numExecutors: 2, remoteFS: `/home/${name}`, labelString: labels, mode: 'NORMAL', retentionStrategy: { 'stapler-class': 'hudson.slaves.RetentionStrategy$Always' }, nodeProperties: { 'stapler-class-bag': 'true' }, launcher: { 'stapler-class': 'hudson.slaves.JNLPLauncher' }, ...extra }) }),
  });
  return res;
}

async function queueItem(r: Running, id: number): Promise<Record<string, unknown>> {
  return json(r.s, `/queue/item/${id}/api/json`);
}
async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
function queueId(res: { headers: Record<string, unknown> }): number {
  return Number(/\/queue\/item\/(\d+)\/$/.exec(String(res.headers.location))![1]);
}

describe('nodes, labels and the queue', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp({ buildDurationMs: 300, quietPeriodMs: 0 });
  });
  afterAll(() => r.stop());

  it('computer/api/json: the built-in node only, as Jenkins exports it', async () => {
    const set = await json(r.s, '/computer/api/json');
    expect(set._class).toBe('hudson.model.ComputerSet');
    expect(set.displayName).toBe('Nodes');
    expect(set.totalExecutors).toBe(2);
    expect(set.busyExecutors).toBe(0);
    const [builtIn] = set.computer as Array<Record<string, unknown>>;
    expect(Object.keys(set)).toEqual(['_class', 'busyExecutors', 'computer', 'displayName', 'totalExecutors']);
    expect(builtIn).toMatchObject({
      _class: 'hudson.model.Hudson$MasterComputer',
      assignedLabels: [{ name: 'built-in' }],
      description: "the Jenkins controller's built-in node",
      displayName: 'Built-In Node',
      executors: [{}, {}],
      icon: 'symbol-computer',
      idle: true,
      numExecutors: 2,
      offline: false,
      offlineCause: null,
      offlineCauseReason: '',
      temporarilyOffline: false,
    });
    expect((await json(r.s, '/computer/(built-in)/api/json')).displayName).toBe('Built-In Node');
    expect((await json(r.s, '/computer/(master)/api/json')).displayName).toBe('Built-In Node');
    expect((await call(r.s, '/computer/nope/api/json')).status).toBe(404);
  });

  it('a job whose label no node has waits: "Waiting for next available executor" while there are no agents (stuck)', async () => {
    expect((await post(r.s, '/createItem?name=needs-linux', JOB('linux'))).status).toBe(200);
    const res = await post(r.s, '/job/needs-linux/build');
    expect(res.status).toBe(201);
    const id = queueId(res);
    const q = await waitFor('buildable', async () => {
      const x = await queueItem(r, id);
      return x._class === 'hudson.model.Queue$BuildableItem' ? x : undefined;
    });
    // Queue.BuildableItem.getCauseOfBlockage: with no agents Jenkins does not talk about nodes
    expect(q).toMatchObject({ why: 'Waiting for next available executor', buildable: true, blocked: false, stuck: true, pending: false });
    expect(typeof q.buildableStartMilliseconds).toBe('number');
    expect((q.task as Record<string, unknown>).name).toBe('needs-linux');
  });

  it('an agent created through computer/doCreateItem (302 to computer/), stored in nodes/, with its labels', async () => {
    const res = await createAgent(r, 'agent-a', 'windows x86_64');
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/computer/');
    const stored = readFileSync(path.join(r.home, 'nodes/agent-a/config.xml'), 'utf8');
    expect(stored).toContain('<slave>');
    expect(stored).toContain('<label>windows x86_64</label>');
    expect(stored).toContain('<launcher class="hudson.slaves.JNLPLauncher">');
    const agent = await json(r.s, '/computer/agent-a/api/json');
    expect(agent).toMatchObject({
      _class: 'hudson.slaves.SlaveComputer',
      assignedLabels: [{ name: 'agent-a' }, { name: 'windows' }, { name: 'x86_64' }],
      description: 'agent-a box',
      displayName: 'agent-a',
      jnlpAgent: true,
      numExecutors: 2,
      offline: false,
      absoluteRemotePath: '/home/agent-a',
    });
  });

  it('now the waiting build names the label: "There are no nodes with the label ‘linux’"', async () => {
    const items = await waitFor('why names the label', async () => {
      const q = await json(r.s, '/queue/api/json');
      const list = q.items as Array<Record<string, unknown>>;
      return list.length === 1 && list[0]!.why === 'There are no nodes with the label \u2018linux\u2019' ? q : undefined;
    });
    expect(Object.keys(items)).toEqual(['_class', 'discoverableItems', 'items']);
    expect(items._class).toBe('hudson.model.Queue');
  });

  it('agent create: name checks, duplicate, missing json and bad executor counts, like ComputerSet', async () => {
    let res = await createAgent(r, 'agent-a', 'x');
    expect(res.status).toBe(400);
    expect(header(res, 'x-error')).toBe('Agent called ?agent-a? already exists');
    res = await createAgent(r, 'bad/name', 'x');
    expect(header(res, 'x-error')).toBe('?/? is an unsafe character');
    res = await call(r.s, '/computer/doCreateItem?name=nojson&type=hudson.slaves.DumbSlave', { method: 'POST', type: FORM, body: 'a=b' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('This page expects a form submission');
    res = await createAgent(r, 'zero', 'x', { numExecutors: 0 });
    expect(res.status).toBe(400);
    expect(header(res, 'x-error')).toBe('Invalid agent configuration for zero. Invalid number of executors.');
    expect(existsSync(path.join(r.home, 'nodes/zero'))).toBe(false);
    expect((await call(r.s, '/computer/doCreateItem?name=x', { method: 'GET' })).status).toBe(404);
  });

  it('a label-matching agent appears: the waiting build starts there (builtOn, console line)', async () => {
    const xml = (await call(r.s, '/computer/agent-a/config.xml')).text;
    expect(xml).toMatch(/^<\?xml version="1.1" encoding="UTF-8"\?>\n<slave>/);
    const changed = xml.replace('<label>windows x86_64</label>', '<label>windows x86_64 linux</label>');
    expect((await post(r.s, '/computer/agent-a/config.xml', changed)).status).toBe(200);
    const build = await waitFor('a build of needs-linux', async () => {
      const j = await json(r.s, '/job/needs-linux/api/json?tree=lastBuild[number,builtOn]');
      return j.lastBuild ? (j.lastBuild as Record<string, unknown>) : undefined;
    });
    expect(build.builtOn).toBe('agent-a');
    const log = await waitFor('finished log', async () => {
      const t = (await call(r.s, '/job/needs-linux/1/consoleText')).text;
      return t.includes('Finished:') ? t : undefined;
    });
    expect(log).toBe(`Started by user alice\nBuilding remotely on agent-a (windows x86_64 linux) in workspace /home/agent-a/workspace/needs-linux\nFinished: SUCCESS\n`);
    expect(((await json(r.s, '/queue/api/json')).items as unknown[]).length).toBe(0);
  });

  it('label/NAME/api/json lists the nodes a label or expression matches', async () => {
    const linux = await json(r.s, '/label/linux/api/json');
    expect(linux._class).toBe('hudson.model.labels.LabelAtom');
    expect(linux.name).toBe('linux');
    expect(linux.nodes).toEqual([{ _class: 'hudson.slaves.DumbSlave', nodeName: 'agent-a' }]);
    expect(linux.description).toBe('agent-a box');
    expect(linux.totalExecutors).toBe(2);
    expect(linux.offline).toBe(false);
    expect(linux.tiedJobs).toEqual([{ _class: 'hudson.model.FreeStyleProject', name: 'needs-linux', url: `${r.s.url}/job/needs-linux/`, color: 'blue' }]);
    const expr = await json(r.s, `/label/${encodeURIComponent('linux || built-in')}/api/json`);
    expect(expr._class).toBe('hudson.model.labels.LabelExpression$Or');
    expect(expr.name).toBe('linux||built-in');
    expect(expr.nodes).toEqual([{ _class: 'hudson.model.Hudson', nodeName: '' }, { _class: 'hudson.slaves.DumbSlave', nodeName: 'agent-a' }]);
    expect(expr.description).toBe('group of Built-In Node,agent-a');
    const none = await json(r.s, '/label/solaris/api/json');
    expect(none).toMatchObject({ nodes: [], description: 'invalid label', offline: true, totalExecutors: 0 });
  });

  it('toggleOffline: the agent is temporarily offline, builds for its label wait with "‘agent-a’ is offline"; back online, they run', async () => {
    let res = await post(r.s, '/computer/agent-a/toggleOffline?offlineMessage=maintenance');
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/computer/agent-a/');
    const agent = await json(r.s, '/computer/agent-a/api/json?depth=1');
    expect(agent).toMatchObject({ offline: true, temporarilyOffline: true, offlineCauseReason: 'maintenance', icon: 'symbol-computer-disconnected' });
    expect(agent.offlineCause).toMatchObject({ _class: 'hudson.slaves.OfflineCause$UserCause', description: 'Disconnected by alice : maintenance' });
    const id = queueId(await post(r.s, '/job/needs-linux/build'));
    const q = await waitFor('blocked by offline agent', async () => {
      const x = await queueItem(r, id);
      return x.why === '\u2018agent-a\u2019 is offline' ? x : undefined;
    });
    expect(q.stuck).toBe(true);
    res = await post(r.s, '/computer/agent-a/toggleOffline');
    expect(res.status).toBe(302);
    const left = await waitFor('started', async () => {
      const x = await queueItem(r, id);
      return x._class === 'hudson.model.Queue$LeftItem' ? x : undefined;
    });
    expect(left.cancelled).toBe(false);
    expect((left.executable as Record<string, unknown>).number).toBe(2);
  });

  it('an expression over two agents that are both offline: "All nodes of label ‘…’ are offline"', async () => {
    expect((await createAgent(r, 'agent-b', 'linux')).status).toBe(302);
    await post(r.s, '/computer/agent-a/toggleOffline');
    await post(r.s, '/computer/agent-b/doDisconnect?offlineMessage=gone');
    expect((await json(r.s, '/computer/agent-b/api/json')).temporarilyOffline).toBe(false);
    expect((await json(r.s, '/computer/agent-b/api/json')).offline).toBe(true);
    expect((await post(r.s, '/createItem?name=linux-and-not-arm', JOB('linux &amp;&amp; !arm'))).status).toBe(200);
    const id = queueId(await post(r.s, '/job/linux-and-not-arm/build'));
    await waitFor('all offline', async () => ((await queueItem(r, id)).why === 'All nodes of label \u2018linux&&!arm\u2019 are offline' ? true : undefined));
    expect((await json(r.s, '/job/linux-and-not-arm/api/json?tree=labelExpression')).labelExpression).toBe('linux && !arm');
    // cancel it through the queue: 204, then the item has left, cancelled
    const res = await post(r.s, `/queue/cancelItem?id=${id}`);
    expect(res.status).toBe(204);
    expect(await queueItem(r, id)).toMatchObject({ _class: 'hudson.model.Queue$LeftItem', cancelled: true, executable: null });
    expect((await post(r.s, `/queue/cancelItem?id=${id}`)).status).toBe(500);
    expect((await post(r.s, '/queue/cancelItem?id=99999')).status).toBe(404);
    expect((await call(r.s, `/queue/cancelItem?id=${id}`)).status).toBe(405);
    // reconnect the agent
    expect((await post(r.s, '/computer/agent-b/launchSlaveAgent')).status).toBe(302);
    expect((await json(r.s, '/computer/agent-b/api/json')).offline).toBe(false);
    await post(r.s, '/computer/agent-a/toggleOffline');
  });

  it('a job that roams (canRoam) runs anywhere; the built-in node cannot be deleted; agents can', async () => {
    expect((await post(r.s, '/createItem?name=roams', JOB(null))).status).toBe(200);
    expect((await json(r.s, '/job/roams/api/json?tree=labelExpression')).labelExpression).toBeNull();
    expect((await post(r.s, '/computer/(built-in)/doDelete')).status).toBe(403);
    const res = await post(r.s, '/computer/agent-b/doDelete');
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/computer/');
    expect(existsSync(path.join(r.home, 'nodes/agent-b'))).toBe(false);
    expect((await call(r.s, '/computer/agent-b/api/json')).status).toBe(404);
  });

  it('agent config.xml POST: another node type is refused (400) and changes nothing; a read-only user gets 403', async () => {
    const before = (await call(r.s, '/computer/agent-a/config.xml')).text;
    const res = await post(r.s, '/computer/agent-a/config.xml', '<hudson><numExecutors>1</numExecutors></hudson>');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Node types do not match');
    expect((await call(r.s, '/computer/agent-a/config.xml')).text).toBe(before);
    const reader = await startTemp({ users: [{ name: 'rita', token: 'tok', permissions: 'read' }] });
    try {
      const auth = basic('rita', 'tok');
      const denied = await call(reader.s, '/computer/doCreateItem?name=x&type=hudson.slaves.DumbSlave', { method: 'POST', auth, type: FORM, body: form({ json: '{}' }) });
      expect(denied.status).toBe(403);
      expect(header(denied, 'x-required-permission')).toBe('hudson.model.Computer.Create');
      expect(denied.text).toContain('rita is missing the Agent/Create permission');
    } finally {
      await reader.stop();
    }
  });

  it('agents survive a restart of the stand-in (read back from nodes/)', async () => {
    // a restart: the stand-in stops (one stand-in per home), a new one reads the home
    await r.s.close();
    const again = await startTemp({ home: r.home });
    try {
      const set = await json(again.s, '/computer/api/json?tree=computer[displayName,assignedLabels[name]]');
      expect(set.computer).toEqual([
        { _class: 'hudson.model.Hudson$MasterComputer', assignedLabels: [{ name: 'built-in' }], displayName: 'Built-In Node' },
        { _class: 'hudson.slaves.SlaveComputer', assignedLabels: [{ name: 'agent-a' }, { name: 'linux' }, { name: 'windows' }, { name: 'x86_64' }], displayName: 'agent-a' },
      ]);
    } finally {
      await again.s.close();
    }
  });
});

describe('queue API shapes and progressive console text', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp({ buildDurationMs: 600, quietPeriodMs: 0 });
    await post(r.s, '/createItem?name=p', `<project><canRoam>true</canRoam><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions><hudson.model.StringParameterDefinition><name>WHO</name><defaultValue>x</defaultValue></hudson.model.StringParameterDefinition></parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties></project>`);
  });
  afterAll(() => r.stop());

  it('a waiting item in the quiet period: WaitingItem with timestamp, why, actions (parameters, cause) and the task', async () => {
    const res = await post(r.s, '/job/p/buildWithParameters?WHO=me&delay=30sec');
    expect(res.status).toBe(201);
    const id = queueId(res);
    const q = await json(r.s, '/queue/api/json');
    const [item] = q.items as Array<Record<string, unknown>>;
    expect(q.discoverableItems).toEqual([]);
    expect(Object.keys(item!)).toEqual(['_class', 'actions', 'blocked', 'buildable', 'id', 'inQueueSince', 'params', 'stuck', 'task', 'url', 'why', 'timestamp']);
    expect(item).toMatchObject({
      _class: 'hudson.model.Queue$WaitingItem',
      actions: [
        { _class: 'hudson.model.ParametersAction', parameters: [{ _class: 'hudson.model.StringParameterValue', name: 'WHO', value: 'me' }] },
        { _class: 'hudson.model.CauseAction', causes: [{ _class: 'hudson.model.Cause$UserIdCause', shortDescription: 'Started by user alice', userId: 'alice', userName: 'alice' }] },
      ],
      blocked: false,
      buildable: false,
      id,
      params: '\nWHO=me',
      stuck: false,
      task: { _class: 'hudson.model.FreeStyleProject', name: 'p', url: `${r.s.url}/job/p/`, color: 'notbuilt' },
      url: `queue/item/${id}/`,
    });
    expect(String(item!.why)).toMatch(/^In the quiet period\. Expires in (29|30) sec$/);
    const index = await call(r.s, `/queue/item/${id}/`);
    expect(index.status).toBe(200);
    expect(index.text).toBe(`Queue item exists. For details check, for example, /queue/item/${id}/api/json?tree=cancelled,executable[url]`);
    // the deprecated per-item cancel answers 204 too
    expect((await post(r.s, `/queue/item/${id}/cancelQueue`)).status).toBe(204);
    expect((await queueItem(r, id)).cancelled).toBe(true);
  });

  it('logText/progressiveText: text from a byte offset, X-Text-Size, X-More-Data while running, CRLF line ends', async () => {
    const id = queueId(await post(r.s, '/job/p/buildWithParameters?WHO=x'));
    const num = await waitFor('started', async () => {
      const x = await queueItem(r, id);
      return x.executable ? ((x.executable as Record<string, unknown>).number as number) : undefined;
    });
    const running = await call(r.s, `/job/p/${num}/logText/progressiveText?start=0`);
    expect(running.status).toBe(200);
    expect(header(running, 'content-type')).toBe('text/plain;charset=UTF-8');
    expect(header(running, 'x-more-data')).toBe('true');
    const size = Number(header(running, 'x-text-size'));
    expect(running.text).toBe(`Started by user alice\r\nBuilding in workspace ${r.home}/workspace/p\r\n`);
    expect(size).toBe(Buffer.byteLength(`Started by user alice\nBuilding in workspace ${r.home}/workspace/p\n`));
    await waitFor('finished', async () => ((await json(r.s, `/job/p/${num}/api/json`)).building === false ? true : undefined));
    const rest = await call(r.s, `/job/p/${num}/logText/progressiveText`, { method: 'POST', type: FORM, body: `start=${size}` });
    expect(rest.text).toBe('Finished: SUCCESS\r\n');
    expect(header(rest, 'x-more-data')).toBeUndefined();
    expect(Number(header(rest, 'x-text-size'))).toBe(size + 'Finished: SUCCESS\n'.length);
    // past the end: the whole text again ("rolled over"); a bad start: 500
    expect((await call(r.s, `/job/p/${num}/logText/progressiveText?start=99999`)).text.startsWith('Started by user alice')).toBe(true);
    expect((await call(r.s, `/job/p/${num}/logText/progressiveText?start=abc`)).status).toBe(500);
    const html = await call(r.s, `/job/p/${num}/logText/progressiveHtml`);
    expect(header(html, 'content-type')).toBe('text/html;charset=UTF-8');
    expect((await call(r.s, `/job/p/99/logText/progressiveText`)).status).toBe(404);
  });
});

describe('hostile input to nodes, labels and sign-in', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp({ buildDurationMs: 100, quietPeriodMs: 0 });
  });
  afterAll(() => r.stop());

  it('agent names: `..` and separators refused, unicode and spaces fine, an over-long name leaves nothing behind', async () => {
    expect(header(await createAgent(r, '..', 'x'), 'x-error')).toBe('?..? is not an allowed name');
    expect(header(await createAgent(r, 'a\\b', 'x'), 'x-error')).toBe('?\\? is an unsafe character');
    expect((await createAgent(r, 'büro agent', 'x')).status).toBe(302);
    expect((await json(r.s, `/computer/${encodeURIComponent('büro agent')}/api/json`)).displayName).toBe('büro agent');
    const long = 'n'.repeat(300);
    expect((await createAgent(r, long, 'x')).status).toBe(500);
    expect(existsSync(path.join(r.home, 'nodes', long))).toBe(false);
    expect((await call(r.s, `/computer/${long}/api/json`)).status).toBe(404);
    const xml = await call(r.s, '/computer/createItem', { method: 'POST', body: '<slave><name>../../escape</name><numExecutors>1</numExecutors></slave>' });
    expect(xml.status).toBe(400);
    expect(existsSync(path.join(r.home, '..', 'escape'))).toBe(false);
  });

  it('pathological label expressions neither crash nor hang the stand-in', async () => {
    const deep = '('.repeat(5000) + 'a' + ')'.repeat(5000);
    const res = await call(r.s, `/label/${encodeURIComponent(deep)}/api/json?tree=name,nodes[nodeName]`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).nodes).toEqual([]);
    const long = Array.from({ length: 3000 }, (_, k) => `l${k}`).join('&&');
    expect((await call(r.s, `/label/${encodeURIComponent(long)}/api/json?tree=name`)).status).toBe(200);
    await post(r.s, '/createItem?name=deep', JOB(deep));
    const id = queueId(await post(r.s, '/job/deep/build'));
    await waitFor('buildable', async () => ((await queueItem(r, id))._class === 'hudson.model.Queue$BuildableItem' ? true : undefined));
  });

  it('a deep depth= on nodes and labels stays bounded (labels inside a label\'s nodes are name-only)', async () => {
    const res = await call(r.s, '/computer/api/json?depth=60');
    expect(res.status).toBe(200);
    expect(res.text.length).toBeLessThan(200_000);
    const lbl = JSON.parse((await call(r.s, '/label/built-in/api/json?depth=60')).text);
    expect(lbl.nodes[0].assignedLabels).toEqual([{ name: 'built-in' }]);
  });

  it('sign-in: `from` with line breaks or non-ASCII cannot break the Location header', async () => {
    const r2 = await startTemp();
    try {
      const body = `j_username=alice&j_password=${encodeURIComponent('correct horse')}&from=${encodeURIComponent('/job/x\r\nSet-Cookie: evil=1/é')}`;
      const res = await call(r2.s, '/j_spring_security_check', { method: 'POST', auth: null, type: FORM, body });
      expect(res.status).toBe(302);
      expect(header(res, 'location')).toBe('/job/x%0D%0ASet-Cookie:%20evil=1/%C3%A9');
      expect(String(header(res, 'set-cookie'))).not.toContain('evil');
    } finally {
      await r2.stop();
    }
  });
});
