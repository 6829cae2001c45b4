import { setTimeout as sleep } from 'node:timers/promises';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { withClient } from '../common/db/provision.js';
import { dataOf, postGraphQL } from './graphql.js';
import { CALLERS } from './queries.js';

/** The data subgraphs: each keeps a disclosure log, which its process checkpoints and the registry cosigns. */
export const LOGGED_SUBGRAPHS = SUBGRAPHS.filter((name) => name !== 'consent');

/** What the end of a run found about one log of the measured hub. */
export interface LogCheck {
  subgraph: SubgraphName;
  /** The log's last record when the load stopped. */
  lastSequence: number;
  /** Checkpoints the log's own process signed (on its timer) while the run lasted. */
  checkpoints: number;
  /** The newest of them covers this many records. */
  checkpointSize: number;
  /** Witnesses that cosigned a checkpoint of the run covering `lastSequence`; empty when none did. */
  cosignedBy: string[];
  /** The registry's full verification through the graph, from record 1. */
  verification?: { intact: boolean; firstSequence: number | null; records: number; summary: string };
}

/** Whether the measured hub did all its work: the figures of a run that skipped proofs do not count. */
export interface RunValidity {
  valid: boolean;
  /** One sentence: what was checked, or the first reason the run is invalid. */
  reason: string;
  logs: LogCheck[];
}

/** Each data subgraph's last record now. */
export async function lastSequences(
  databases: Record<SubgraphName, { adminUrl: string }>,
): Promise<Map<SubgraphName, number>> {
  const result = new Map<SubgraphName, number>();
  for (const name of LOGGED_SUBGRAPHS) {
    const [row] = await withClient(databases[name].adminUrl, async (client) => {
      return (await client.query<{ last: string }>('SELECT coalesce(max(sequence), 0) AS last FROM disclosure_log'))
        .rows;
    });
    result.set(name, Number(row.last));
  }
  return result;
}

/**
 * Reads, without asking any part of the hub to act, what the periodic checkpointers and the registry's witness
 * did since `since`: checkpoints signed, and the cosignatures of those covering each log's `last` record.
 */
async function checkpointEvidence(
  databases: Record<SubgraphName, { adminUrl: string }>,
  last: Map<SubgraphName, number>,
  since: Date,
): Promise<LogCheck[]> {
  const checks: LogCheck[] = [];
  for (const name of LOGGED_SUBGRAPHS) {
    const signed = await withClient(databases[name].adminUrl, async (client) => {
      return (
        await client.query<{ count: string; size: string | null }>(
          'SELECT count(*) AS count, max(size) AS size FROM disclosure_checkpoint WHERE at >= $1',
          [since],
        )
      ).rows[0];
    });
    const cosigned = await withClient(databases.consent.adminUrl, async (client) => {
      return (
        await client.query<{ witness: string }>(
          `SELECT DISTINCT witness FROM cosigned_checkpoint
            WHERE log_id = $1 AND size >= $2 AND at >= $3 ORDER BY witness`,
          [`verbund:${name}`, last.get(name) ?? 0, since],
        )
      ).rows.map((row) => row.witness);
    });
    checks.push({
      subgraph: name,
      lastSequence: last.get(name) ?? 0,
      checkpoints: Number(signed.count),
      checkpointSize: Number(signed.size ?? 0),
      cosignedBy: cosigned,
    });
  }
  return checks;
}

/**
 * Waits (up to `timeoutMs`) until every log's own process has signed, on its timer, a checkpoint covering the
 * last record of the run, and the registry has cosigned it; returns what it found when that happened or the
 * time ran out. Nothing is triggered: a checkpointer that stopped during the run shows as one that did not.
 */
export async function awaitCheckpoints(
  databases: Record<SubgraphName, { adminUrl: string }>,
  last: Map<SubgraphName, number>,
  since: Date,
  timeoutMs: number,
): Promise<LogCheck[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const checks = await checkpointEvidence(databases, last, since);
    const done = checks.every((c) => c.checkpointSize >= c.lastSequence && c.cosignedBy.length > 0);
    if (done || Date.now() >= deadline) return checks;
    await sleep(2000);
  }
}

interface Verification {
  subgraph: string;
  available: boolean;
  intact: boolean;
  records: number;
  firstSequence: number | null;
  summary: string;
}

/**
 * Asks the consent registry, as a consent officer, to verify every log from its start
 * (`disclosureLogVerification(full: true)`). `registryUrl` is the registry's own GraphQL endpoint (it decides
 * alone, as for any caller that reaches it directly): a full walk of a long run's logs on a busy machine can
 * take longer than the gateway's deadline for one subgraph. A verification that fails to answer is asked again,
 * up to `attempts` times; a log found broken is not.
 */
export async function verifyLogsFromStart(
  registryUrl: string,
  officerToken: string,
  checks: LogCheck[],
  attempts = 3,
): Promise<LogCheck[]> {
  let results: Verification[] | undefined;
  for (let attempt = 1; !results; attempt++) {
    try {
      const body = await postGraphQL<{ disclosureLogVerification: Verification[] }>(registryUrl, {
        token: officerToken,
        purpose: CALLERS.consentOfficer.purpose,
        query: '{ disclosureLogVerification(full: true) { subgraph available intact records firstSequence summary } }',
      });
      const answer = dataOf(body, 'disclosureLogVerification').disclosureLogVerification;
      if (answer.some((r) => !r.available) && attempt < attempts) continue;
      results = answer;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
  return checks.map((check) => {
    const result = results.find((r) => r.subgraph === check.subgraph);
    return result ? { ...check, verification: result } : check;
  });
}

/**
 * The run is valid when every data subgraph's log verifies from record 1, and its process signed
 * checkpoints during the run, the newest covering the run's last record, cosigned by the registry.
 */
export function judgeRun(checks: LogCheck[], interval: number): RunValidity {
  const problems: string[] = [];
  for (const c of checks) {
    const v = c.verification;
    if (c.lastSequence === 0) problems.push(`${c.subgraph}'s log has no records`);
    else if (!v) problems.push(`${c.subgraph}'s log was not verified`);
    else if (!v.intact) problems.push(`${c.subgraph}'s log does not verify: ${v.summary}`);
    else if (v.firstSequence !== 1) problems.push(`${c.subgraph}'s log starts at record ${v.firstSequence}, not 1`);
    if (c.lastSequence > 0 && c.checkpoints === 0)
      problems.push(`${c.subgraph} signed no checkpoint during the run (every ${interval} s expected)`);
    else if (c.checkpointSize < c.lastSequence)
      problems.push(
        `${c.subgraph}'s newest checkpoint covers ${c.checkpointSize} of the run's ${c.lastSequence} records`,
      );
    else if (c.lastSequence > 0 && c.cosignedBy.length === 0)
      problems.push(`${c.subgraph}'s checkpoint of record ${c.lastSequence} was not cosigned`);
  }
  if (problems.length) return { valid: false, reason: problems.join('; '), logs: checks };
  return {
    valid: true,
    reason:
      `every data subgraph's log verifies from record 1 (${checks.map((c) => `${c.subgraph} 1–${c.lastSequence}`).join(', ')}); ` +
      `checkpoints advanced during the run (${checks.map((c) => `${c.subgraph} ${c.checkpoints}`).join(', ')}) ` +
      `up to the run's last record and were cosigned by ${[...new Set(checks.flatMap((c) => c.cosignedBy))].join(', ')}`,
    logs: checks,
  };
}

/** The line RESULTS.md and the console carry: `Run valid: …` or `Run invalid: …`. */
export function validityLine(validity: RunValidity | { failed: string } | undefined): string {
  if (!validity) return 'Run invalid: not checked, as no hub was started (only scenario 3 ran).';
  if ('failed' in validity) return `Run invalid: the check itself failed: ${validity.failed}.`;
  return `${validity.valid ? 'Run valid' : 'Run invalid'}: ${validity.reason}.`;
}
