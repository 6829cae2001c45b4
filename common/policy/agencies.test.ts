import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
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

  it('reads the demo district’s letterhead, with the supervisory authority to complain to', () => {
    const head = loadAgencyList().letterhead;
    assert.ok(head, 'the demo district has a letterhead');
    assert.equal(head.authority, 'Landkreis Lindenau');
    assert.ok(head.supervisoryAuthority.address.length >= 1);
    assert.match(head.referencePrefix, /^DS 15$/);
  });

  it('refuses a letterhead with a field missing or wrong, naming the field', () => {
    const good = loadAgencyList().letterhead!;
    const withHead = (letterhead: unknown) => () =>
      parseAgencyList({ agencies: ['county'], letterhead }, 'AGENCIES_FILE');
    assert.throws(withHead('Landkreis'), /AGENCIES_FILE is invalid: letterhead must be an object/);
    assert.throws(withHead({ ...good, authority: '' }), /letterhead\.authority must be text of 1 to 200 characters/);
    assert.throws(withHead({ ...good, email: 'nobody' }), /letterhead\.email must be an e-mail address/);
    assert.throws(withHead({ ...good, address: [] }), /letterhead\.address must be a list of 1 to 6 address lines/);
    assert.throws(
      withHead({ ...good, supervisoryAuthority: { ...good.supervisoryAuthority, address: ['Straße 1', 7] } }),
      /letterhead\.supervisoryAuthority\.address\[1\] must be text/,
    );
    assert.throws(
      withHead({ ...good, dataProtectionOfficer: undefined }),
      /letterhead\.dataProtectionOfficer must be an object/,
    );
    assert.throws(withHead({ ...good, referencePrefix: '<DS>' }), /letterhead\.referencePrefix must be up to 20/);
    assert.throws(
      withHead({ ...good, supervisoryAuthority: { ...good.supervisoryAuthority, web: 'http://x.example' } }),
      /letterhead\.supervisoryAuthority\.web must be an https:\/\/ address/,
    );
    assert.equal(parseAgencyList({ agencies: ['county'] }).letterhead, undefined, 'a letterhead is optional');
  });

  it('stops the start-up on a wrong letterhead, naming AGENCIES_FILE and the field', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'verbund-agencies-')), 'agencies.json');
    const good = loadAgencyList().letterhead!;
    writeFileSync(
      file,
      JSON.stringify({ agencies: ['county'], letterhead: { ...good, supervisoryAuthority: { name: 'LfDI' } } }),
    );
    assert.throws(
      () => loadConfig({ AGENCIES_FILE: file }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /AGENCIES_FILE=/.test(error.message) &&
        /letterhead\.supervisoryAuthority\.address must be a list of 1 to 6 address lines/.test(error.message),
    );
    writeFileSync(file, JSON.stringify({ agencies: ['county'], letterhead: good }));
    assert.equal(loadConfig({ AGENCIES_FILE: file }).agencies.letterhead?.authority, good.authority);
  });
});
