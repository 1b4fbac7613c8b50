import { describe, expect, test } from 'vitest';
import { flattenListing, listingTree } from '../../src/jenkins/listing-tree.js';

describe('listing tree', () => {
  test('depth 1 selects fields, views and a bare jobs list', () => {
    expect(listingTree(1)).toBe('jobs[name,fullName,description,color,views[name,description,jobs[fullName]],jobs],views[name,description,jobs[fullName]]');
  });
  test('depth n nests n levels', () => {
    const t = listingTree(3);
    expect(t.match(/jobs\[name,fullName/g)).toHaveLength(3);
    expect(t.endsWith('jobs]]],views[name,description,jobs[fullName]]')).toBe(true);
    expect(() => listingTree(0)).toThrow(RangeError);
  });
});

const FOLDER = 'com.cloudbees.hudson.plugins.folder.Folder';
const FREE = 'hudson.model.FreeStyleProject';

describe('flattening', () => {
  const response = {
    _class: 'hudson.model.Hudson',
    jobs: [
      { _class: FREE, name: 'plain', fullName: 'plain', description: null, color: 'blue' },
      { _class: FREE, name: 'off', fullName: 'off', description: 'x <!-- jobsmith:v1 -->', color: 'disabled_anime' },
      { _class: FREE, name: 'running', fullName: 'running', description: '', color: 'notbuilt_anime' },
      {
        _class: FOLDER,
        name: 'team',
        fullName: 'team',
        description: null,
        views: [{ _class: 'hudson.model.ListView', name: 'mine', jobs: [{ _class: FREE, fullName: 'team/a b' }] }],
        jobs: [
          { _class: FREE, name: 'a b', fullName: 'team/a b', description: null, color: 'red' },
          { _class: FOLDER, name: 'deep', fullName: 'team/deep', description: null, jobs: [{ _class: FREE }, { _class: FREE }] },
          { _class: FOLDER, name: 'empty', fullName: 'team/empty', description: null, jobs: [] },
        ],
      },
    ],
    views: [
      { _class: 'hudson.model.AllView', name: 'all', jobs: [{ _class: FREE, fullName: 'plain' }] },
      { _class: 'hudson.model.ListView', name: 'L', description: 'dash <!-- jobsmith:v2 kind=view -->', jobs: [] },
    ],
  };

  test('items with derived disabled/building and folder flags', () => {
    const flat = flattenListing(response);
    const by = Object.fromEntries(flat.items.map((i) => [i.fullName, i]));
    expect(Object.keys(by)).toEqual(['plain', 'off', 'running', 'team', 'team/a b', 'team/deep', 'team/empty']);
    expect(by.plain).toEqual({ fullName: 'plain', name: 'plain', className: FREE, description: null, color: 'blue', isFolder: false, disabled: false, building: false });
    expect(by.off).toMatchObject({ disabled: true, building: true, description: 'x <!-- jobsmith:v1 -->' });
    expect(by.running).toMatchObject({ disabled: false, building: true, description: '' });
    expect(by.team).toMatchObject({ isFolder: true, className: FOLDER });
    expect(by.team!.color).toBeUndefined();
  });
  test('folders deeper than the tree are reported, empty ones are not', () => {
    expect(flattenListing(response).deeper).toEqual(['team/deep']);
  });
  test('views of the root and of folders, with full job names', () => {
    expect(flattenListing(response).views).toEqual([
      { name: 'all', folder: [], className: 'hudson.model.AllView', jobs: ['plain'], description: null },
      { name: 'L', folder: [], className: 'hudson.model.ListView', jobs: [], description: 'dash <!-- jobsmith:v2 kind=view -->' },
      { name: 'mine', folder: ['team'], className: 'hudson.model.ListView', jobs: ['team/a b'], description: null },
    ]);
  });
  test('a follow-up listing of a folder: names under its path, its own views skipped on request', () => {
    const sub = { _class: FOLDER, views: [{ _class: 'hudson.model.AllView', name: 'All', jobs: [] }], jobs: [{ _class: FREE, name: 'x', description: null, color: 'blue' }] };
    const flat = flattenListing(sub, 'team/deep', { rootViews: false });
    expect(flat.items.map((i) => i.fullName)).toEqual(['team/deep/x']);
    expect(flat.views).toEqual([]);
    expect(flattenListing(sub, 'team/deep').views[0]!.folder).toEqual(['team', 'deep']);
  });
  test('a response that is not a listing is an error, never an empty Jenkins', () => {
    expect(() => flattenListing(null)).toThrow(TypeError);
    expect(() => flattenListing({ jobs: 'x' })).toThrow(TypeError);
    expect(() => flattenListing([1])).toThrow(TypeError);
    expect(() => flattenListing({ _class: 'hudson.model.Hudson' })).toThrow(/no "jobs"/);
  });
});
