import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { developmentKeyOrExit } from '../common/auth/dev-key.js';
import { createTokenVerifier } from '../common/auth/token.js';
import { loadConfigOrExit, metricsAccess } from '../common/config.js';
import { listen } from '../common/http.js';
import { configureLogging, partLogger } from '../common/log.js';
import { startTracing } from '../common/tracing-sdk.js';
import { tlsOrExit, useClientCertificate } from '../common/tls.js';
import { CONSOLE_DIST } from './console-route.js';
import { EXPLORER_DIST, explorerSetup } from './explorer-route.js';
import { createStatementFetcher } from './consent-statements.js';
import { buildGateway } from './gateway.js';
import { loadTrustedDocuments, TRUSTED_DOCUMENTS_DIR } from './trusted-documents.js';
import { stopOnSignals } from '../common/shutdown.js';

/**
 * Runs the gateway alone, from the configuration, as a deployment does: `tsx gateway/main.ts`, or compiled
 * (`npm run build`) `node dist/gateway/main.js`. It loads the committed supergraph, finds the subgraphs at
 * `<NAME>_URL`, serves the console when it is built, listens on `PORT` and stops cleanly on SIGTERM or SIGINT.
 */
const config = loadConfigOrExit();
configureLogging({ level: config.logLevel });
const log = partLogger('gateway');
// Before anything is built: the parts made below instrument themselves only when tracing is on.
const tracing = config.otlpEndpoint
  ? startTracing({ service: 'verbund-gateway', endpoint: config.otlpEndpoint })
  : undefined;
const devKey = await developmentKeyOrExit(config);
// With mTLS the gateway presents its certificate to the subgraphs; partners reach it over plain HTTP(S) with their JWT.
useClientCertificate(config.tls ? tlsOrExit(config.tls) : undefined);

/** The project's root: the nearest folder above this file with a package.json (the same from `gateway/` and `dist/gateway/`). */
function projectRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

const root = projectRoot(import.meta.dirname);
const consoleDir = path.join(root, CONSOLE_DIST);
const explorer = await explorerSetup({
  enabled: config.explorer,
  development: config.environment === 'development',
  dir: path.join(root, EXPLORER_DIST),
  devKey,
  issuer: config.jwtIssuer,
  examplePersonId: config.explorerExamplePerson,
});
const supergraphSdl = await readFile(path.join(root, 'schema/supergraph.graphql'), 'utf8');
let trustedDocuments: Awaited<ReturnType<typeof loadTrustedDocuments>>;
try {
  trustedDocuments = await loadTrustedDocuments({
    dir: config.trustedDocumentsDir ?? path.join(root, TRUSTED_DOCUMENTS_DIR),
    enforce: config.trustedDocuments,
    supergraphSdl,
    agencies: config.agencies,
    warn: (message) => log.warn(message),
  });
} catch (error) {
  log.error((error as Error).message);
  process.exit(78); // EX_CONFIG
}
log.info(
  `trusted documents: ${trustedDocuments.registry.documents.length} registered; ${config.trustedDocuments ? 'only these run (TRUSTED_DOCUMENTS=on)' : 'any document runs (TRUSTED_DOCUMENTS=off)'}`,
);
const gateway = await buildGateway({
  supergraphSdl,
  trustedDocuments,
  subgraphUrls: config.subgraphUrls,
  subgraphTimeoutMs: config.timeouts.subgraph,
  consentStatements: createStatementFetcher(config.consentUrl, config.timeouts.consent),
  verifier: createTokenVerifier({
    jwksUrl: config.jwksUrl,
    issuer: config.jwtIssuer,
    devKey,
    agencies: config.agencies,
  }),
  development: config.environment === 'development',
  ...explorer,
  metrics: { access: metricsAccess(config), processMetrics: true },
  console: existsSync(path.join(consoleDir, 'index.html'))
    ? {
        dir: consoleDir,
        devSignIn:
          devKey && config.environment === 'development' ? { key: devKey, issuer: config.jwtIssuer } : undefined,
        oidc: config.oidc,
        retentionDays: config.retentionDays,
      }
    : undefined,
});
const listening = await listen(gateway.handler, config.port, '0.0.0.0');
// `npm start` runs this file as a child process and waits for this message, as it does for each subgraph.
process.send?.({ ready: 'gateway', url: `http://localhost:${listening.port}/graphql` });
log.info(`ready at http://localhost:${listening.port}/graphql (${config.environment})`);

stopOnSignals('gateway', listening, config.shutdownGraceSeconds * 1000, [
  ['the Apollo gateway', () => gateway.stop()],
  ['tracing', () => tracing?.stop()],
]);
