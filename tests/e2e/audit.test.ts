import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ephemeralKeyRing, publishKeys } from '../../common/audit/log/log-keys.js';
import type { Receipt } from '../../common/audit/proofs/receipt.js';
import { recordHash } from '../../common/audit/log/record.js';
import { createDataSource } from '../../common/db/data-source.js';
import type { SubgraphName } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { PERSON_VIEW, languageConsentInput } from '../support/queries.js';
import { receivedPersonalFields } from '../support/received.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 5;
const persons = demoPersons(SEED, 0, 30);

const RECORD = `subgraph sequence at requestId agency officer roles purpose operation kind personId
  released { field category } refused { field category reason }
  basis { category kind statute consentId consentVersion } changes { operation record } policyVersion hash`;

interface LogRecord {
  subgraph: string;
  sequence: number;
  at: string;
  requestId: string;
  agency: string;
  officer: string;
  purpose: string;
  operation: string | null;
  kind: string;
  personId: string | null;
  released: { field: string; category: string }[];
  refused: { field: string; category: string; reason: string }[];
  basis: {
    category: string;
    kind: string;
    statute: string | null;
    consentId: string | null;
    consentVersion: number | null;
  }[];
  changes: { operation: string; record: string }[];
  policyVersion: string;
}

describe('disclosure logs end to end: the consent officer audits what every subgraph released', () => {
  let hub: RunningHub;
  let personId: string;
  let jobcenter: string;
  let officer: string;
  let consentId: string;

  const ask = (
    token: string,
    purpose: string,
    query: string,
    variables: Record<string, unknown> = {},
    requestId = randomUUID(),
  ) => post(hub.gatewayUrl, { token, purpose, query, variables, headers: { 'x-request-id': requestId } });
  const audit = (query: string, variables: Record<string, unknown> = {}) =>
    ask(officer, 'CONSENT_MANAGEMENT', query, variables);
  const logPage = async (filter: Record<string, unknown>, first = 500, after?: string) => {
    const response = await audit(
      `query($filter: DisclosureFilter, $first: Int!, $after: String) { disclosureLog(filter: $filter, first: $first, after: $after) {
        records { ${RECORD} } endCursor hasNextPage } }`,
      { filter, first, after },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data!.disclosureLog as { records: LogRecord[]; endCursor: string | null; hasNextPage: boolean };
  };
  const recordsOf = async (requestId: string) => (await logPage({ requestId })).records;
  /** Released fields across all records of a request must be exactly the personal fields the client got. */
  const assertReleasedIsReceived = (
    query: string,
    response: GraphQLResponse,
    records: LogRecord[],
    except?: string,
  ) => {
    const received = receivedPersonalFields(query, response);
    const expected = [...received.keys()]
      .filter((field) => except === undefined || received.get(field) !== except)
      .sort();
    const released = [...new Set(records.flatMap((r) => r.released.map((f) => f.field)))].sort();
    assert.deepEqual(released, expected);
    for (const record of records) {
      for (const { field } of record.released) {
        const owner = received.get(field);
        if (owner) assert.equal(owner, record.subgraph, `${field} is released by the subgraph that holds it`);
      }
    }
  };
  const adminOf = async (name: SubgraphName): Promise<DataSource> =>
    createDataSource({ url: hub.subgraphs[name].adminUrl, entities: [] }).initialize();

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    const rows = await hub.subgraphs.county.db.query<{ person_id: string }[]>(
      'SELECT person_id FROM language_skill ORDER BY person_id LIMIT 1',
    );
    personId = rows[0].person_id;
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer');
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    const consent = await audit(`mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`, {
      input: languageConsentInput(personId),
    });
    assert.equal(consent.errors, undefined, JSON.stringify(consent.errors));
    consentId = consent.data!.recordConsent.id;
  });
  afterAll(() => hub.stop());

  it("shows a caseworker's person view as one record per answering subgraph, releasing exactly what was received", async () => {
    const response = await ask(jobcenter, 'JOB_PLACEMENT', PERSON_VIEW, { id: personId });
    // The gateway issues the request id and tells it in X-Request-Id.
    const requestId = response.requestId!;
    assert.ok(response.data!.person.clearing.languages.length > 0, 'language skills by consent');

    const timeline = await audit(
      `query($id: ID!) { disclosureTimeline(personId: $id, first: 20) { records { ${RECORD} } } }`,
      { id: personId },
    );
    assert.equal(timeline.errors, undefined, JSON.stringify(timeline.errors));
    const records = (timeline.data!.disclosureTimeline.records as LogRecord[]).filter((r) => r.requestId === requestId);
    assert.deepEqual(records.map((r) => r.subgraph).sort(), ['county', 'jobcenter', 'municipality', 'socialcare']);
    for (const record of records) {
      assert.equal(record.agency, 'jobcenter');
      assert.equal(record.officer, 'j.meyer');
      assert.equal(record.purpose, 'JOB_PLACEMENT');
      assert.equal(record.operation, 'PersonView');
      assert.equal(record.kind, 'READ');
      assert.equal(record.personId, personId);
      assert.match(record.policyVersion, /^rules-\d+\+catalogue-/);
      assert.ok(!Number.isNaN(Date.parse(record.at)));
    }
    assertReleasedIsReceived(PERSON_VIEW, response, records);

    const county = records.find((r) => r.subgraph === 'county')!;
    assert.deepEqual(
      county.basis.find((b) => b.category === 'CLEARING_LANGUAGE'),
      {
        category: 'CLEARING_LANGUAGE',
        kind: 'CONSENT',
        statute: null,
        consentId,
        consentVersion: 1,
      },
    );
    assert.equal(county.basis.find((b) => b.category === 'IDENTITY')!.kind, 'STATUTE');
    assert.ok(
      county.refused.some((f) => f.field === 'ClearingProfile.qualifications' && f.reason === 'CONSENT_REQUIRED'),
    );
    const municipality = records.find((r) => r.subgraph === 'municipality')!;
    assert.deepEqual(municipality.released, []);
    assert.deepEqual(municipality.refused, [
      { field: 'Person.housing', category: 'HOUSING', reason: 'CONSENT_REQUIRED' },
    ]);
    assert.deepEqual(
      records.find((r) => r.subgraph === 'jobcenter')!.basis.map((b) => `${b.category} ${b.kind}`),
      ['EMPLOYMENT OWN_TASK', 'INTEGRATION_COURSE OWN_TASK'],
    );
  });

  it('logs exactly the received fields for many query shapes', async () => {
    const county = await tokenFor('county', ['CASEWORKER'], 'c.weber');
    const municipality = await tokenFor('municipality:08999001', ['CASEWORKER'], 'm.koch');
    const shapes: { token: string; purpose: string; query: string; variables?: Record<string, unknown> }[] = [
      { token: municipality, purpose: 'HOUSING_ALLOCATION', query: PERSON_VIEW, variables: { id: personId } },
      {
        token: county,
        purpose: 'CLEARING',
        query: `query Caseload { registeredPersons(first: 8) { id givenName housing { type } employment { status } socialCare { since } clearing { languages { level } } } }`,
      },
      {
        token: jobcenter,
        purpose: 'JOB_PLACEMENT',
        variables: { id: personId },
        query: `query Shapes($id: ID!) { a: person(id: $id) { ...P } b: person(id: $id) { familyName housing { type } } }
          fragment P on Person { givenName employment { status } clearing { languages { language } } }`,
      },
      {
        token: officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: `query Officer($id: ID!) { person(id: $id) { givenName housing { type } employment { status } } }`,
        variables: { id: personId },
      },
      { token: jobcenter, purpose: 'LANGUAGE_SUPPORT', query: PERSON_VIEW, variables: { id: personId } },
    ];
    for (const shape of shapes) {
      const response = await ask(shape.token, shape.purpose, shape.query, shape.variables);
      // The gateway issues the request id and tells it in X-Request-Id.
      const requestId = response.requestId!;
      assert.ok(response.data, JSON.stringify(response.errors));
      const records = await recordsOf(requestId);
      assert.ok(records.length > 0, `records for ${shape.query.slice(0, 40)}`);
      assertReleasedIsReceived(shape.query, response, records);
      assert.ok(
        records.every((r) => r.released.length + r.refused.length > 0),
        'no empty records',
      );
    }
  });

  it('releases nothing of a subgraph whose log cannot be written, and the rest stays exact', async () => {
    const admin = await adminOf('jobcenter');
    await admin.query('REVOKE INSERT ON disclosure_log FROM verbund_jobcenter');
    try {
      const response = await ask(jobcenter, 'JOB_PLACEMENT', PERSON_VIEW, { id: personId });
      // The gateway issues the request id and tells it in X-Request-Id.
      const requestId = response.requestId!;
      assert.equal(response.data!.person.employment, null);
      assert.equal(response.data!.person.integrationCourse, null);
      assert.ok(codes(response).includes('DISCLOSURE_LOG_UNAVAILABLE'), JSON.stringify(response.errors));
      const records = await recordsOf(requestId);
      assert.deepEqual(records.map((r) => r.subgraph).sort(), ['county', 'municipality', 'socialcare']);
      assertReleasedIsReceived(PERSON_VIEW, response, records, 'jobcenter');
    } finally {
      await admin.query('GRANT INSERT ON disclosure_log TO verbund_jobcenter');
      await admin.destroy();
    }
  });

  it('filters across subgraphs by person, agency, officer, purpose, period and decision, page by page', async () => {
    const all = await logPage({ personId, agency: 'jobcenter', officer: 'j.meyer', purpose: 'JOB_PLACEMENT' });
    assert.ok(all.records.length >= 6);
    assert.ok(
      all.records.every(
        (r) =>
          r.personId === personId &&
          r.agency === 'jobcenter' &&
          r.officer === 'j.meyer' &&
          r.purpose === 'JOB_PLACEMENT',
      ),
    );
    assert.deepEqual([...new Set(all.records.map((r) => r.subgraph))].sort(), [
      'county',
      'jobcenter',
      'municipality',
      'socialcare',
    ]);
    const times = all.records.map((r) => Date.parse(r.at));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest first',
    );

    const paged: LogRecord[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await logPage(
        { personId, agency: 'jobcenter', officer: 'j.meyer', purpose: 'JOB_PLACEMENT' },
        2,
        after,
      );
      paged.push(...page.records);
      if (!page.hasNextPage) break;
      after = page.endCursor!;
    }
    assert.deepEqual(
      paged.map((r) => `${r.subgraph}#${r.sequence}`),
      all.records.map((r) => `${r.subgraph}#${r.sequence}`),
    );

    const refused = await logPage({ personId, decision: 'REFUSED' });
    assert.ok(refused.records.length > 0 && refused.records.every((r) => r.refused.length > 0));
    const released = await logPage({ decision: 'RELEASED', agency: 'municipality:08999001' });
    assert.ok(released.records.every((r) => r.released.length > 0 && r.agency === 'municipality:08999001'));

    const middle = all.records[Math.floor(all.records.length / 2)].at;
    const window = await logPage({ personId, agency: 'jobcenter', from: middle });
    assert.ok(window.records.length > 0 && window.records.every((r) => Date.parse(r.at) >= Date.parse(middle)));
    const onlyCounty = await logPage({ personId, subgraphs: ['county'] });
    assert.ok(onlyCounty.records.every((r) => r.subgraph === 'county'));
  });

  it('refuses the log to anyone but consent officers, and bad filters with a message', async () => {
    const asCaseworker = await ask(jobcenter, 'JOB_PLACEMENT', `{ disclosureLog { records { sequence } } }`);
    assert.deepEqual(codes(asCaseworker), ['FORBIDDEN']);
    for (const [variables, field] of [
      [{ first: 0 }, 'first'],
      [{ first: 10, after: 'not-a-cursor' }, 'after'],
      [{ first: 10, filter: { subgraphs: ['registry'] } }, 'filter.subgraphs'],
      [{ first: 10, filter: { personId: 'nobody' } }, 'filter.personId'],
      [
        {
          first: 10,
          after: Buffer.from(
            JSON.stringify({ at: '-100000-01-01T00:00:00.000Z', subgraph: 'county', sequence: 1 }),
          ).toString('base64url'),
        },
        'after',
      ],
    ] as const) {
      const response = await audit(
        `query($filter: DisclosureFilter, $first: Int!, $after: String) { disclosureLog(filter: $filter, first: $first, after: $after) { records { sequence } } }`,
        variables,
      );
      assert.deepEqual(codes(response), ['BAD_USER_INPUT'], JSON.stringify(response.errors));
      assert.match(response.errors![0].message, new RegExp(field.replace('.', '\\.')));
    }
    // Straight at a data subgraph's audit endpoint, a caseworker's token is refused as well.
    const direct = await fetch(new URL('/audit/records', hub.subgraphs.jobcenter.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${jobcenter}`,
        'x-purpose': 'JOB_PLACEMENT',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ limit: 10 }),
    });
    assert.equal(direct.status, 403);
  });

  it("gives the person's Art. 15 report: recipients, dates, purposes, categories and basis, without officers", async () => {
    const response = await audit(
      `query($id: ID!) { accessReport(personId: $id) { personId generatedAt document
        entries { date holder recipient purpose categories fields requests basis { category kind statute consentId consentVersion } } } }`,
      { id: personId },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const report = response.data!.accessReport;
    const fromCounty = report.entries.find(
      (e: { holder: string; recipient: string; purpose: string }) =>
        e.holder === 'county' && e.recipient === 'jobcenter' && e.purpose === 'JOB_PLACEMENT',
    );
    assert.ok(fromCounty, JSON.stringify(report.entries));
    assert.ok(fromCounty.categories.includes('CLEARING_LANGUAGE') && fromCounty.categories.includes('IDENTITY'));
    assert.ok(
      fromCounty.basis.some(
        (b: { kind: string; consentId: string }) => b.kind === 'CONSENT' && b.consentId === consentId,
      ),
    );
    assert.ok(fromCounty.requests >= 2);
    assert.match(fromCounty.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(
      !report.entries.some(
        (e: { holder: string; recipient: string; purpose: string }) =>
          e.holder === 'municipality' && e.recipient === 'jobcenter',
      ),
      'the refused housing is no disclosure',
    );
    const text = JSON.stringify(report);
    for (const officerId of ['j.meyer', 'c.weber', 'm.koch', 'a.schulz'])
      assert.ok(!text.includes(officerId), `no officer ${officerId}`);
    assert.match(report.document, /^<!doctype html>/);
    assert.match(report.document, /Recipients of your data/);
    assert.ok(report.document.includes(consentId));
  });

  it('leaves out of the letter only the identity its own requests read; the timeline keeps it, and anything else read beside a report is listed', async () => {
    type Entry = { holder: string; recipient: string; purpose: string; categories: string[]; requests: number };
    const report = async () => {
      const response = await audit(
        `query($id: ID!) { accessReport(personId: $id) { entries { holder recipient purpose categories requests } } }`,
        { id: personId },
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return response.data!.accessReport.entries as Entry[];
    };
    const officersEntries = (entries: Entry[]) => entries.filter((e) => e.purpose === 'CONSENT_MANAGEMENT');
    const before = officersEntries(await report());
    // An officer asks for the identity beside the report, in the same request (as the letter's page does).
    const both = await audit(
      `query($id: ID!) { accessReport(personId: $id) { personId } person(id: $id) { familyName givenName } }`,
      { id: personId },
    );
    assert.equal(both.errors, undefined, JSON.stringify(both.errors));
    const identityRead = (await recordsOf(both.requestId!)).filter((r) => r.subgraph === 'county');
    assert.equal(identityRead.length, 1, 'the identity read is on record in the county log');
    assert.deepEqual(
      identityRead[0].released.map((f: { category: string }) => f.category),
      ['IDENTITY', 'IDENTITY'],
    );
    assert.deepEqual(officersEntries(await report()), before, 'the letter does not list what building it read');
    // A district whose catalogue let consent officers see more (here: a residence read in such a request) gets it listed.
    await hub.subgraphs.county.log!.append([
      {
        requestId: both.requestId!,
        agency: 'county',
        officer: 'a.schulz',
        roles: ['CONSENT_OFFICER'],
        purpose: 'CONSENT_MANAGEMENT',
        operation: 'ConsoleAccessReportPage',
        kind: 'READ',
        personId,
        released: [{ field: 'Person.residence', category: 'RESIDENCE' }],
        refused: [],
        basis: [{ category: 'RESIDENCE', basis: 'STATUTE:consent-management-identity' }],
        changes: [],
        retention: null,
        policyVersion: 'test',
        correlationId: null,
      },
    ]);
    // Grouped per day, holder, recipient and purpose: today's county → county entry gains the read and its category.
    const requestsBefore = before.filter((e) => e.holder === 'county').reduce((n, e) => n + e.requests, 0);
    const after = officersEntries(await report()).filter((e) => e.holder === 'county');
    assert.ok(
      after.some((e) => e.recipient === 'county' && e.categories.includes('RESIDENCE')),
      JSON.stringify(after),
    );
    assert.equal(
      after.reduce((n, e) => n + e.requests, 0),
      requestsBefore + 1,
      'one more request listed: the one beside the report',
    );
  });

  it('gives the person a receipt that `npm run audit:check-receipt` verifies offline, and that fails when tampered with', async () => {
    const response = await audit(
      `query($id: ID!) { accessReport(personId: $id, receipt: true) { entries { recipient } receipt } }`,
      { id: personId },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const receipt = JSON.parse(response.data!.accessReport.receipt as string) as Receipt;
    assert.ok(receipt.disclosures.length >= 3, `disclosures: ${receipt.disclosures.length}`);
    assert.ok(receipt.disclosures.every((d) => d.record.personId === personId && d.record.released.length > 0));
    assert.deepEqual(
      receipt.pending,
      [],
      'the logs signed a checkpoint for the receipt, so every listed record is proven',
    );
    assert.ok(Object.values(receipt.logs).every((l) => l.checkpoint.cosignatures.some((c) => c.witness === 'consent')));
    // Without the flag there is no receipt (and no checkpoint work).
    const plain = await audit(`query($id: ID!) { accessReport(personId: $id) { receipt } }`, { id: personId });
    assert.equal(plain.data!.accessReport.receipt, null);
    // Only consent officers get one.
    const refused = await ask(
      jobcenter,
      'JOB_PLACEMENT',
      `query($id: ID!) { accessReport(personId: $id, receipt: true) { receipt } }`,
      { id: personId },
    );
    assert.deepEqual(codes(refused), ['FORBIDDEN']);

    const run = promisify(execFile);
    const root = path.resolve(import.meta.dirname, '../..');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-receipt-'));
    // The keys as the agencies publish them: each data subgraph's log key and the registry's witness key.
    const keys = await Promise.all(
      (['county', 'municipality', 'jobcenter', 'socialcare', 'consent'] as SubgraphName[]).map(async (name) =>
        (await fetch(hub.subgraphs[name].url.replace(/\/graphql$/, '/audit/keys'))).json(),
      ),
    );
    const keyFile = path.join(dir, 'keys.json');
    writeFileSync(keyFile, JSON.stringify(keys));
    const check = async (value: unknown, withKeys: string | null = keyFile) => {
      const file = path.join(dir, `${randomUUID()}.json`);
      writeFileSync(file, JSON.stringify(value));
      return run(
        process.execPath,
        ['--import', 'tsx', 'scripts/check-receipt.ts', file, ...(withKeys ? ['--keys', withKeys] : [])],
        { cwd: root },
      ).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    };
    const good = await check(receipt);
    assert.equal(good.code, 0, good.stdout);
    assert.match(good.stdout, new RegExp(`receipt valid: ${receipt.disclosures.length} disclosures proven`));
    assert.match(good.stdout, /cosigned by consent \(key [0-9a-f]{16}\)/);
    const carried = await check(receipt, null);
    assert.equal(carried.code, 0);
    assert.match(carried.stdout, /checked with the keys the receipt carries/);

    const tampered = (change: (r: Receipt) => void): Receipt => {
      const copy = structuredClone(receipt);
      change(copy);
      return copy;
    };
    const cases: [string, Receipt, RegExp][] = [
      [
        'a record with another purpose',
        tampered((r) => (r.disclosures[0].record.purpose = 'CLEARING')),
        /disclosure 1 .*the record was altered: its content does not match its hash/,
      ],
      [
        'a record rewritten with a matching hash',
        tampered((r) => {
          const { hash: _hash, ...rest } = r.disclosures[0].record;
          r.disclosures[0].record = {
            ...rest,
            purpose: 'CLEARING',
            hash: recordHash({ ...rest, purpose: 'CLEARING', at: new Date(rest.at) }),
          };
        }),
        /disclosure 1 .*the inclusion proof does not lead to the root of checkpoint/,
      ],
      [
        'a changed proof',
        tampered((r) => {
          const d = r.disclosures.find((x) => x.proof.length > 0)!;
          d.proof[0] = 'ab'.repeat(32);
        }),
        /the inclusion proof does not lead/,
      ],
      [
        'a record of another person',
        tampered((r) => (r.disclosures[0].record.personId = randomUUID())),
        /the record is about another person/,
      ],
      [
        'a checkpoint with another root',
        tampered((r) => {
          const log = Object.values(r.logs)[0];
          log.checkpoint.root = 'cd'.repeat(32);
        }),
        /does not carry a valid signature/,
      ],
      [
        'a checkpoint without cosignature',
        tampered((r) => {
          Object.values(r.logs)[0].checkpoint.cosignatures = [];
        }),
        /carries no valid cosignature of a witness/,
      ],
      ['not a receipt', { hello: 'world' } as unknown as Receipt, /not a receipt/],
    ];
    for (const [what, value, message] of cases) {
      const result = await check(value);
      assert.equal(result.code, 1, `${what}: ${result.stdout}`);
      assert.match(result.stdout, /receipt NOT valid/, what);
      assert.match(result.stdout, message, what);
    }
    // Keys the person did not get from the agencies do not make a receipt valid.
    const strangerKeys = path.join(dir, 'stranger.json');
    writeFileSync(
      strangerKeys,
      JSON.stringify([
        ...Object.keys(receipt.logs).map((log) => ({ logId: `verbund:${log}`, keys: publishKeys(ephemeralKeyRing()) })),
        ...keys.filter((k) => 'witness' in (k as object)),
      ]),
    );
    const stranger = await check(receipt, strangerKeys);
    assert.equal(stranger.code, 1);
    assert.match(
      stranger.stdout,
      /which is not in the key set: only a key of verbund:\w+ itself signs its checkpoints/,
    );
    // A bare list of keys no longer passes for a key file: it cannot say whose a key is.
    const bareKeys = path.join(dir, 'bare.json');
    writeFileSync(bareKeys, JSON.stringify(keys.flatMap((k) => (k as { keys: unknown[] }).keys)));
    const bare = await check(receipt, bareKeys);
    assert.equal(bare.code, 64);
  });

  it('`npm run audit:verify` prints each chain as intact, through the gateway', async () => {
    const run = promisify(execFile);
    const root = path.resolve(import.meta.dirname, '../..');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit-verify.ts', '--url', hub.gatewayUrl, '--token', officer],
      { cwd: root },
    ).catch((error: { stdout: string; stderr: string }) =>
      assert.fail(`audit:verify failed:\n${error.stdout}${error.stderr}`),
    );
    for (const name of ['county', 'municipality', 'jobcenter', 'socialcare']) {
      assert.match(
        stdout,
        new RegExp(
          `${name}: (records? [\\d–, and]+ re-read and intact|no record re-read); ([\\d–, and]+ covered by|all under) cosigned checkpoint \\d+ \\(size \\d+, cosigned by consent\\)(, last re-read on [^;]+)?; head hash [0-9a-f]{64} at record \\d+`,
        ),
      );
    }
  });

  it('verifies every chain, and finds an altered record and records cut off the end', async () => {
    const verify = async (full = false) => {
      const response =
        await audit(`{ disclosureLogVerification(full: ${full}) { subgraph intact records lastSequence headHash witnessedSequence
        checkpointNumber checkpointSize cosignedBy verifiedFrom pending summary problems { kind sequence message } } }`);
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return Object.fromEntries(
        (response.data!.disclosureLogVerification as { subgraph: string }[]).map((v) => [v.subgraph, v]),
      ) as globalThis.Record<string, any>;
    };
    const intact = await verify();
    for (const name of ['county', 'municipality', 'jobcenter', 'socialcare']) {
      assert.equal(intact[name].intact, true, intact[name].summary);
      assert.match(
        intact[name].summary,
        new RegExp(
          `^${name}: (records? [\\d–, and]+ re-read and intact|no record re-read); ([\\d–, and]+ covered by|all under) cosigned checkpoint ${intact[name].checkpointNumber} \\(size ${intact[name].checkpointSize}, cosigned by consent\\)(, last re-read on [^;]+)?; head hash [0-9a-f]{64} at record ${intact[name].lastSequence}`,
        ),
      );
      assert.deepEqual(intact[name].cosignedBy, ['consent']);
      assert.equal(
        intact[name].witnessedSequence,
        intact[name].lastSequence,
        'the registry witnessed the head it verified',
      );
    }
    // The next verification resumes at the checkpoint just verified and reads only what came since.
    const again = await verify();
    for (const name of ['county', 'municipality', 'jobcenter', 'socialcare']) {
      assert.equal(again[name].intact, true, again[name].summary);
      assert.equal(
        again[name].verifiedFrom,
        intact[name].checkpointSize,
        `${name} resumed from its verified checkpoint`,
      );
      assert.ok(
        again[name].records < intact[name].records || intact[name].records <= 2,
        `${name}: ${again[name].records} records read again of ${intact[name].records}`,
      );
    }

    const jobcenterAdmin = await adminOf('jobcenter');
    await jobcenterAdmin.query('ALTER TABLE disclosure_log DISABLE TRIGGER USER');
    const [original] = await jobcenterAdmin.query<{ officer: string }[]>(
      'SELECT officer FROM disclosure_log WHERE sequence = 2',
    );
    await jobcenterAdmin.query(`UPDATE disclosure_log SET officer = 'someone.else' WHERE sequence = 2`);
    // Record 2 is long verified: a full walk finds it, and the checkpoint whose root no longer holds.
    const altered = (await verify(true)).jobcenter;
    assert.equal(altered.intact, false);
    assert.deepEqual(altered.problems[0].kind, 'ALTERED');
    assert.deepEqual(altered.problems[0].sequence, 2);
    assert.ok(
      altered.problems
        .slice(1)
        .every(
          (p: { kind: string; message: string }) =>
            p.kind === 'ALTERED' && /no longer have the root that checkpoint/.test(p.message),
        ),
      JSON.stringify(altered.problems),
    );
    await jobcenterAdmin.query(`UPDATE disclosure_log SET officer = $1 WHERE sequence = 2`, [original.officer]);
    await jobcenterAdmin.query('ALTER TABLE disclosure_log ENABLE TRIGGER USER');
    await jobcenterAdmin.destroy();

    const countyAdmin = await adminOf('county');
    const last = intact.county.lastSequence as number;
    await countyAdmin.query('ALTER TABLE disclosure_log DISABLE TRIGGER USER');
    await countyAdmin.query('CREATE TEMP TABLE kept AS SELECT * FROM disclosure_log WHERE sequence >= $1', [last - 1]);
    await countyAdmin.query('DELETE FROM disclosure_log WHERE sequence >= $1', [last - 1]);
    try {
      const truncated = (await verify()).county;
      assert.equal(truncated.intact, false);
      assert.equal(truncated.problems[0].kind, 'TRUNCATED');
      assert.match(
        truncated.summary,
        new RegExp(`records after ${last - 2} were cut off: the consent registry saw record ${last}`),
      );
      // Witnessing saw the cut too: the alarm stays after the records are back, until a person looks into it.
      await countyAdmin.query('INSERT INTO disclosure_log SELECT * FROM kept');
      const restored = (await verify()).county;
      assert.equal(restored.intact, false);
      assert.match(restored.summary, /found when witnessing/);
    } finally {
      await countyAdmin.query('ALTER TABLE disclosure_log ENABLE TRIGGER USER');
      await countyAdmin.destroy();
    }
  });

  it('raises an alarm when records were cut off and the log grew again past the witnessed head', async () => {
    const verifyMunicipality = async () => {
      const response = await audit(
        `{ disclosureLogVerification { subgraph intact summary problems { kind sequence message } } }`,
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return (
        response.data!.disclosureLogVerification as {
          subgraph: string;
          intact: boolean;
          summary: string;
          problems: { kind: string; sequence: number; message: string }[];
        }[]
      ).find((v) => v.subgraph === 'municipality')!;
    };
    const before = await verifyMunicipality();
    assert.equal(before.intact, true, before.summary);
    const head = (await hub.subgraphs.municipality.log!.head()).sequence;
    const municipalityAdmin = await adminOf('municipality');
    await municipalityAdmin.query(`SET verbund.retention = 'on'`);
    await municipalityAdmin.query('DELETE FROM disclosure_log WHERE sequence >= $1', [head - 1]);
    await municipalityAdmin.destroy();
    // New disclosures extend the shortened chain past the witnessed head, with other hashes.
    for (let i = 0; i < 3; i++) await ask(jobcenter, 'JOB_PLACEMENT', PERSON_VIEW, { id: personId });
    assert.ok((await hub.subgraphs.municipality.log!.head()).sequence > head);
    const after = await verifyMunicipality();
    assert.equal(after.intact, false);
    assert.deepEqual(
      after.problems.map((p) => [p.kind, p.sequence]),
      [['ALTERED', head]],
    );
    assert.match(after.summary, new RegExp(`record ${head} no longer has the hash`));
  });

  it('leaves no record for a subgraph that is down, and then refuses a timeline with a gap', async () => {
    await hub.stopSubgraph('socialcare');
    const response = await ask(jobcenter, 'JOB_PLACEMENT', PERSON_VIEW, { id: personId });
    // The gateway issues the request id and tells it in X-Request-Id.
    const requestId = response.requestId!;
    assert.equal(response.data!.person.socialCare, null);
    const page = await audit(`query($f: DisclosureFilter) { disclosureLog(filter: $f) { records { ${RECORD} } } }`, {
      f: { requestId, subgraphs: ['county', 'municipality', 'jobcenter'] },
    });
    const records = page.data!.disclosureLog.records as LogRecord[];
    assert.deepEqual(records.map((r) => r.subgraph).sort(), ['county', 'jobcenter', 'municipality']);
    assertReleasedIsReceived(PERSON_VIEW, response, records, 'socialcare');
    const gap = await audit(`query($id: ID!) { disclosureTimeline(personId: $id) { records { sequence } } }`, {
      id: personId,
    });
    assert.deepEqual(codes(gap), ['SUBGRAPH_UNAVAILABLE']);
    assert.match(gap.errors![0].message, /socialcare/);
  });

  it('keeps a caseload list and its records when the county is down (no non-null field from another subgraph)', async () => {
    await hub.stopSubgraph('county');
    const query = `query Caseload { jobcenterCaseload(first: 5) { id employment { status } clearing { languages { level } } } }`;
    const response = await ask(jobcenter, 'JOB_PLACEMENT', query, {});
    // The gateway issues the request id and tells it in X-Request-Id.
    const requestId = response.requestId!;
    assert.ok(
      Array.isArray(response.data?.jobcenterCaseload) && response.data.jobcenterCaseload.length === 5,
      JSON.stringify(response),
    );
    const page = await audit(`query($f: DisclosureFilter) { disclosureLog(filter: $f) { records { ${RECORD} } } }`, {
      f: { requestId, subgraphs: ['jobcenter'] },
    });
    const records = page.data!.disclosureLog.records as LogRecord[];
    assert.equal(records.length, 5);
    assertReleasedIsReceived(query, response, records, 'county');
  });
});
