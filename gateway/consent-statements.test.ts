import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { MAX_SIGNED_PERSONS } from '../common/audit/proofs/signed-grants.js';
import { parseAgency, type Caller } from '../common/domain.js';
import { dataFetchesOf, MAX_STATEMENT_LENGTH, personIdsOf, RequestStatements } from './consent-statements.js';

const caller = {
  officer: 'test.officer',
  agency: parseAgency('jobcenter')!,
  role: 'CASEWORKER',
  roles: ['CASEWORKER'],
  purpose: 'JOB_PLACEMENT',
  requestId: randomUUID(),
} as Caller;

/** A request's statements over a fetcher that answers `answer` and counts its calls. */
function statements(answer: string | undefined, dataFetches = 3) {
  const calls: string[][] = [];
  const request = new RequestStatements(caller, 'Bearer t', async (_c, _a, ids) => {
    calls.push(ids);
    return answer;
  });
  request.dataFetches = dataFetches;
  return { request, calls };
}

describe("the gateway's consent statements", () => {
  it('asks once for the persons of a request and shares the answer between its fetches', async () => {
    const { request, calls } = statements('payload.signature');
    const id = randomUUID();
    assert.equal(await request.forFetch('county', { id }), 'payload.signature');
    const representations = [{ __typename: 'Person', id: id.toUpperCase() }];
    assert.equal(await request.forFetch('municipality', { representations }), 'payload.signature');
    assert.equal(await request.forFetch('socialcare', { representations }), 'payload.signature');
    assert.deepEqual(calls, [[id]]);
    assert.equal(request.forFetch('consent', { id }), undefined, 'the registry itself gets none');
  });

  it('asks nothing for a plan with one data fetch, a fetch naming no person, or a long list', async () => {
    const one = statements('s', 1);
    assert.equal(one.request.forFetch('county', { id: randomUUID() }), undefined);
    const { request, calls } = statements('s');
    assert.equal(request.forFetch('county', { first: 10, name: 'Kravets' }), undefined);
    const many = Array.from({ length: MAX_SIGNED_PERSONS + 1 }, () => ({ __typename: 'Person', id: randomUUID() }));
    assert.equal(request.forFetch('municipality', { representations: many }), undefined);
    assert.equal(one.calls.length + calls.length, 0);
  });

  it('passes on no statement too long for a header', async () => {
    const { request } = statements('x'.repeat(MAX_STATEMENT_LENGTH + 1));
    assert.equal(await request.forFetch('county', { id: randomUUID() }), undefined);
  });

  it('counts the data fetches of a plan, the registry not among them', () => {
    const fetch = (serviceName: string) => ({ kind: 'Fetch', serviceName }) as never;
    const plan = {
      kind: 'Sequence',
      nodes: [
        fetch('county'),
        {
          kind: 'Parallel',
          nodes: [{ kind: 'Flatten', node: fetch('municipality') }, fetch('consent'), fetch('jobcenter')],
        },
      ],
    } as never;
    assert.equal(dataFetchesOf(plan), 3);
    assert.equal(dataFetchesOf(undefined), 0);
  });

  it('takes person ids from representations and from UUID variables only', () => {
    const id = randomUUID();
    assert.deepEqual(personIdsOf({ id, first: 5, name: 'x', ids: [id, 'not-a-uuid'] }), [id]);
    assert.deepEqual(personIdsOf({ representations: [{ __typename: 'Person', id }, { id: 7 }] }), [id]);
    assert.deepEqual(personIdsOf(undefined), []);
  });
});
