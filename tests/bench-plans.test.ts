/**
 * The benchmark's EXPLAIN step (issue #27) runs the statements an in-process hub sent, disclosure records'
 * appends among them, on the databases of the hub it then measures. Those databases must come out of it as
 * they went in: a record appended there by EXPLAIN ANALYZE breaks the measured log's chain from record 1 and
 * stops its checkpoints for the whole run. Nothing here is timed.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import pg from 'pg';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { withClient, type SubgraphDatabase } from '../common/db/provision.js';
import { CASELOAD_SEED, consentToCaseload, countCaseloadStatements, warmCaseload } from '../bench/caseload.js';
import { startCountingHub, type CountingHub } from '../bench/counting-hub.js';
import { explainStatements, type RecordedStatement } from '../bench/plans.js';
import { createTestDatabase, testAdminUrl } from './support/databases.js';
import { testVerifier, tokenFor } from './support/tokens.js';

type TestDatabase = SubgraphDatabase & { drop(): Promise<void> };

/** Every table's rows (as text, in order) and every sequence's position: what "untouched" means. */
async function contents(url: string): Promise<Record<string, string[]>> {
  return withClient(url, async (client: pg.Client) => {
    const tables = await client.query<{ name: string }>(
      `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    const result: Record<string, string[]> = {};
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t ORDER BY 1`);
      result[name] = rows.rows.map((r) => r.row);
    }
    const sequences = await client.query<{ name: string; last: string | null }>(
      `SELECT sequencename AS name, last_value::text AS last FROM pg_sequences WHERE schemaname = 'public'`,
    );
    for (const s of sequences.rows) result[`sequence ${s.name}`] = [String(s.last)];
    return result;
  });
}

describe("the benchmark's EXPLAIN step", () => {
  let hub: CountingHub;
  let statements: RecordedStatement[];
  const measured = {} as Record<SubgraphName, TestDatabase>;

  beforeAll(async () => {
    hub = await startCountingHub({
      adminUrl: testAdminUrl(),
      prefix: `verbund_t${randomBytes(4).toString('hex')}_plans`,
      seed: CASELOAD_SEED,
      verifier: await testVerifier(),
    });
    const tokens = { jobcenter: await tokenFor('jobcenter'), officer: await tokenFor('county', ['CONSENT_OFFICER']) };
    await hub.grow(10);
    await consentToCaseload(hub.gatewayUrl, tokens, new Set());
    await warmCaseload(hub, tokens);
    await hub.record('caseload', () => countCaseloadStatements(hub, tokens));
    statements = hub.recorded();
    for (const name of SUBGRAPHS) measured[name] = await createTestDatabase(name);
  });
  afterAll(async () => {
    await hub?.stop();
    for (const database of Object.values(measured)) await database.drop();
  });

  it("leaves the measured hub's disclosure logs and every other table untouched, appends included", async () => {
    const appends = statements.filter((s) => /^\s*(WITH\b[\s\S]*)?INSERT INTO disclosure_log\b/i.test(s.query));
    // The input has what made the old step write: a data subgraph's append, a data-modifying statement.
    assert.ok(appends.length > 0, 'the recorded caseload includes disclosure records being appended');
    const before = await Promise.all(SUBGRAPHS.map((name) => contents(measured[name].adminUrl)));

    const plans = await explainStatements(statements, measured);

    const after = await Promise.all(SUBGRAPHS.map((name) => contents(measured[name].adminUrl)));
    for (const [i, name] of SUBGRAPHS.entries()) assert.deepEqual(after[i], before[i], `${name} changed`);
    const logs = SUBGRAPHS.filter((name) => before[SUBGRAPHS.indexOf(name)].disclosure_log);
    assert.ok(logs.length >= 4, `data subgraphs' logs compared: ${logs.join(', ')}`);
    // Reads are run (EXPLAIN ANALYZE reports their time); appends are only planned.
    const planned = plans.filter((p) => Number.isNaN(p.milliseconds));
    assert.ok(planned.length >= appends.length, JSON.stringify(plans.map((p) => p.statement)));
    assert.ok(planned.some((p) => /\bdisclosure_log\b/.test(p.statement)));
    assert.ok(plans.some((p) => Number.isFinite(p.milliseconds) && p.scans.length > 0));
  });
});
