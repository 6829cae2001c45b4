import type { DataSource } from 'typeorm';
import type { SubgraphName } from '../common/domain.js';
import type { SubgraphDefinition } from '../common/subgraph/definition.js';
import { demoPersons } from './world.js';

/** The subgraphs to seed: each with its definition and an open connection to its database. */
export type SeedTargets = Partial<Record<SubgraphName, { definition: SubgraphDefinition; db: DataSource }>>;

/**
 * Writes demo persons with indexes [from, to) to every target, in batches so that a large data set never
 * sits in memory; each subgraph's batch is one transaction.
 */
export async function seedDemo(
  targets: SeedTargets,
  options: {
    seed: number;
    from: number;
    to: number;
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<void> {
  const batchSize = options.batchSize ?? 1000;
  for (const target of Object.values(targets)) await target.definition.seed.reference?.(target.db);
  for (let start = options.from; start < options.to; start += batchSize) {
    const batch = demoPersons(options.seed, start, Math.min(options.to, start + batchSize));
    for (const target of Object.values(targets)) await target.definition.seed.persons(target.db, batch, options.seed);
    options.onProgress?.(Math.min(options.to, start + batchSize) - options.from, options.to - options.from);
  }
}

/** A one-line progress bar on stderr. */
export function progressBar(label: string): (done: number, total: number) => void {
  const started = Date.now();
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const rate = Math.round(done / ((Date.now() - started) / 1000 || 1));
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${rate}/s)`,
    );
    if (done >= total) process.stderr.write('\n');
  };
}
