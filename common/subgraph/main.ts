import 'reflect-metadata';
import { createHttpConsentLookup } from '../access/consent-lookup.js';
import { createHttpConsentedPersonsLookup } from '../access/consented-persons-lookup.js';
import { createHttpHousingMatchLookup } from '../access/housing-lookup.js';
import { createHttpRegistryLookup } from '../access/registry-lookup.js';
import { startHeadWitness } from '../audit/head-witness.js';
import { DisclosureLogClient } from '../audit/log-client.js';
import { developmentKeyOrExit } from '../auth/dev-key.js';
import { createTokenVerifier } from '../auth/token.js';
import { loadConfigOrExit } from '../config.js';
import { SUBGRAPHS, type SubgraphName } from '../domain.js';
import { listen } from '../http.js';
import { loadShippedCatalogue } from '../policy/statutes.js';
import { loadSubgraphDefinition } from '../../subgraphs/index.js';
import { openSubgraphDatabase } from './runtime.js';
import { buildSubgraph } from './server.js';

/**
 * Runs one subgraph as its own process: `tsx common/subgraph/main.ts <name>`, or compiled (`npm run build`)
 * `node dist/common/subgraph/main.js <name>`; with `NODE_ENV=production` it needs `JWKS_URL` (development
 * tokens only with `--development-tokens`, for the benchmark). It connects as its own database role, listens on its port and
 * stops cleanly on SIGTERM or SIGINT.
 */
const name = process.argv[2] as SubgraphName;
if (!SUBGRAPHS.includes(name)) {
  console.error(`Usage: main.ts <${SUBGRAPHS.join('|')}> [--development-tokens]`);
  process.exit(64);
}
const config = loadConfigOrExit();
const databaseUrl = config.subgraphDatabaseUrls[name];
if (!databaseUrl) {
  console.error(`Configuration error: ${name.toUpperCase()}_DATABASE_URL is not set; the ${name} subgraph needs its database.`);
  process.exit(78);
}
// The benchmark runs the real subgraphs in production mode with development tokens, and says so.
const devKey = await developmentKeyOrExit(config, { allowInProduction: process.argv.includes('--development-tokens') });
const definition = await loadSubgraphDefinition(name);
// The consent registry reads the data subgraphs' disclosure logs for consent officers and witnesses their heads.
const logClient = name === 'consent' ? new DisclosureLogClient(() => config.subgraphUrls, config.timeouts.audit) : undefined;
const db = await openSubgraphDatabase(definition as never, databaseUrl, { poolSize: config.dbPoolSize });
const built = await buildSubgraph(definition, {
  db,
  verifier: createTokenVerifier({
    jwksUrl: config.jwksUrl,
    issuer: config.jwtIssuer,
    devKey,
    agencies: config.agencies,
  }),
  consentLookup: createHttpConsentLookup(config.consentUrl, config.timeouts.consent),
  registryLookup: createHttpRegistryLookup(config.subgraphUrls.county, config.timeouts.consent),
  housingMatchLookup: name === 'county' ? createHttpHousingMatchLookup(config.subgraphUrls.municipality, config.timeouts.consent) : undefined,
  consentedPersonsLookup: name === 'county' ? createHttpConsentedPersonsLookup(config.consentUrl, config.timeouts.consent) : undefined,
  catalogue: loadShippedCatalogue(),
  development: config.environment === 'development',
  logClient,
  retentionDays: config.retentionDays,
  suppressionThreshold: config.suppressionThreshold,
});
const port = new URL(config.subgraphUrls[name]).port;
const listening = await listen(built.handler, Number(port));
process.send?.({ ready: name, url: listening.url });
const stopWitness = logClient
  ? startHeadWitness(db, logClient, config.logHeadIntervalSeconds * 1000, (message) => console.warn(`[consent] ${message}`))
  : undefined;

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  stopWitness?.();
  await listening.close();
  await built.stop();
  await db.destroy();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// Started by `npm start`: stop with the launcher, never linger as an orphan.
process.on('disconnect', () => void stop());
