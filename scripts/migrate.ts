/** `npm run migrate [-- --revert <subgraph>]`: provisions every subgraph's database and runs migrations. */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { revertSubgraphMigration } from '../common/subgraph/runtime.js';
import { prepareDatabases } from './databases.js';

const { values } = parseArgs({ options: { revert: { type: 'string' } } });
if (values.revert && !(SUBGRAPHS as readonly string[]).includes(values.revert)) {
  console.error(`--revert takes a subgraph name: ${SUBGRAPHS.join(', ')}`);
  process.exit(64);
}
const config = loadConfigOrExit();
const { server, databases, definitions } = await prepareDatabases(config, console.log);
try {
  if (values.revert) {
    const name = values.revert as SubgraphName;
    await revertSubgraphMigration(definitions[name], databases[name]);
    console.log(`${name}: reverted the latest migration`);
  } else {
    console.log('All subgraph databases are migrated.');
  }
} finally {
  await server.stop();
}
