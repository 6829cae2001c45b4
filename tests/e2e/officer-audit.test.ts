import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { verifyChain } from '../../common/audit/log/disclosure-log.verification.js';
import type { DisclosureRecord } from '../../common/audit/log/record.js';
import { createDataSource } from '../../common/db/data-source.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { PERSON_VIEW } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 7;
const persons = demoPersons(SEED, 0, 20);

/** Splits CSV text (RFC 4180 quoting, CRLF) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      cell += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      endCell();
    } else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('consent officers are audited too: every look at the disclosure logs is on record in the consent registry', () => {
  let hub: RunningHub;
  let personId: string;
  let officer: string;
  let jobcenter: string;
  let request = 0;

  /** Asks as consent officer a.schulz (county) with its own X-Request-Id, kept as the record's correlation id. */
  const audit = async (query: string, variables: Record<string, unknown> = {}) => {
    const correlationId = `officer-audit-${++request}`;
    const response = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query,
      variables,
      headers: { 'x-request-id': correlationId },
    });
    return { response, correlationId };
  };
  const auditRecords = async (): Promise<DisclosureRecord[]> => hub.subgraphs.consent.auditLog!.records({ limit: 500 });
  const recordsOf = async (correlationId: string) =>
    (await auditRecords()).filter((r) => r.correlationId === correlationId);
  const adminOfConsent = (): Promise<DataSource> =>
    createDataSource({ url: hub.subgraphs.consent.adminUrl, entities: [] }).initialize();

  /** Exactly one record, of officer a.schulz of the county, for purpose CONSENT_MANAGEMENT, in the gateway's request. */
  const assertOneRecord = async (correlationId: string, requestId: string | undefined) => {
    const records = await recordsOf(correlationId);
    assert.equal(records.length, 1, JSON.stringify(records));
    const [record] = records;
    assert.equal(record.kind, 'AUDIT');
    assert.equal(record.officer, 'a.schulz');
    assert.equal(record.agency, 'county');
    assert.equal(record.purpose, 'CONSENT_MANAGEMENT');
    assert.equal(record.requestId, requestId);
    assert.deepEqual([record.released, record.refused, record.basis], [[], [], []]);
    return record;
  };

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    personId = persons[0].id;
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer');
    // Something on record in the data subgraphs to look at.
    const view = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: personId },
    });
    assert.ok(view.data?.person, JSON.stringify(view.errors));
  });
  afterAll(() => hub.stop());

  it("records a look at a person's timeline: officer, agency, purpose, person, request", async () => {
    const { response, correlationId } = await audit(
      `query($id: ID!) { disclosureTimeline(personId: $id, first: 20) { records { subgraph kind } } }`,
      { id: personId },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const record = await assertOneRecord(correlationId, response.requestId);
    assert.equal(record.operation, 'disclosureTimeline');
    assert.equal(record.personId, personId);
    assert.deepEqual(record.audit, {
      action: 'TIMELINE',
      filter: null,
      records: response.data!.disclosureTimeline.records.length,
    });
  });

  it('records a search of the log with the filter it used', async () => {
    const filter = { agency: 'jobcenter', decision: 'REFUSED', from: '2026-01-01T00:00:00.000Z' };
    const { response, correlationId } = await audit(
      `query($filter: DisclosureFilter) { disclosureLog(filter: $filter, first: 10) { records { sequence } } }`,
      { filter },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const record = await assertOneRecord(correlationId, response.requestId);
    assert.equal(record.operation, 'disclosureLog');
    assert.equal(record.personId, null);
    assert.deepEqual(record.audit, {
      action: 'LOG_SEARCH',
      filter,
      records: response.data!.disclosureLog.records.length,
    });
  });

  it('records an Art. 15 report of the person', async () => {
    const { response, correlationId } = await audit(
      `query($id: ID!) { accessReport(personId: $id) { entries { recipient } } }`,
      { id: personId },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const record = await assertOneRecord(correlationId, response.requestId);
    assert.equal(record.operation, 'accessReport');
    assert.equal(record.personId, personId);
    assert.equal(record.audit?.action, 'ACCESS_REPORT');
  });

  it('exports the filtered log as CSV on the server, on record as an export, with the rows the API gives', async () => {
    const filter = { agency: 'jobcenter' };
    const { response, correlationId } = await audit(
      `query($filter: DisclosureFilter) { disclosureLogExport(filter: $filter, first: 50) }`,
      { filter },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const [header, ...rows] = parseCsv(response.data!.disclosureLogExport as string);
    assert.deepEqual(header, [
      'at',
      'subgraph',
      'sequence',
      'requestId',
      'agency',
      'officer',
      'purpose',
      'operation',
      'kind',
      'personId',
      'released',
      'refused',
      'basis',
    ]);
    const record = await assertOneRecord(correlationId, response.requestId);
    assert.equal(record.operation, 'disclosureLogExport');
    assert.deepEqual(record.audit, { action: 'EXPORT', filter: { ...filter, first: 50 }, records: rows.length });

    const { response: api } = await audit(
      `query($filter: DisclosureFilter) { disclosureLog(filter: $filter, first: 50) { records { at subgraph sequence requestId } } }`,
      { filter },
    );
    const records = api.data!.disclosureLog.records as {
      at: string;
      subgraph: string;
      sequence: number;
      requestId: string;
    }[];
    assert.ok(rows.length > 0);
    assert.deepEqual(
      rows.map((r) => [r[0], r[1], Number(r[2]), r[3]]),
      records.map((r) => [r.at, r.subgraph, r.sequence, r.requestId]),
    );
  });

  it("shows the officers' looks on the person's timeline, and in the log only when asked", async () => {
    const { response } = await audit(
      `query($id: ID!) { disclosureTimeline(personId: $id, first: 100) { records { subgraph kind officer agency personId audit { action filter records } } } }`,
      { id: personId },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const looks = (
      response.data!.disclosureTimeline.records as {
        subgraph: string;
        kind: string;
        officer: string;
        agency: string;
        personId: string;
        audit: { action: string } | null;
      }[]
    ).filter((r) => r.subgraph === 'consent');
    assert.ok(looks.length >= 2, JSON.stringify(looks));
    assert.ok(
      looks.every(
        (r) => r.kind === 'AUDIT' && r.officer === 'a.schulz' && r.agency === 'county' && r.personId === personId,
      ),
    );
    assert.deepEqual([...new Set(looks.map((r) => r.audit!.action))].sort(), ['ACCESS_REPORT', 'TIMELINE']);

    const { response: whole } = await audit(`{ disclosureLog(first: 200) { records { subgraph } } }`);
    assert.ok((whole.data!.disclosureLog.records as { subgraph: string }[]).every((r) => r.subgraph !== 'consent'));
    const { response: officers } = await audit(
      `{ disclosureLog(filter: { subgraphs: ["consent"], officer: "a.schulz" }, first: 200) { records { subgraph audit { action } } } }`,
    );
    const actions = new Set(
      (officers.data!.disclosureLog.records as { audit: { action: string } }[]).map((r) => r.audit.action),
    );
    for (const action of ['TIMELINE', 'LOG_SEARCH', 'ACCESS_REPORT', 'EXPORT']) assert.ok(actions.has(action), action);
  });

  it('refuses an export of an unknown category, which the record would otherwise keep unbounded', async () => {
    const { response, correlationId } = await audit(
      `query($c: String) { disclosureLogExport(first: 5, category: $c) }`,
      { c: 'X'.repeat(5000) },
    );
    assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
    assert.deepEqual(await recordsOf(correlationId), []);
  });

  it('refuses the export to anyone but consent officers', async () => {
    const asCaseworker = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: `{ disclosureLogExport(first: 5) }`,
    });
    assert.deepEqual(codes(asCaseworker), ['FORBIDDEN']);
    const direct = await post(hub.subgraphs.consent.url, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: `{ disclosureLogExport(first: 5) }`,
    });
    assert.deepEqual(codes(direct), ['FORBIDDEN']);
  });

  it("verifies the registry's own chain, on record itself, and finds a record altered", async () => {
    const verification = async () => {
      const { response, correlationId } = await audit(
        `{ disclosureLogVerification { subgraph intact summary problems { kind sequence } } }`,
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      const own = (
        response.data!.disclosureLogVerification as {
          subgraph: string;
          intact: boolean;
          summary: string;
          problems: { kind: string; sequence: number }[];
        }[]
      ).find((v) => v.subgraph === 'consent')!;
      return { own, correlationId, requestId: response.requestId };
    };
    const intact = await verification();
    assert.equal(intact.own.intact, true, intact.own.summary);
    assert.match(intact.own.summary, /^consent: intact up to record \d+/);
    const record = await assertOneRecord(intact.correlationId, intact.requestId);
    assert.equal(record.audit?.action, 'VERIFICATION');

    // The registry's role may neither change nor remove a record of its own log.
    await assert.rejects(
      hub.subgraphs.consent.db.query(`UPDATE disclosure_log SET officer = 'nobody' WHERE sequence = 1`),
    );
    await assert.rejects(hub.subgraphs.consent.db.query(`DELETE FROM disclosure_log WHERE sequence = 1`));

    // An administrator who gets round the triggers is found out.
    const admin = await adminOfConsent();
    const [{ officer: original }] = await admin.query<{ officer: string }[]>(
      'SELECT officer FROM disclosure_log WHERE sequence = 1',
    );
    const rewrite = async (to: string) => {
      await admin.transaction(async (m) => {
        await m.query('ALTER TABLE disclosure_log DISABLE TRIGGER USER');
        await m.query('UPDATE disclosure_log SET officer = $1 WHERE sequence = 1', [to]);
        await m.query('ALTER TABLE disclosure_log ENABLE TRIGGER USER');
      });
    };
    try {
      await rewrite('someone.else');
      const altered = await verification();
      assert.equal(altered.own.intact, false);
      assert.deepEqual(altered.own.problems[0], { kind: 'ALTERED', sequence: 1 });
      assert.match(altered.own.summary, /^consent: NOT intact: record 1 was altered/);
    } finally {
      await rewrite(original);
      await admin.destroy();
    }
    assert.equal((await verifyChain(hub.subgraphs.consent.db)).intact, true);
  });

  it('withholds the answer when its record cannot be written: no record, no data', async () => {
    const admin = await adminOfConsent();
    await admin.query('REVOKE INSERT ON disclosure_log FROM verbund_consent');
    try {
      for (const query of [
        `{ disclosureTimeline(personId: "${personId}") { records { sequence } } }`,
        `{ disclosureLog(first: 5) { records { sequence } } }`,
        `{ accessReport(personId: "${personId}") { entries { recipient } } }`,
        `{ disclosureLogExport(first: 5) }`,
        `{ disclosureLogVerification { subgraph } }`,
      ]) {
        const { response, correlationId } = await audit(query);
        assert.deepEqual(codes(response), ['DISCLOSURE_LOG_UNAVAILABLE'], query);
        assert.equal(response.data, null, query);
        assert.deepEqual(await recordsOf(correlationId), []);
      }
    } finally {
      await admin.query('GRANT INSERT ON disclosure_log TO verbund_consent');
      await admin.destroy();
    }
  });
});
