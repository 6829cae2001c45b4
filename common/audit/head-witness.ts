import type { DataSource } from 'typeorm';
import type { Queryable, WitnessedHead } from './disclosure-log.js';
import { LOGGING_SUBGRAPHS, type DisclosureLogClient, type LoggingSubgraph } from './log-client.js';

/** The newest head the consent registry has seen of one subgraph's chain. */
export async function latestWitnessedHead(db: Queryable, subgraph: LoggingSubgraph): Promise<WitnessedHead | undefined> {
  const [row] = (await db.query(
    'SELECT sequence, hash, seen_at FROM witnessed_head WHERE subgraph = $1 ORDER BY sequence DESC LIMIT 1',
    [subgraph],
  )) as { sequence: string; hash: string; seen_at: Date }[];
  return row && { sequence: Number(row.sequence), hash: row.hash, seenAt: row.seen_at };
}

/**
 * Asks every data subgraph for its chain's head and keeps the new ones in the consent registry's own
 * database. A head that went backwards is kept out and reported: records were cut off the end of that log.
 */
export async function witnessHeads(
  db: Queryable,
  client: DisclosureLogClient,
  warn: (message: string) => void,
): Promise<void> {
  await Promise.all(
    LOGGING_SUBGRAPHS.map(async (subgraph) => {
      let head;
      try {
        head = await client.head(subgraph);
      } catch (error) {
        warn(`head of ${subgraph}'s disclosure log not witnessed: ${(error as Error).message}`);
        return;
      }
      const latest = await latestWitnessedHead(db, subgraph);
      if (latest && head.sequence < latest.sequence) {
        warn(`${subgraph}'s disclosure log ends at record ${head.sequence}, but record ${latest.sequence} was witnessed: records were cut off`);
        return;
      }
      if (head.sequence === 0 || head.sequence === latest?.sequence) return;
      await db.query(
        'INSERT INTO witnessed_head (subgraph, sequence, hash, seen_at) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING',
        [subgraph, head.sequence, head.hash],
      );
    }),
  );
}

/** Witnesses heads every `intervalMs` until stopped. */
export function startHeadWitness(db: DataSource, client: DisclosureLogClient, intervalMs: number, warn: (message: string) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    witnessHeads(db, client, warn)
      .catch((error: unknown) => warn(`witnessing heads failed: ${(error as Error).message}`))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
