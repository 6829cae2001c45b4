/**
 * The gateway as its own process, for `npm run bench`: `tsx bench/gateway.main.ts hub|baseline`. `hub` is
 * Verbund's gateway exactly as `npm start` builds it (authentication included); `baseline` is the same
 * Apollo gateway configuration with nothing in front of it, for the bare federation baseline. Both listen
 * on `PORT` and find the subgraphs where the configuration says.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadOrCreateDevKey } from '../common/auth/dev-key.js';
import { createTokenVerifier } from '../common/auth/token.js';
import { loadConfigOrExit } from '../common/config.js';
import { createGraphQLHandler, listen } from '../common/http.js';
import { partRoutes, route, serveRoutes } from '../common/routes.js';
import { createStatementFetcher } from '../gateway/consent-statements.js';
import { buildGateway, startGatewayServer } from '../gateway/gateway.js';
import { stopOnSignals } from '../common/shutdown.js';

const mode = process.argv[2];
if (mode !== 'hub' && mode !== 'baseline') {
  console.error('Usage: gateway.main.ts hub|baseline');
  process.exit(64);
}
const config = loadConfigOrExit();
const options = {
  supergraphSdl: await readFile(path.resolve(import.meta.dirname, '../schema/supergraph.graphql'), 'utf8'),
  subgraphUrls: config.subgraphUrls,
  subgraphTimeoutMs: config.timeouts.subgraph,
  development: config.environment === 'development',
};
let built: { handler: Parameters<typeof listen>[0]; stop(): Promise<void> };
if (mode === 'hub') {
  built = await buildGateway({
    ...options,
    consentStatements: createStatementFetcher(config.consentUrl, config.timeouts.consent),
    verifier: createTokenVerifier({
      jwksUrl: config.jwksUrl,
      issuer: config.jwtIssuer,
      devKey: config.jwksUrl ? undefined : await loadOrCreateDevKey(config.dataDir),
      agencies: config.agencies,
    }),
  });
} else {
  const server = await startGatewayServer(options);
  const graphql = createGraphQLHandler({ server, context: async () => ({}) });
  built = { handler: serveRoutes([...partRoutes({}), route('/graphql', graphql)]), stop: () => server.stop() };
}
const listening = await listen(built.handler, config.port);
process.send?.({ ready: `${mode} gateway`, url: listening.url });

// The benchmark's processes stop at once (no grace): nothing is in flight when the benchmark ends.
stopOnSignals('gateway', listening, 0, [['the Apollo server', () => built.stop()]], { whenLauncherLeaves: true });
