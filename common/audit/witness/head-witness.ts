import type { Queryable } from '../log/disclosure-log.table.js';
import type { WitnessedHead } from '../log/disclosure-log.verification.js';
import { LOGGING_SUBGRAPHS, type DisclosureLogClient, type LoggingSubgraph } from './log-client.js';

/** The newest head the consent registry has seen of one subgraph's chain. */
export async function latestWitnessedHead(
  db: Queryable,
  subgraph: LoggingSubgraph,
): Promise<WitnessedHead | undefined> {
  const [row] = (await db.query(
    'SELECT sequence, hash, seen_at FROM witnessed_head WHERE subgraph = $1 ORDER BY sequence DESC LIMIT 1',
    [subgraph],
  )) as { sequence: string; hash: string; seen_at: Date }[];
  return row && { sequence: Number(row.sequence), hash: row.hash, seenAt: row.seen_at };
}

/** Something witnessing found wrong with a log; kept until a person has looked into it. */
export interface WitnessAlarm {
  kind: 'ALTERED' | 'REMOVED' | 'TRUNCATED';
  sequence: number;
  message: string;
  detectedAt: Date;
}

export async function witnessAlarms(db: Queryable, subgraph: LoggingSubgraph): Promise<WitnessAlarm[]> {
  const rows = (await db.query(
    'SELECT kind, sequence, message, detected_at FROM witness_alarm WHERE subgraph = $1 ORDER BY detected_at',
    [subgraph],
  )) as { kind: WitnessAlarm['kind']; sequence: string; message: string; detected_at: Date }[];
  return rows.map((r) => ({
    kind: r.kind,
    sequence: Number(r.sequence),
    message: r.message,
    detectedAt: r.detected_at,
  }));
}

/**
 * Witnesses one subgraph's head. The new head is kept only when the chain still runs through the head
 * witnessed before (the same hash at the same sequence); otherwise an alarm is kept, because records were
 * altered, removed or cut off since. The registry thereby checks every stretch of the chain between two
 * witnessings, not only the newest head.
 */
export async function witnessHead(
  db: Queryable,
  client: DisclosureLogClient,
  subgraph: LoggingSubgraph,
): Promise<WitnessAlarm | undefined> {
  const latest = await latestWitnessedHead(db, subgraph);
  const head = await client.head(subgraph, latest?.sequence);
  let alarm: Omit<WitnessAlarm, 'detectedAt'> | undefined;
  if (latest && head.sequence < latest.sequence) {
    alarm = {
      kind: 'TRUNCATED',
      sequence: head.sequence + 1,
      message: `records after ${head.sequence} were cut off: the consent registry saw record ${latest.sequence} with hash ${latest.hash} at ${latest.seenAt.toISOString()}`,
    };
  } else if (
    latest &&
    head.checked &&
    head.checked.hash === null &&
    (head.firstSequence === null || head.firstSequence <= latest.sequence)
  ) {
    alarm = {
      kind: 'REMOVED',
      sequence: latest.sequence,
      message: `record ${latest.sequence}, witnessed at ${latest.seenAt.toISOString()}, was removed`,
    };
  } else if (latest && head.checked?.hash && head.checked.hash !== latest.hash) {
    alarm = {
      kind: 'ALTERED',
      sequence: latest.sequence,
      message: `record ${latest.sequence} no longer has the hash ${latest.hash} witnessed at ${latest.seenAt.toISOString()}: the chain was rewritten from there`,
    };
  }
  if (alarm) {
    await db.query(
      `INSERT INTO witness_alarm (subgraph, kind, sequence, message, detected_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (subgraph, kind, sequence) DO NOTHING`,
      [subgraph, alarm.kind, alarm.sequence, alarm.message],
    );
  }
  // After a cut the witnessed head stays the newest; after a rewrite the rewritten head is witnessed, so that
  // what happens from now on is checked against it, while the alarm stays.
  if (head.sequence > (latest?.sequence ?? 0)) {
    await db.query(
      'INSERT INTO witnessed_head (subgraph, sequence, hash, seen_at) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING',
      [subgraph, head.sequence, head.hash],
    );
  }
  return alarm && { ...alarm, detectedAt: new Date() };
}

/** Witnesses every data subgraph's head; a subgraph that does not answer is reported and skipped. */
export async function witnessHeads(
  db: Queryable,
  client: DisclosureLogClient,
  warn: (message: string) => void,
): Promise<void> {
  await Promise.all(
    LOGGING_SUBGRAPHS.map(async (subgraph) => {
      try {
        const alarm = await witnessHead(db, client, subgraph);
        if (alarm) warn(`ALARM ${subgraph}'s disclosure log: ${alarm.message}`);
      } catch (error) {
        warn(`head of ${subgraph}'s disclosure log not witnessed: ${(error as Error).message}`);
      }
    }),
  );
}

/** Witnesses heads every `intervalMs` until stopped. */
export function startHeadWitness(
  db: Queryable,
  client: DisclosureLogClient,
  intervalMs: number,
  warn: (message: string) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void witnessHeads(db, client, warn).finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
