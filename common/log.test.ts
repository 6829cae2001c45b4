import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, describe, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { configureLogging, inRequestScope, partLogger, scrubText, serializeError, setRequestId } from './log.js';

const PERSON = '5b0c8c1e-2f6a-4d8e-9a43-0f1e2d3c4b5a';

function capture(): { text: () => string } {
  let text = '';
  configureLogging({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
  });
  return { text: () => text };
}

function databaseError(): QueryFailedError {
  const driverError = Object.assign(
    new Error('duplicate key value violates unique constraint "employment_status_pkey"'),
    {
      code: '23505',
      severity: 'ERROR',
      detail: `Key (person_id)=(${PERSON}) already exists.`,
      table: 'employment_status',
      constraint: 'employment_status_pkey',
    },
  );
  return new QueryFailedError(
    'INSERT INTO employment_status (person_id, given_name) VALUES ($1, $2)',
    [PERSON, 'Amina'],
    driverError,
  );
}

describe('the log', () => {
  afterEach(() => configureLogging({ level: 'info' }));

  it('writes a database error with its SQLSTATE, constraint and query text, never its parameters or detail', () => {
    const log = capture();
    partLogger('jobcenter').error('failed', { err: databaseError() });
    const line = JSON.parse(log.text()) as { part: string; level: string; err: { code: string; message: string } };
    assert.equal(line.part, 'jobcenter');
    assert.equal(line.level, 'error');
    assert.equal(line.err.code, '23505');
    assert.match(line.err.message, /constraint employment_status_pkey.*query: INSERT INTO employment_status/);
    assert.ok(!log.text().includes(PERSON) && !log.text().includes('Amina'), log.text());
  });

  it('drops what a GraphQL error carries in its extensions (a refusal names the person)', () => {
    const error = new GraphQLError(`Person.housing withheld for ${PERSON}`, {
      extensions: { code: 'CONSENT_REQUIRED', personId: PERSON },
    });
    assert.deepEqual(Object.keys(serializeError(error)).sort(), ['code', 'message', 'stack', 'type']);
    assert.equal(serializeError(error).code, 'CONSENT_REQUIRED');
    assert.ok(!JSON.stringify(serializeError(error)).includes(PERSON));
  });

  it("writes a subgraph's GraphQL error (a plain object, as the gateway gets it) with its message and code, never [object Object]", () => {
    const logged = serializeError({
      message: 'Subgraph county answered 500: connect ECONNREFUSED 127.0.0.1:4001',
      extensions: { code: 'INTERNAL_SERVER_ERROR', personId: '6a1c1c55-3f64-4c6b-9d55-9a1f2b7f0e01' },
    });
    assert.equal(logged.message, 'Subgraph county answered 500: connect ECONNREFUSED 127.0.0.1:4001');
    assert.equal(logged.code, 'INTERNAL_SERVER_ERROR');
    assert.doesNotMatch(JSON.stringify(logged), /object Object|6a1c1c55/);
  });

  it('scrubs ids and quoted values from messages, including one a call site interpolated', () => {
    assert.equal(scrubText(`no person ${PERSON.toUpperCase()}`), 'no person <id>');
    assert.equal(
      scrubText('invalid input syntax for type date: "1990-13-01"'),
      'invalid input syntax for type date: "…"',
    );
    assert.equal(scrubText('Key (person_id)=(x) already exists'), 'Key (person_id)=(…) already exists');
    const log = capture();
    partLogger('county').warn(`lookup for ${PERSON} failed`);
    assert.ok(!log.text().includes(PERSON));
    assert.match(log.text(), /lookup for <id> failed/);
  });

  it('removes fields that could hold personal data wherever a call site passes them', () => {
    const log = capture();
    partLogger('gateway').info('request', {
      variables: { id: PERSON },
      operation: { name: 'PersonView', variables: { id: PERSON }, personId: PERSON },
      parameters: [PERSON],
      headers: { authorization: 'Bearer x' },
    });
    const line = JSON.parse(log.text()) as { operation: Record<string, unknown> };
    assert.deepEqual(line.operation, { name: 'PersonView' });
    assert.ok(!log.text().includes(PERSON) && !log.text().includes('Bearer'), log.text());
  });

  it('names the request being served on every line written while it runs, and no other', async () => {
    const log = capture();
    await Promise.all(
      ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'].map((requestId, i) =>
        inRequestScope(async () => {
          setRequestId(requestId);
          await new Promise((resolve) => setTimeout(resolve, 5 * (2 - i)));
          partLogger('consent').info(`served ${i}`);
        }),
      ),
    );
    partLogger('consent').info('outside');
    const lines = log
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; requestId?: string });
    assert.deepEqual(lines.map((l) => [l.msg, l.requestId]).sort(), [
      ['outside', undefined],
      ['served 0', '11111111-1111-4111-8111-111111111111'],
      ['served 1', '22222222-2222-4222-8222-222222222222'],
    ]);
  });
});
