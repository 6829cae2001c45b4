/**
 * Receipts without the officer's id (issue #23, hole 3): new disclosure records are of version 2, whose hash
 * covers a salted commitment to the officer instead of the pseudonymous id; the log keeps the salt, so the
 * consent officers' audit can open the commitment, and a person's receipt carries only the commitment. Version 1
 * records, written before, keep verifying beside them. Tried as someone who wants a receipt to name another
 * officer, or to pass one version off as the other.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { attest } from '../../common/audit/log/attestation.js';
import { fromRow, readHead, toRowDocument, type RecordRow } from '../../common/audit/log/disclosure-log.table.js';
import { ephemeralKeyRing } from '../../common/audit/log/log-keys.js';
import {
  boundEntry,
  canonicalEncoding,
  officerCommitment,
  opensCommitment,
  recordHash,
  type DisclosureEntry,
} from '../../common/audit/log/record.js';
import { parseLabelledKeys } from '../../common/audit/proofs/key-set.js';
import { checkReceipt, type Receipt } from '../../common/audit/proofs/receipt.js';
import { createDataSource } from '../../common/db/data-source.js';
import type { SubgraphName } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 37;
const PERSON = randomUUID();
const OLD_OFFICER = 'j.alt';
const NEW_OFFICER = 'j.meyer';

function entry(officer: string): DisclosureEntry {
  return {
    requestId: randomUUID(),
    agency: 'jobcenter',
    officer,
    roles: ['CASEWORKER'],
    purpose: 'JOB_PLACEMENT',
    operation: 'PersonView',
    kind: 'READ',
    personId: PERSON,
    released: [{ field: 'Person.employment', category: 'EMPLOYMENT' }],
    refused: [],
    basis: [{ category: 'EMPLOYMENT', basis: 'OWN_TASK' }],
    changes: [],
    retention: null,
    policyVersion: 'commitment-test',
    correlationId: null,
  };
}

describe('security: receipts carry the officer as a salted commitment (record version 2), beside version 1 records', () => {
  let hub: RunningHub;
  let officer: string;
  let receipt: Receipt;
  let rows: RecordRow[];
  const jobcenterKeys = ephemeralKeyRing();

  const keys = async () =>
    parseLabelledKeys(
      await Promise.all(
        (['county', 'municipality', 'jobcenter', 'socialcare', 'consent'] as SubgraphName[]).map(async (name) =>
          (await fetch(hub.subgraphs[name].url.replace(/\/graphql$/, '/audit/keys'))).json(),
        ),
      ),
    );

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, 4), seed: SEED, logKeys: { jobcenter: jobcenterKeys } });
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    // A version 1 record, as the process wrote them before: no salt, the hash over the officer's id, attested.
    const admin = await createDataSource({ url: hub.subgraphs.jobcenter.adminUrl, entities: [] }).initialize();
    try {
      const old = entry(OLD_OFFICER);
      await attest(admin, jobcenterKeys, [old]);
      const head = await readHead(admin);
      const unhashed = { ...boundEntry(old), sequence: head.sequence + 1, at: new Date(), previousHash: head.hash };
      await admin.query(
        `INSERT INTO disclosure_log SELECT r.* FROM jsonb_populate_record(NULL::disclosure_log, $1::jsonb) AS r`,
        [JSON.stringify(toRowDocument({ ...unhashed, hash: recordHash(unhashed) }))],
      );
    } finally {
      await admin.destroy();
    }
    // Version 2 records, through the process's own append.
    await hub.subgraphs.jobcenter.log!.append([entry(NEW_OFFICER), entry(NEW_OFFICER)]);
    rows = await hub.subgraphs.jobcenter.db.query<RecordRow[]>(
      'SELECT * FROM disclosure_log WHERE person_id = $1 ORDER BY sequence',
      [PERSON],
    );
    const response = await post<{ accessReport: { receipt: string } }>(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `query($id: ID!) { accessReport(personId: $id, receipt: true) { receipt } }`,
      variables: { id: PERSON },
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    receipt = JSON.parse(response.data!.accessReport.receipt) as Receipt;
  }, 120_000);
  afterAll(() => hub.stop());

  it('writes new records as version 2: the log keeps a salt, the hash covers the commitment, not the id', () => {
    assert.equal(rows.length, 3);
    const [old, ...fresh] = rows;
    assert.equal(old.officer_salt, null);
    assert.match(canonicalEncoding(fromRow(old)), /^\["verbund-disclosure-v1",/);
    for (const row of fresh) {
      assert.match(row.officer_salt!, /^[0-9a-f]{32}$/);
      const encoded = canonicalEncoding(fromRow(row));
      assert.match(encoded, /^\["verbund-disclosure-v2",/);
      assert.ok(!encoded.includes(NEW_OFFICER), 'the hash covers the commitment, not the id');
      assert.ok(encoded.includes(officerCommitment(row.officer_salt!, NEW_OFFICER)));
    }
    assert.notEqual(fresh[0].officer_salt, fresh[1].officer_salt, 'a salt per record: equal officers do not link');
    for (const row of rows) assert.equal(recordHash(fromRow(row)), row.hash);
  });

  it('verifies old and new records beside each other: checkpoints and a full verification', async () => {
    const result = await hub.subgraphs.jobcenter.checkpointer!.checkpoint();
    assert.equal(result.stoppedAt, null, JSON.stringify(result));
    const response = await post<{
      disclosureLogVerification: { subgraph: string; intact: boolean; summary: string }[];
    }>(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: '{ disclosureLogVerification(full: true) { subgraph intact summary } }',
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const jobcenter = response.data!.disclosureLogVerification.find((v) => v.subgraph === 'jobcenter')!;
    assert.equal(jobcenter.intact, true, jobcenter.summary);
  });

  it('gives a receipt with the commitment for version 2 records, the id only for version 1, and it verifies', async () => {
    const mine = receipt.disclosures.filter((d) => d.subgraph === 'jobcenter');
    assert.equal(mine.length, 3);
    const old = mine.find((d) => d.record.officer !== undefined)!;
    assert.equal(old.record.officer, OLD_OFFICER);
    const fresh = mine.filter((d) => d.record.officerCommitment !== undefined);
    assert.equal(fresh.length, 2);
    for (const d of fresh) {
      assert.equal(d.record.officer, undefined);
      assert.equal((d.record as { officerSalt?: unknown }).officerSalt, undefined);
    }
    assert.ok(!JSON.stringify(receipt).includes(NEW_OFFICER), 'the receipt names no officer of a version 2 record');
    const check = checkReceipt(receipt, await keys());
    assert.deepEqual(check.problems, []);
    assert.equal(check.valid, true);
    assert.equal(check.proven, receipt.disclosures.length);
  });

  it("lets the consent officers' audit open each commitment with the salt the log holds, and no other officer", async () => {
    const answer = await fetch(new URL('/audit/records', hub.subgraphs.jobcenter.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${officer}`,
        'x-purpose': 'CONSENT_MANAGEMENT',
      },
      body: JSON.stringify({ personId: PERSON, limit: 10 }),
    });
    const { records } = (await answer.json()) as {
      records: { sequence: number; officer: string; officerSalt?: string }[];
    };
    for (const d of receipt.disclosures.filter((x) => x.record.officerCommitment)) {
      const held = records.find((r) => r.sequence === d.record.sequence)!;
      assert.match(held.officerSalt!, /^[0-9a-f]{32}$/);
      assert.equal(opensCommitment(d.record.officerCommitment!, held.officerSalt!, held.officer), true);
      assert.equal(held.officer, NEW_OFFICER);
      assert.equal(opensCommitment(d.record.officerCommitment!, held.officerSalt!, OLD_OFFICER), false);
      assert.equal(opensCommitment(d.record.officerCommitment!, 'ab'.repeat(16), NEW_OFFICER), false);
    }
  });

  it('fails a receipt whose officer or record version was changed, naming the disclosure', async () => {
    const trusted = await keys();
    const index = (v2: boolean) =>
      receipt.disclosures.findIndex(
        (d) => d.subgraph === 'jobcenter' && (d.record.officerCommitment !== undefined) === v2,
      );
    const tampered = (change: (r: Receipt) => void) => {
      const copy = structuredClone(receipt);
      change(copy);
      return checkReceipt(copy, trusted);
    };
    const v2 = index(true);
    const v1 = index(false);
    const salt = rows[1].officer_salt!;
    const cases: [string, ReturnType<typeof tampered>, RegExp][] = [
      [
        'the commitment to another officer',
        tampered((r) => (r.disclosures[v2].record.officerCommitment = officerCommitment(salt, OLD_OFFICER))),
        /the record was altered/,
      ],
      [
        'an officer named beside the commitment',
        tampered((r) => (r.disclosures[v2].record.officer = OLD_OFFICER)),
        /the record is malformed/,
      ],
      [
        'a version 2 record passed off as version 1 with the true officer',
        tampered((r) => {
          const record = r.disclosures[v2].record;
          delete record.officerCommitment;
          record.officer = NEW_OFFICER;
        }),
        /the record was altered/,
      ],
      [
        'a version 1 record passed off as version 2',
        tampered((r) => {
          const record = r.disclosures[v1].record;
          record.officerCommitment = officerCommitment('cd'.repeat(16), OLD_OFFICER);
          delete record.officer;
        }),
        /the record was altered/,
      ],
      [
        'a salt added that opens the commitment to another officer',
        tampered((r) => {
          const record = r.disclosures[v2].record as Receipt['disclosures'][number]['record'] & {
            officerSalt?: string;
          };
          delete record.officerCommitment;
          record.officer = OLD_OFFICER;
          record.officerSalt = salt;
        }),
        /the record was altered/,
      ],
    ];
    for (const [what, check, problem] of cases) {
      assert.equal(check.valid, false, what);
      assert.ok(
        check.problems.some((p) => /disclosure \d+ \(jobcenter record \d+\)/.test(p) && problem.test(p)),
        `${what}: ${check.problems.join(' | ')}`,
      );
    }
  });
});
