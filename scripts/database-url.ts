/**
 * `tsx scripts/database-url.ts <subgraph> [--host <host:port>]` (in the image: `verbund database-url …`): prints
 * `<NAME>_DATABASE_URL=…`, the subgraph's connection as its own role, whose password provisioning derives from
 * the administrator's (`DATABASE_URL`). A deployment puts it into the subgraph's Secret; nothing connects.
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { roleName, rolePassword, withDatabase } from '../common/db/provision.js';

const usage = `Usage: database-url <${SUBGRAPHS.join('|')}> [--host <host:port as the subgraph reaches its server>]`;
const { values, positionals } = parseArgs({ options: { host: { type: 'string' } }, allowPositionals: true });
const name = positionals[0] as SubgraphName;
if (!SUBGRAPHS.includes(name)) {
  console.error(usage);
  process.exit(64);
}
const config = loadConfigOrExit();
if (!config.databaseUrl) {
  console.error(
    `Configuration error: DATABASE_URL (the administrative connection the role's password derives from) is not set.\n${usage}`,
  );
  process.exit(78);
}
const role = roleName(name);
const url = new URL(
  withDatabase(config.databaseUrl, `verbund_${name}`, { name: role, password: rolePassword(config.databaseUrl, role) }),
);
if (values.host) url.host = values.host;
console.log(`${name.toUpperCase()}_DATABASE_URL=${url.toString()}`);
