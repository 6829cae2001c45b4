import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import type { AccessService } from '../../../common/access/access.service.js';
import { parseAgency, type Caller, type Category } from '../../../common/domain.js';
import type { Decision } from '../../../common/policy/policy.js';
import { loadShippedCatalogue, parseCatalogue } from '../../../common/policy/statutes.js';
import { CefrLevel, Recognition } from '../entities/enums.js';
import type { CandidateFilter } from '../inputs/candidate.input.js';
import {
  CandidateSearchService,
  SEARCH_CHUNK,
  consentCategories,
  decodeCursor,
  encodeCursor,
  levelsFrom,
  recognitionsFrom,
} from './candidate-search.service.js';

const jobcenter: Caller = {
  officer: 'j.test',
  agency: parseAgency('jobcenter')!,
  role: 'CASEWORKER',
  roles: ['CASEWORKER'],
  purpose: 'JOB_PLACEMENT',
  requestId: 'r1',
};
const catalogue = loadShippedCatalogue();
const id = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

/** A district whose consent registry never runs out of consenting persons, all matching, none living where asked. */
function endless(allowed: (personId: string, category: Category) => boolean = () => true) {
  const calls = { consented: 0, county: 0, municipalities: 0 };
  let next = 1;
  const db = {
    query: (_sql: string, params: unknown[]) => (
      calls.county++,
      Promise.resolve((params[0] as string[]).map((p) => ({ id: p })))
    ),
  } as unknown as EntityManager;
  const access = {
    caller: jobcenter,
    decide: (personId: string, category: Category): Promise<Decision> =>
      Promise.resolve(
        allowed(personId, category)
          ? { allowed: true, basis: 'CONSENT:c@1' }
          : { allowed: false, refusal: 'CONSENT_REQUIRED', reason: 'no' },
      ),
  } as unknown as AccessService;
  const partners = {
    access,
    catalogue,
    consentedPersons: () => {
      calls.consented++;
      return Promise.resolve(Array.from({ length: SEARCH_CHUNK }, () => id(next++)));
    },
    housingMatches: () => (calls.municipalities++, Promise.resolve([])),
  };
  return { db, partners, calls };
}

const filter = { language: { language: 'de', atLeast: CefrLevel.B1 }, livingIn: ['08999001'] } as CandidateFilter;

describe('candidate search (pure parts)', () => {
  it('orders levels and recognitions as the filter means them', () => {
    assert.deepEqual(levelsFrom(CefrLevel.B1), ['B1', 'B2', 'C1', 'C2', 'NATIVE']);
    assert.deepEqual(levelsFrom(CefrLevel.NATIVE), ['NATIVE']);
    assert.deepEqual(recognitionsFrom(Recognition.PARTIAL).sort(), ['FULL', 'PARTIAL']);
    assert.deepEqual(recognitionsFrom(Recognition.NOT_APPLIED).length, 5);
  });

  it('needs a consent for every filtered category no statute entry covers, never for HEALTH by statute', () => {
    assert.deepEqual(consentCategories(jobcenter, catalogue, ['CLEARING_LANGUAGE', 'HOUSING', 'IDENTITY']), [
      'CLEARING_LANGUAGE',
      'HOUSING',
    ]);
    const generous = parseCatalogue({
      version: 't',
      entries: [
        {
          id: 'x',
          reference: 'test',
          description: '',
          agencies: ['jobcenter'],
          purposes: ['JOB_PLACEMENT'],
          categories: ['HOUSING'],
        },
      ],
    });
    assert.deepEqual(consentCategories(jobcenter, generous, ['CLEARING_LANGUAGE', 'HOUSING']), ['CLEARING_LANGUAGE']);
  });

  it('encrypts cursors: they name no person and a changed or foreign one is refused', () => {
    const cursor = encodeCursor(id(7));
    assert.ok(!cursor.includes(id(7)) && !Buffer.from(cursor, 'base64url').toString('latin1').includes(id(7)));
    assert.equal(decodeCursor(cursor), id(7));
    assert.notEqual(encodeCursor(id(7)), cursor, 'the same position never gives the same cursor twice');
    const tampered = `${cursor.slice(0, -2)}${cursor.endsWith('A') ? 'B' : 'A'}A`;
    for (const bad of [tampered, Buffer.from(id(7)).toString('base64url'), '', 'x'])
      assert.throws(() => decodeCursor(bad), /BAD_USER_INPUT|not a cursor/);
  });

  it("stops at the request's budget of rounds, shared by all its searches, and answers a cursor to go on from", async () => {
    const { db, partners, calls } = endless();
    const budget = { rounds: 3 };
    const first = await new CandidateSearchService(db, { ...partners, budget }).search(filter, 20, null);
    assert.deepEqual(first.candidates, []);
    assert.equal(first.hasNextPage, true);
    assert.equal(
      decodeCursor(first.endCursor!),
      id(3 * SEARCH_CHUNK),
      'the next page starts after the last person read',
    );
    assert.deepEqual(calls, { consented: 3, county: 3, municipalities: 3 });
    const alias = await new CandidateSearchService(db, { ...partners, budget }).search(filter, 20, null);
    assert.equal(alias.hasNextPage, true);
    assert.deepEqual(
      calls,
      { consented: 3, county: 3, municipalities: 3 },
      'a second search of the same request has no rounds left',
    );
  });

  it('asks the municipalities only about persons allowed every filtered category, and only up to the page', async () => {
    const asked: { personIds: string[]; first: number }[] = [];
    const { db, partners } = endless((personId, category) => category !== 'HOUSING' || personId.endsWith('1'));
    const result = await new CandidateSearchService(db, {
      ...partners,
      housingMatches: (request) => (
        asked.push(request),
        Promise.resolve(request.personIds.slice(0, 2).map((personId) => ({ personId, municipality: '08999001' })))
      ),
      budget: { rounds: 1 },
    }).search(filter, 5, null);
    assert.ok(asked[0].personIds.every((p) => p.endsWith('1')));
    assert.equal(asked[0].first, 5);
    assert.equal(result.candidates.length, 2);
  });
});
