/**
 * `tsx scripts/migrate-subgraph.ts <subgraph>` (in the image: `verbund migrate-subgraph <subgraph>`): creates one
 * subgraph's database and role on the server at `DATABASE_URL` and runs its pending migrations. For a deployment
 * that gives each subgraph a PostgreSQL server of its own (`deploy/k8s/`), where `npm run migrate`, which
 * provisions all five on one server, does not fit.
 */
import 'reflect-metadata';
import { adminDatabaseUrlOrExit, loadConfigOrExit } from '../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { provisionDatabase } from '../common/db/provision.js';
import { migrateSubgraph } from '../common/subgraph/runtime.js';
import { loadSubgraphDefinition } from '../subgraphs/index.js';

const name = process.argv[2] as SubgraphName;
if (!SUBGRAPHS.includes(name)) {
  console.error(`Usage: migrate-subgraph <${SUBGRAPHS.join('|')}>`);
  process.exit(64);
}
const config = loadConfigOrExit();
const databaseUrl = adminDatabaseUrlOrExit(config, `the ${name} subgraph's server`);
const database = await provisionDatabase(databaseUrl, name);
const applied = await migrateSubgraph(await loadSubgraphDefinition(name), database);
console.log(`${name}: ${applied.length ? `applied migrations ${applied.join(', ')}` : 'no pending migrations'}`);
