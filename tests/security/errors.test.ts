import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { DataSource } from 'typeorm';
import { createErrorFormatter, loggableError } from '../../common/errors.js';
import { createDataSource } from '../../common/db/data-source.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { languageConsentInput } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 13;
const persons = demoPersons(SEED, 0, 20);

/** No error of a response says that a part is down, and none is masked as a bug. */
function assertNoOutageOrBug(response: GraphQLResponse): void {
  for (const error of response.errors ?? []) {
    assert.notEqual(error.extensions?.code, 'SUBGRAPH_UNAVAILABLE', JSON.stringify(error));
    assert.notEqual(error.extensions?.code, 'INTERNAL_SERVER_ERROR', JSON.stringify(error));
    assert.doesNotMatch(error.message, /could not be reached|did not answer/);
  }
}

describe('errors say what happened', () => {
  let hub: RunningHub;
  let personId: string;
  let jobcenter: string;
  let officer: string;
  let lindenau: string;
  let county: DataSource;

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    const rows = await hub.subgraphs.county.db.query<{ person_id: string }[]>(
      'SELECT person_id FROM language_skill ORDER BY person_id LIMIT 1',
    );
    personId = rows[0].person_id;
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer');
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    lindenau = await tokenFor('municipality:08999001', ['CASEWORKER'], 'k.braun');
    county = hub.subgraphs.county.db;
  });
  afterAll(() => hub.stop());

  describe("a subgraph's own refusal is passed on as what it is, not as an outage", () => {
    const cases: {
      name: string;
      token: () => string;
      purpose: string;
      query: string;
      variables?: Record<string, unknown>;
      code: string;
      message: RegExp;
    }[] = [
      {
        name: 'an impossible calendar date in a mutation variable',
        token: () => jobcenter,
        purpose: 'JOB_PLACEMENT',
        query: `mutation($p: ID!, $input: EmploymentStatusInput!) { recordEmploymentStatus(personId: $p, input: $input) { id } }`,
        variables: { input: { status: 'SEEKING', since: '2026-02-30' } },
        code: 'BAD_USER_INPUT',
        message: /calendar date as YYYY-MM-DD/,
      },
      {
        name: 'a date in the wrong format written into the query',
        token: () => jobcenter,
        purpose: 'JOB_PLACEMENT',
        query: `mutation($p: ID!) { recordEmploymentStatus(personId: $p, input: { status: SEEKING, since: "01.10.2026" }) { id } }`,
        code: 'GRAPHQL_VALIDATION_FAILED',
        message: /calendar date as YYYY-MM-DD/,
      },
      {
        name: 'a `since` that is not a date, in a variable of another subgraph',
        token: () => lindenau,
        purpose: 'HOUSING_ALLOCATION',
        query: `mutation($p: ID!, $input: AccommodationInput!) { recordAccommodation(personId: $p, input: $input) { id } }`,
        variables: { input: { type: 'SHARED', address: 'Lindenstraße 12', since: 'yesterday' } },
        code: 'BAD_USER_INPUT',
        message: /calendar date as YYYY-MM-DD/,
      },
      {
        name: 'a time that is not a time in a consent',
        token: () => officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
        variables: {
          input: { ...languageConsentInput('00000000-0000-4000-8000-000000000000'), givenAt: 'next tuesday' },
        },
        code: 'BAD_USER_INPUT',
        message: /givenAt|DateTime/,
      },
      {
        name: 'a time filter in the wrong format on the disclosure log',
        token: () => officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: `query($f: DisclosureFilter) { disclosureLog(filter: $f) { records { sequence } } }`,
        variables: { f: { from: '2026-13-01' } },
        code: 'BAD_USER_INPUT',
        message: /from|DateTime/,
      },
    ];
    for (const c of cases) {
      it(`passes on ${c.name} with the subgraph's code and message`, async () => {
        const response = await post(hub.gatewayUrl, {
          token: c.token(),
          purpose: c.purpose,
          query: c.query,
          variables: { p: personId, ...c.variables },
        });
        assertNoOutageOrBug(response);
        assert.deepEqual(codes(response), [c.code], JSON.stringify(response.errors));
        assert.match(response.errors![0].message, c.message);
      });
    }
  });

  describe('a refusal of the database is bad input or a conflict, never a bug, and shows no SQL or values', () => {
    /** Runs SQL as the county subgraph's own role and returns the real error PostgreSQL gives. */
    const refusalOf = async (sql: string, parameters: unknown[] = []): Promise<unknown> => {
      try {
        await county.transaction((manager) => manager.query(sql, parameters));
      } catch (error) {
        return error;
      }
      assert.fail(`expected PostgreSQL to refuse: ${sql}`);
    };
    /** Formats a database error as the subgraphs' formatError does for a failed mutation, and what it logged. */
    const format = (error: unknown): { formatted: GraphQLFormattedError; logged: unknown[] } => {
      const logged: unknown[] = [];
      const formatter = createErrorFormatter({ development: true, log: (e) => logged.push(e) });
      const wrapped = new GraphQLError((error as Error).message, {
        originalError: error as Error,
        path: ['recordClearing'],
      });
      return { formatted: formatter({ message: wrapped.message, path: ['recordClearing'] }, wrapped), logged };
    };
    const stranger = randomUUID();
    const cases: {
      name: string;
      sql: string;
      parameters?: unknown[];
      code: string;
      field?: string;
      message: RegExp;
    }[] = [
      {
        name: 'a reference to a person that does not exist (foreign key)',
        sql: `INSERT INTO language_skill (person_id, language, level) VALUES ($1, 'ar', 'A1')`,
        parameters: [stranger],
        code: 'BAD_USER_INPUT',
        field: 'personId',
        message: /personId: refers to person that does not exist/,
      },
      {
        name: "a value outside a column's check",
        sql: `UPDATE clearing_profile SET school_years = 99`,
        code: 'BAD_USER_INPUT',
        field: 'schoolYears',
        message: /schoolYears: is not an allowed value/,
      },
      {
        name: 'a duplicate of a unique key (written by someone else just now)',
        sql: `INSERT INTO language_skill (person_id, language, level) SELECT person_id, language, level FROM language_skill LIMIT 1`,
        code: 'CONFLICT',
        message: /same personId, language already exists/,
      },
      {
        name: 'an impossible date',
        sql: `SELECT $1::date`,
        parameters: ['2026-02-30'],
        code: 'BAD_USER_INPUT',
        message: /not a valid date or time/,
      },
      {
        name: 'a time in an unknown format',
        sql: `SELECT $1::timestamptz`,
        parameters: [`at ${stranger}`],
        code: 'BAD_USER_INPUT',
        // Read as a malformed time (22007) or, when a part of the id looks like one, an unknown time zone (22023).
        message: /not a valid (date or time|value)/,
      },
      {
        name: 'a time zone that does not exist',
        sql: `SELECT now() AT TIME ZONE $1`,
        parameters: [`Mars/${stranger}`],
        code: 'BAD_USER_INPUT',
        message: /not a valid value/,
      },
      {
        name: 'a number out of range',
        sql: `UPDATE work_experience SET years = 100000`,
        code: 'BAD_USER_INPUT',
        message: /number out of range/,
      },
      {
        name: 'a serialization failure between concurrent transactions',
        sql: `DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure'; END $$`,
        code: 'CONFLICT',
        message: /changed by someone else at the same time/,
      },
      {
        name: 'a deadlock between concurrent transactions',
        sql: `DO $$ BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = 'deadlock_detected'; END $$`,
        code: 'CONFLICT',
        message: /changed by someone else at the same time/,
      },
    ];
    for (const c of cases) {
      it(`answers ${c.name} with ${c.code}`, async () => {
        const error = await refusalOf(c.sql, c.parameters);
        const { formatted, logged } = format(error);
        assert.equal(formatted.extensions?.code, c.code, JSON.stringify(formatted));
        assert.match(formatted.message, c.message);
        if (c.field) assert.equal((formatted.extensions?.problems as { field: string }[])[0].field, c.field);
        const shown = JSON.stringify(formatted);
        for (const secret of ['2026-02-30', 'INSERT', 'UPDATE', 'SELECT', 'language_skill (', 'Key (']) {
          assert.ok(!shown.includes(secret), `the answer shows ${secret}: ${shown}`);
        }
        assert.doesNotMatch(shown, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/, 'the answer shows no id');
        assert.deepEqual(logged, [], "the caller's mistake is not logged as a bug");
      });
    }

    it('still masks a database error that is a bug, and logs it without parameters or values', async () => {
      const error = await refusalOf(`SELECT * FROM no_such_table WHERE id = $1`, [persons[0].id]);
      const { formatted, logged } = format(error);
      assert.equal(formatted.extensions?.code, 'INTERNAL_SERVER_ERROR');
      assert.equal(logged.length, 1);
      const line = String((logged[0] as Error).stack);
      assert.match(line, /SQLSTATE 42P01/);
      assert.match(line, /query: SELECT \* FROM no_such_table WHERE id = \$1/, 'the query text, with its placeholder');
      assert.ok(!line.includes(persons[0].id), `the log shows a parameter: ${line}`);
      assert.ok(!JSON.stringify(formatted).includes(persons[0].id));
    });

    it('logs a value PostgreSQL quotes in its message without the value', async () => {
      const error = await refusalOf(`SELECT $1::uuid, 1/0`, [`not-a-uuid-${persons[0].id}`]);
      const logged = String((loggableError(error) as Error).message);
      assert.ok(!logged.includes(persons[0].id), logged);
    });
  });

  describe('concurrent changes of one consent', () => {
    const mutate = (query: string, variables: Record<string, unknown>) =>
      post(hub.gatewayUrl, { token: officer, purpose: 'CONSENT_MANAGEMENT', query, variables });
    // Each names the version it saw (1 in the races: all read the consent before any of them wrote).
    const change = (id: string, evidenceReference: string, expectedVersion = 1) =>
      mutate(
        `mutation($id: ID!, $v: Int!, $terms: ConsentTermsInput!) { changeConsent(id: $id, expectedVersion: $v, terms: $terms) { id version } }`,
        {
          id,
          v: expectedVersion,
          terms: (({ personId: _p, ...terms }) => ({ ...terms, evidenceReference }))(languageConsentInput(personId)),
        },
      );
    const withdraw = (id: string) =>
      mutate(
        `mutation($id: ID!) { withdrawConsent(input: { id: $id, expectedVersion: 1, reason: "race" }) { id version state } }`,
        { id },
      );
    const record = async () => {
      const response = await mutate(`mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`, {
        input: languageConsentInput(personId),
      });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return response.data!.recordConsent.id as string;
    };
    let admin: DataSource;
    beforeAll(async () => {
      admin = await createDataSource({ url: hub.subgraphs.consent.adminUrl, entities: [] }).initialize();
    });
    afterAll(() => admin.destroy());

    /**
     * Holds the consent's current row locked while `racers` start, so that all of them wait for the same
     * version, then lets them go: one wins, the others lose the race.
     */
    async function race(id: string, racers: (() => Promise<GraphQLResponse>)[]): Promise<GraphQLResponse[]> {
      const runner = admin.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query('SELECT 1 FROM consent WHERE id = $1 AND is_current FOR UPDATE', [id]);
        const answers = Promise.all(racers.map((r) => r()));
        for (let waiting = 0; waiting < racers.length;) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          const [{ n }] = await admin.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          waiting = n;
        }
        await runner.commitTransaction();
        return await answers;
      } finally {
        await runner.release();
      }
    }

    async function assertConsistent(id: string, versions: number): Promise<void> {
      const rows = await admin.query<{ version: number; is_current: boolean }[]>(
        'SELECT version, is_current FROM consent WHERE id = $1 ORDER BY version',
        [id],
      );
      assert.deepEqual(
        rows.map((r) => r.version),
        Array.from({ length: versions }, (_, i) => i + 1),
        'versions without gaps',
      );
      assert.deepEqual(
        rows.filter((r) => r.is_current).map((r) => r.version),
        [versions],
        'exactly the newest version is current',
      );
    }

    for (const [name, racers] of [
      ['two changes', (id: string) => [() => change(id, 'race-a'), () => change(id, 'race-b')]],
      ['a change and a withdrawal', (id: string) => [() => change(id, 'race-a'), () => withdraw(id)]],
      ['two withdrawals', (id: string) => [() => withdraw(id), () => withdraw(id)]],
      [
        'four changes and withdrawals',
        (id: string) => [() => change(id, 'a'), () => withdraw(id), () => change(id, 'b'), () => withdraw(id)],
      ],
    ] as const) {
      it(`answers CONFLICT to the losers of ${name}, never NOT_FOUND, and keeps one current version`, async () => {
        const id = await record();
        const answers = await race(id, racers(id));
        const outcomes = answers.map((a) => (a.errors ? codes(a).join() : 'OK'));
        assert.deepEqual(outcomes.filter((o) => o === 'OK').length, 1, JSON.stringify(outcomes));
        assert.deepEqual(
          outcomes.filter((o) => o !== 'OK'),
          Array(answers.length - 1).fill('CONFLICT'),
          JSON.stringify(answers.map((a) => a.errors)),
        );
        const loser = answers.find((a) => a.errors)!;
        assert.match(loser.errors![0].message, /changed by someone else at the same time; read it again/);
        await assertConsistent(id, 2);
        // Read again, the change goes through.
        const again = await change(id, 'after', 2);
        const state = (
          await admin.query<{ withdrawn: boolean }[]>(
            'SELECT withdrawn_at IS NOT NULL AS withdrawn FROM consent WHERE id = $1 AND is_current',
            [id],
          )
        )[0];
        if (state.withdrawn) assert.deepEqual(codes(again), ['BAD_USER_INPUT']);
        else assert.equal(again.errors, undefined, JSON.stringify(again.errors));
      });
    }

    it('still answers NOT_FOUND for a consent that does not exist', async () => {
      assert.deepEqual(codes(await withdraw(randomUUID())), ['NOT_FOUND']);
      assert.deepEqual(codes(await change(randomUUID(), 'x')), ['NOT_FOUND']);
    });
  });
});
