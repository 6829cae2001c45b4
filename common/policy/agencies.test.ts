import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { loadAgencyList, parseAgencyList } from './agencies.js';

describe('the district’s agency list', () => {
  it('takes plain ids and ids with the name people know the agency by', () => {
    const list = parseAgencyList({
      agencies: ['county', { id: 'municipality:08999001', displayName: ' Stadt Lindenau ' }, { id: 'jobcenter' }],
    });
    assert.deepEqual(list.ids, ['county', 'municipality:08999001', 'jobcenter']);
    assert.ok(list.has('jobcenter'));
    assert.deepEqual(list.displayNames, { 'municipality:08999001': 'Stadt Lindenau' });
  });

  it('refuses an entry that is no agency id, or a name that is not text, naming the entry', () => {
    assert.throws(
      () => parseAgencyList({ agencies: [{ displayName: 'Niemand' }] }),
      /undefined is not a Verbund agency id/,
    );
    assert.throws(() => parseAgencyList({ agencies: [{ id: 'socialcare:1x' }] }), /"socialcare:1x" is not/);
    for (const displayName of ['', '  ', 7, 'x'.repeat(121)])
      assert.throws(
        () => parseAgencyList({ agencies: [{ id: 'county', displayName }] }),
        /the displayName of county must be text/,
      );
  });

  it('names every agency of the demo district', () => {
    const list = loadAgencyList();
    for (const id of list.ids) assert.ok(list.displayNames[id], `${id} has a displayName`);
    assert.equal(list.displayNames['municipality:08999001'], 'Stadt Lindenau');
  });
});
