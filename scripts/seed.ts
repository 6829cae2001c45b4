/** `npm run seed -- --persons 50000 [--seed 1]`: adds demo persons to every subgraph, in batches. */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../common/config.js';
import { SUBGRAPHS } from '../common/domain.js';
import { openSubgraphDatabase } from '../common/subgraph/runtime.js';
import { progressBar, seedDemo, type SeedTargets } from '../seed/seed-demo.js';
import { prepareDatabases } from './databases.js';

function positive(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`--${name} must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
    process.exit(64);
  }
  return value;
}

const { values } = parseArgs({
  options: { persons: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' } },
});
const persons = positive('persons', values.persons, 300, 1_000_000);
const seed = positive('seed', values.seed, 1, 2 ** 31);
const batchSize = positive('batch', values.batch, 1000, 10_000);
const config = loadConfigOrExit();
const { server, databases, definitions } = await prepareDatabases(config, console.log);
const targets: SeedTargets = {};
try {
  for (const name of SUBGRAPHS) {
    targets[name] = {
      definition: definitions[name],
      db: await openSubgraphDatabase(definitions[name], databases[name].roleUrl),
    };
  }
  const rows = await targets.county!.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM person');
  const from = rows[0].n;
  console.log(`Seeding persons ${from}..${from + persons - 1} of the demo district (seed ${seed})`);
  await seedDemo(targets, { seed, from, to: from + persons, batchSize, onProgress: progressBar('persons') });
} finally {
  for (const target of Object.values(targets)) await target.db.destroy();
  await server.stop();
}
