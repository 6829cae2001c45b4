/**
 * Verification says exactly what it checked, and checks everything in bounded time (issue #23, hole 2).
 * Tried as a database administrator of a data subgraph would: alter one record and delete another far below
 * the last verified checkpoint, where the default verification used to re-read nothing and still say
 * "intact up to record N". Now each default run re-reads the records since the last verified checkpoint and a
 * rotating slice of older ones, says which records it re-read and which it took on the strength of which
 * cosigned checkpoint (and when those were last re-read); the damage is named within one full cycle
 * (`VERIFY_FULL_CYCLE_DAYS`, time simulated) and raises the witnesses' alarm; `npm run audit:verify -- --full`
 * names it at once.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ephemeralKeyRing, publishKeys } from '../../common/audit/log/log-keys.js';
import { fromRow, type RecordRow } from '../../common/audit/log/disclosure-log.table.js';
import { recordHash, type DisclosureEntry } from '../../common/audit/log/record.js';
import { DisclosureLogClient } from '../../common/audit/witness/log-client.js';
import { ConfigError, loadConfig } from '../../common/config.js';
import { createDataSource } from '../../common/db/data-source.js';
import type { SubgraphName } from '../../common/domain.js';
import { consentSubgraph } from '../../subgraphs/consent/consent.subgraph.js';
import { jobcenterSubgraph } from '../../subgraphs/jobcenter/jobcenter.subgraph.js';
import { post } from '../support/graphql.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const CYCLE_DAYS = 7;
const STRETCHES = 24;
const PER_STRETCH = 10;

function entries(n: number): DisclosureEntry[] {
  return Array.from({ length: n }, () => ({
    requestId: randomUUID(),
    agency: 'county',
    officer: 'k.schmidt',
    roles: ['CASEWORKER'],
    purpose: 'JOB_PLACEMENT',
    operation: 'PersonView',
    kind: 'READ' as const,
    personId: randomUUID(),
    released: [{ field: 'Person.employment', category: 'EMPLOYMENT' }],
    refused: [],
    basis: [{ category: 'EMPLOYMENT', basis: 'STATUTE:x' }],
    changes: [],
    retention: null,
    policyVersion: 'test',
    correlationId: null,
  }));
}

interface Verification {
  subgraph: string;
  intact: boolean;
  summary: string;
  verifiedFrom: number;
  reread: { from: number; through: number }[];
  covered: { from: number; through: number }[];
  coveredLastRereadAt: string | null;
  problems: { kind: string; sequence: number; message: string }[];
}

describe('verification re-reads older records in a rotating slice and says what it re-read', () => {
  let consent: RunningSubgraph;
  let jobcenter: RunningSubgraph;
  let officer: string;
  let jobcenterAdmin: DataSource;
  let consentAdmin: DataSource;
  const logKeys = ephemeralKeyRing();
  const sources: Partial<Record<SubgraphName, string>> = {};

  const verify = async (full = false): Promise<Verification> => {
    const response = await post(consent.url, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `{ disclosureLogVerification(full: ${full}) { subgraph intact summary verifiedFrom reread { from through }
        covered { from through } coveredLastRereadAt problems { kind sequence message } } }`,
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return (response.data!.disclosureLogVerification as Verification[]).find((v) => v.subgraph === 'jobcenter')!;
  };
  /** A day passes for the registry: everything it re-read and verified happened a day earlier. */
  const aDayPasses = async () => {
    await consentAdmin.query(`UPDATE log_reread SET reread_at = reread_at - interval '1 day'`);
    await consentAdmin.query(`UPDATE verified_checkpoint SET verified_at = verified_at - interval '1 day'`);
  };
  /** As the database's owner, past the append-only triggers. */
  const tamper = async (statement: string) => {
    await jobcenterAdmin.query('ALTER TABLE disclosure_log DISABLE TRIGGER USER');
    try {
      await jobcenterAdmin.query(statement);
    } finally {
      await jobcenterAdmin.query('ALTER TABLE disclosure_log ENABLE TRIGGER USER');
    }
  };

  beforeAll(async () => {
    const logClient = new DisclosureLogClient(() => sources);
    consent = await startSubgraph(consentSubgraph, {
      logClient,
      pinnedLogKeys: { 'verbund:jobcenter': publishKeys(logKeys) },
      verifyFullCycleDays: CYCLE_DAYS,
    });
    jobcenter = await startSubgraph(jobcenterSubgraph, { logKeys });
    sources.jobcenter = jobcenter.url;
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'audit.officer');
    jobcenterAdmin = await createDataSource({ url: jobcenter.adminUrl, entities: [] }).initialize();
    consentAdmin = await createDataSource({ url: consent.adminUrl, entities: [] }).initialize();
    // A log verified stretch by stretch: every verification makes, cosigns and verifies a checkpoint.
    for (let i = 0; i < STRETCHES; i++) {
      await jobcenter.log!.append(entries(PER_STRETCH));
      const result = await verify();
      assert.equal(result.intact, true, result.summary);
    }
  }, 300_000);
  afterAll(async () => {
    await jobcenterAdmin?.destroy();
    await consentAdmin?.destroy();
    await jobcenter?.stop();
    await consent?.stop();
  });

  it('says which records it re-read and which a cosigned checkpoint covers, and when they were last re-read', async () => {
    await jobcenter.log!.append(entries(3));
    const result = await verify();
    assert.equal(result.intact, true, result.summary);
    const size = STRETCHES * PER_STRETCH;
    assert.equal(result.verifiedFrom, size);
    const reread = (sequence: number) => result.reread.some((r) => r.from <= sequence && sequence <= r.through);
    assert.ok(
      [size + 1, size + 2, size + 3].every(reread),
      `the records since the last verified checkpoint: ${JSON.stringify(result.reread)}`,
    );
    assert.ok(
      Array.from({ length: size }, (_, i) => i + 1).some(reread),
      `and a slice of older ones: ${JSON.stringify(result.reread)}`,
    );
    assert.ok(result.covered.length > 0, 'most older records are not re-read on every run');
    assert.ok(result.coveredLastRereadAt, 'the covered records were re-read before');
    assert.match(
      result.summary,
      /^jobcenter: records? [\d–, and]+ re-read and intact; [\d–, and]+ covered by cosigned checkpoint \d+ \(size \d+, cosigned by consent\), last re-read on \d{4}-\d\d-\d\dT[\d:.]+Z; head hash [0-9a-f]{64} at record \d+/,
    );
    const total = [...result.reread, ...result.covered].reduce((n, r) => n + r.through - r.from + 1, 0);
    assert.ok(total >= size, `re-read and covered together account for every record (${total})`);
  });

  it('`npm run audit:verify -- --full` names an altered record below the last checkpoint at once', async () => {
    const [{ officer: original }] = await jobcenterAdmin.query<{ officer: string }[]>(
      'SELECT officer FROM disclosure_log WHERE sequence = 60',
    );
    await tamper(`UPDATE disclosure_log SET officer = 'someone.else' WHERE sequence = 60`);
    try {
      const run = promisify(execFile);
      const root = path.resolve(import.meta.dirname, '../..');
      const cli = (args: string[]) =>
        run(
          process.execPath,
          ['--import', 'tsx', 'scripts/audit-verify.ts', '--url', consent.url, '--token', officer, ...args],
          { cwd: root },
        ).then(
          ({ stdout }) => ({ code: 0, stdout }),
          (error: { code: number; stdout: string }) => error,
        );
      const full = await cli(['--full']);
      assert.equal(full.code, 1, full.stdout);
      assert.match(full.stdout, /jobcenter: NOT intact: record 60 was altered: its content no longer matches its hash/);
    } finally {
      await tamper(`UPDATE disclosure_log SET officer = '${original}' WHERE sequence = 60`);
    }
    assert.equal((await verify(true)).intact, true, 'restored');
  });

  it('names an altered and a deleted record below the last checkpoint within one full cycle, and raises the alarm', async () => {
    await tamper(`UPDATE disclosure_log SET purpose = 'CLEARING' WHERE sequence = 35`);
    await tamper('DELETE FROM disclosure_log WHERE sequence = 172');
    // Rewritten with a fresh hash of its new content: only the chain to the next record and the signed root show it.
    const [row] = await jobcenterAdmin.query<RecordRow[]>('SELECT * FROM disclosure_log WHERE sequence = 111');
    const { hash: _old, ...unhashed } = fromRow(row);
    const rewritten = { ...unhashed, purpose: 'CLEARING' };
    await tamper(
      `UPDATE disclosure_log SET purpose = 'CLEARING', hash = '${recordHash(rewritten)}' WHERE sequence = 111`,
    );
    const found = new Map<string, number>();
    const rereadPerDay: number[] = [];
    for (let day = 1; day <= CYCLE_DAYS && found.size < 3; day++) {
      await aDayPasses();
      const result = await verify();
      rereadPerDay.push(result.reread.filter((r) => r.through <= 240).reduce((n, r) => n + r.through - r.from + 1, 0));
      for (const p of result.problems) {
        if (p.kind === 'ALTERED' && p.sequence === 35 && !found.has('altered')) found.set('altered', day);
        if (p.kind === 'REMOVED' && p.sequence === 172 && !found.has('removed')) found.set('removed', day);
        if (p.kind === 'ALTERED' && p.sequence === 111 && !found.has('rehashed')) found.set('rehashed', day);
      }
      if (found.size) assert.match(result.summary, /^jobcenter: NOT intact: /);
    }
    assert.ok(found.has('altered'), `record 35's alteration named within ${CYCLE_DAYS} simulated days`);
    assert.ok(found.has('removed'), `record 172's deletion named within ${CYCLE_DAYS} simulated days`);
    assert.ok(
      found.has('rehashed'),
      `record 111's rewrite with a fresh hash named within ${CYCLE_DAYS} simulated days`,
    );
    assert.ok(
      rereadPerDay.every((n) => n < STRETCHES * PER_STRETCH),
      `a day's run re-reads a slice, not the whole log: ${rereadPerDay.join(', ')}`,
    );
    // The witnesses' alarm: kept, reported by every later run, counted in the metric (two records altered).
    const alarms = await consentAdmin.query<{ kind: string; sequence: string }[]>(
      `SELECT kind, sequence FROM witness_alarm WHERE subgraph = 'jobcenter' ORDER BY sequence`,
    );
    assert.deepEqual(
      alarms.map((a) => `${a.kind} ${a.sequence}`),
      ['ALTERED 35', 'ALTERED 111', 'REMOVED 172'],
    );
    const later = await verify();
    assert.equal(later.intact, false);
    assert.ok(later.problems.some((p) => p.sequence === 35 && /found re-reading older records/.test(p.message)));
    const metrics = await (await fetch(consent.url.replace(/\/graphql$/, '/metrics'))).text();
    const line = metrics
      .split('\n')
      .find((l) => /^verbund_witness_alarms\{/.test(l) && /jobcenter/.test(l) && /ALTERED/.test(l));
    assert.match(
      line ?? '',
      / 2$/,
      metrics
        .split('\n')
        .filter((l) => l.includes('witness_alarms'))
        .join('\n'),
    );
  });

  it('refuses a bad VERIFY_FULL_CYCLE_DAYS at start, naming the variable', () => {
    for (const value of ['0', '366', 'seven', '1.5']) {
      assert.throws(
        () => loadConfig({ VERIFY_FULL_CYCLE_DAYS: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          /VERIFY_FULL_CYCLE_DAYS=.* is invalid; expected an integer from 1 to 365/.test(error.message),
        value,
      );
    }
    assert.equal(loadConfig({}).verifyFullCycleDays, 7);
  });
});
