/** `branches.build_on_create` in a definition: a boolean, checked like every other key. */
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/load/definition.js';

const base = 'project: pay\nbranches:\n  repo: https://git.example.com/pay.git\n  templates: [CI-build-branch]\n';

describe('branches.build_on_create', () => {
  it('absent: undefined (new branch jobs are built); true and false are kept', () => {
    expect(parseDefinition('jobs/pay.yaml', base).definition?.branches?.build_on_create).toBeUndefined();
    expect(parseDefinition('jobs/pay.yaml', base + '  build_on_create: false\n').definition?.branches?.build_on_create).toBe(false);
    expect(parseDefinition('jobs/pay.yaml', base + '  build_on_create: true\n').definition?.branches?.build_on_create).toBe(true);
  });

  it('anything but a boolean is an error with the file, line and field, and the definition is refused', () => {
    const r = parseDefinition('jobs/pay.yaml', base + '  build_on_create: sometimes\n');
    expect(r.definition?.branches).toBeUndefined();
    const errors = r.diagnostics.filter((d) => d.severity === 'error' && d.field === 'branches.build_on_create');
    expect(errors).toEqual([{ severity: 'error', code: 'bad-type', message: 'branches.build_on_create must be true or false', file: 'jobs/pay.yaml', line: 5, column: 20, field: 'branches.build_on_create' }]);
  });

  it('a misspelling is caught with a suggestion', () => {
    const r = parseDefinition('jobs/pay.yaml', base + '  build_on_creat: false\n');
    expect(r.diagnostics.find((d) => d.severity === 'error')?.message).toMatch(/unknown key "build_on_creat" \(did you mean build_on_create\?\)/);
  });
});
