/**
 * The rule apply asks right before it writes (src/plan/rules/still-owned.ts): is the item, as
 * Jenkins holds it now, still the one the plan saw? Pure: config text in, a reason or undefined out.
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/model/plan.js';
import { formatMarker, type Marker } from '../../src/plan/marker.js';
import { createdGuard, destructiveGuard, repeatGuard } from '../../src/plan/rules/still-owned.js';
import { withMarker } from '../../src/plan/config-description.js';
import { asideName } from '../../src/plan/aside-name.js';

const OWNER = 'github.com/acme/ci';
const H1 = `sha256:${'1'.repeat(64)}`;
const H2 = `sha256:${'2'.repeat(64)}`;
const config = (m: Partial<Marker> | null = {}) => {
  const base = `<?xml version="1.1" encoding="UTF-8"?>\n<project>\n  <description>Builds it</description>\n  <builders/>\n</project>\n`;
  if (!m) return base;
  const marker: Marker = { kind: 'job', owner: OWNER, name: 'team/app', project: 'app', template: 'T', hash: H1, ...m };
  for (const k of Object.keys(marker) as Array<keyof Marker>) if (marker[k] === undefined) delete marker[k];
  return withMarker(base, formatMarker(marker));
};
const change = (over: Partial<Change>): Change => ({ kind: 'delete', target: 'job', fullName: 'team/app', reason: 'r', code: 'project-removed', previousHash: H1, ...over });

describe('before a destructive step: this owner\'s marker, naming the item, with the hash the plan saw', () => {
  const guard = destructiveGuard(change({}), OWNER);
  it('the item as listed passes (names compare as Jenkins compares them: case aside)', () => {
    expect(guard(config())).toBeUndefined();
    expect(guard(config({ name: 'Team/App' }))).toBeUndefined();
  });
  it('anything else is refused, saying why', () => {
    expect(guard(config(null))).toBe('it carries no jobsmith marker');
    expect(guard(config({ owner: 'github.com/other/defs' }))).toBe('it is managed by other definitions (owner github.com/other/defs)');
    expect(guard(config({ name: 'team/original' }))).toBe('its marker names team/original (a copy, or an item renamed to this name)');
    expect(guard(config({ owner: undefined, name: undefined }))).toBe('it carries an old (v1) jobsmith marker');
    expect(guard(config({ hash: H2 }))).toBe('its marker records another config (another run changed it)');
    expect(guard(config({ kind: 'folder' }))).toBe("it carries a folder's marker");
    expect(guard('<project><description>not XML')).toBe('it carries no jobsmith marker');
  });
  it('a move is checked at its source; a folder wants a folder\'s marker', () => {
    expect(destructiveGuard(change({ kind: 'move', fullName: 'web/app', from: 'team/app' }), OWNER, 'team/app')(config())).toBeUndefined();
    const folder = (m: Partial<Marker>, extra = '') => config(m).replace('Builds it\n', '').replace('<builders/>', extra);
    expect(destructiveGuard(change({ target: 'folder' }), OWNER)(folder({ kind: 'folder' }))).toBeUndefined();
    expect(destructiveGuard(change({ target: 'folder' }), OWNER)(folder({}))).toBe("it carries a job's marker");
    // a folder jobsmith made, configured by a person since: not deleted
    expect(destructiveGuard(change({ target: 'folder' }), OWNER)(config({ kind: 'folder' }))).toBe('it was configured in Jenkins since (a description)');
    expect(destructiveGuard(change({ target: 'folder' }), OWNER)(folder({ kind: 'folder' }, '<properties><x.FolderCredentialsProperty/></properties>'))).toBe('it was configured in Jenkins since (folder properties (FolderCredentialsProperty))');
  });
});

describe('leftovers of a change jobsmith stopped half-way (the plan finishes them)', () => {
  it('a move finishing a two-step move: the job at the old place carries the target\'s marker with from=', () => {
    const move = change({ kind: 'move', fullName: 'web/app', from: 'team/app-tmp' });
    expect(destructiveGuard(move, OWNER, 'team/app-tmp')(config({ name: 'web/app', from: 'team/app' }))).toBeUndefined();
    expect(destructiveGuard(move, OWNER, 'team/app-tmp')(config({ name: 'web/other', from: 'team/app' }))).toBe('its marker names web/other (a copy, or an item renamed to this name)');
  });
  it('the delete of an item parked at a replacement\'s aside name: its marker names the replaced item; elsewhere it is a copy', () => {
    const aside = asideName('team/app', () => true);
    expect(destructiveGuard(change({ fullName: aside }), OWNER)(config({ name: 'team/app' }))).toBeUndefined();
    expect(destructiveGuard(change({ fullName: 'team/other' }), OWNER)(config({ name: 'team/app' }))).toBe('its marker names team/app (a copy, or an item renamed to this name)');
  });
});

describe('before a write is repeated: still this owner\'s, as listed or as this write left it', () => {
  const guard = repeatGuard(change({ kind: 'update', hash: H2 }), OWNER)!;
  it('the listed marker, the one written, a claimed old v1 marker and an interrupted move pass', () => {
    expect(guard(config())).toBeUndefined();
    expect(guard(config({ hash: H2 }))).toBeUndefined();
    expect(guard(config({ owner: undefined, name: undefined }))).toBeUndefined();
    expect(guard(config({ name: 'team/before-the-move' }))).toBeUndefined();
  });
  it('no marker, another owner, another hash: refused', () => {
    expect(guard(config(null))).toBe('it carries no jobsmith marker');
    expect(guard(config({ owner: 'someone-else' }))).toBe('it is managed by other definitions (owner someone-else)');
    expect(guard(config({ hash: `sha256:${'3'.repeat(64)}` }))).toBe('its marker records another config (another run changed it)');
  });
  it('an adoption has no guard (the item is taken as it is)', () => {
    expect(repeatGuard(change({ kind: 'adopt', previousHash: undefined }), OWNER)).toBeUndefined();
  });
});

describe('after a create whose answer was lost: the item found is this create\'s only when it carries the marker the create wrote', () => {
  const written = config({ hash: H2, name: 'team/app' });
  const guard = createdGuard(change({ kind: 'create', config: written }))!;
  it('what it wrote passes; a person\'s job, a copy, another owner\'s do not', () => {
    expect(guard(written)).toBeUndefined();
    expect(guard(config(null))).toBe('it carries no jobsmith marker');
    expect(guard(config({ hash: H2, name: 'team/original' }))).toBe('its marker names team/original (a copy, or an item renamed to this name)');
    expect(guard(config({ hash: H2, owner: 'x' }))).toBe('it is managed by other definitions (owner x)');
    expect(guard(config({ hash: H1 }))).toBe('its marker records another config (another run changed it)');
  });
  it('a config without a marker (a restore of an unmanaged item) leaves the test to the client', () => {
    expect(createdGuard(change({ kind: 'create', config: config(null) }))).toBeUndefined();
  });
});
