import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, it } from '@jest/globals';
import { withClient } from '../../common/db/provision.js';
import { configureLogging } from '../../common/log.js';
import { quietTestLog } from '../support/quiet-log.js';
import { demoPersons } from '../../seed/world.js';
import { jobcenterSubgraph } from '../../subgraphs/jobcenter/jobcenter.subgraph.js';
import { codes, post } from '../support/graphql.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 31;
const persons = demoPersons(SEED, 0, 40);

/** Every line the log writes while a test runs, as written (JSON text) and parsed. */
class CapturedLog extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

describe('the log of a subgraph whose SQL fails', () => {
  let jobcenter: RunningSubgraph;
  let captured: CapturedLog;
  let adults: string[];

  beforeAll(async () => {
    jobcenter = await startSubgraph(jobcenterSubgraph, { seed: { persons, seed: SEED } });
    adults = (
      await jobcenter.db.query<{ person_id: string }[]>(
        'SELECT DISTINCT person_id FROM employment_status ORDER BY person_id',
      )
    ).map((r) => r.person_id);
    assert.ok(adults.length >= 2);
  });
  afterEach(async () => {
    quietTestLog();
    const [{ role }] = await jobcenter.db.query<{ role: string }[]>('SELECT current_user AS role');
    await withClient(jobcenter.adminUrl, (client) => client.query(`GRANT SELECT ON employment_status TO "${role}"`));
  });
  afterAll(() => jobcenter.stop());

  it('writes the failure as JSON with the request id and SQLSTATE, without the person id, the parameters or the variables', async () => {
    captured = new CapturedLog();
    configureLogging({ level: 'debug', destination: captured });
    // The runtime role loses SELECT on one table: the entity fetch's statement, whose parameters are the
    // person ids asked for, fails inside the database.
    const [{ role }] = await jobcenter.db.query<{ role: string }[]>('SELECT current_user AS role');
    await withClient(jobcenter.adminUrl, (client) => client.query(`REVOKE SELECT ON employment_status FROM "${role}"`));
    const requestId = randomUUID();
    const [personId, other] = adults;
    const response = await post(jobcenter.url, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      headers: { 'x-request-id': requestId },
      query:
        'query Failing($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id employment { status } } } }',
      variables: { r: [personId, other].map((id) => ({ __typename: 'Person', id })) },
    });
    assert.ok(codes(response).includes('INTERNAL_SERVER_ERROR'), JSON.stringify(response));

    const lines = captured.lines();
    const failure = lines.find((line) => line.level === 'error' && line.part === 'jobcenter');
    assert.ok(failure, `an error line of the jobcenter: ${captured.text}`);
    assert.equal(failure.requestId, requestId);
    const err = failure.err as { type: string; message: string; code?: string; stack?: string };
    assert.equal(err.code, '42501');
    assert.match(err.message, /permission denied for table employment_status/);
    assert.ok(err.stack, 'the stack frames stay');
    // Nothing that names the person: neither id, nor the parameters, nor the variables, nor their names.
    for (const id of [personId, other])
      assert.ok(!captured.text.includes(id), `person id ${id} in the log: ${captured.text}`);
    assert.ok(!captured.text.toLowerCase().includes(personId.slice(0, 8)), 'not even part of it');
    assert.doesNotMatch(captured.text, /"(parameters|variables|driverError|detail|extensions)"/);
    for (const line of lines)
      assert.ok(typeof line.time === 'string' && typeof line.msg === 'string' && typeof line.level === 'string');
  });

  it('a successful request leaves no person id in the log either, at the most verbose level', async () => {
    captured = new CapturedLog();
    configureLogging({ level: 'trace', destination: captured });
    const response = await post(jobcenter.url, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id employment { status } } } }',
      variables: { r: [{ __typename: 'Person', id: adults[0] }] },
    });
    assert.equal(response.errors, undefined);
    assert.ok(!captured.text.includes(adults[0]), captured.text);
  });
});
