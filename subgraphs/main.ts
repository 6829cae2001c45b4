import 'reflect-metadata';
import { createHttpConsentLookup } from '../common/access/consent-lookup.js';
import { createGrantKeyLookup } from '../common/audit/proofs/signed-grants.js';
import { createHttpConsentedPersonsLookup } from '../common/access/consented-persons-lookup.js';
import { createHttpHousingMatchLookup } from '../common/access/housing-lookup.js';
import { createHttpRegistryLookup } from '../common/access/registry-lookup.js';
import { startCheckpointWitness } from '../common/audit/witness/checkpoint-witness.js';
import { startHeadWitness } from '../common/audit/witness/head-witness.js';
import { DisclosureLogClient } from '../common/audit/witness/log-client.js';
import { keyRingOrExit } from '../common/audit/log/log-keys.js';
import {
  OFFICER_LOG_WITNESS,
  pinnedLogKeysOrExit,
  pinnedWitnessKeysOrExit,
  registryLogKeysOrExit,
} from '../common/audit/proofs/key-set.js';
import { httpWitnessTransport } from '../common/audit/witness/officer-log-witness.js';
import { developmentKeyOrExit } from '../common/auth/dev-key.js';
import { createTokenVerifier } from '../common/auth/token.js';
import { loadConfigOrExit, metricsAccess } from '../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { listen } from '../common/http.js';
import { configureLogging, partLogger } from '../common/log.js';
import { startTracing } from '../common/tracing-sdk.js';
import { tlsOrExit, useClientCertificate } from '../common/tls.js';
import { loadShippedCatalogue } from '../common/policy/statutes.js';
import { stopOnSignals } from '../common/shutdown.js';
import { loadSubgraphDefinition } from './index.js';
import { openSubgraphDatabase } from '../common/subgraph/runtime.js';
import { buildSubgraph } from '../common/subgraph/server.js';

/**
 * Runs one subgraph as its own process: `tsx subgraphs/main.ts <name>`, or compiled (`npm run build`)
 * `node dist/subgraphs/main.js <name>`; with `NODE_ENV=production` it needs `JWKS_URL` (development
 * tokens only with `--development-tokens`, for the benchmark). It connects as its own database role, listens on its port and
 * stops cleanly on SIGTERM or SIGINT.
 */
const name = process.argv[2] as SubgraphName;
if (!SUBGRAPHS.includes(name)) {
  console.error(`Usage: main.ts <${SUBGRAPHS.join('|')}> [--development-tokens]`);
  process.exit(64);
}
const config = loadConfigOrExit();
configureLogging({ level: config.logLevel });
const log = partLogger(name);
// Before anything is built: the parts made below instrument themselves only when tracing is on.
const tracing = config.otlpEndpoint
  ? startTracing({ service: `verbund-${name}`, endpoint: config.otlpEndpoint })
  : undefined;
const tls = config.tls ? tlsOrExit(config.tls) : undefined;
// Its calls to the registry, the county's register and (the registry) the data subgraphs' logs carry its certificate.
useClientCertificate(tls);
const databaseUrl = config.subgraphDatabaseUrls[name];
if (!databaseUrl) {
  console.error(
    `Configuration error: ${name.toUpperCase()}_DATABASE_URL is not set; the ${name} subgraph needs its database.`,
  );
  process.exit(78);
}
// The benchmark runs the real subgraphs in production mode with development tokens, and says so.
const devKey = await developmentKeyOrExit(config, { allowInProduction: process.argv.includes('--development-tokens') });
const definition = await loadSubgraphDefinition(name);
// The consent registry reads the data subgraphs' disclosure logs for consent officers and witnesses their heads.
const logClient =
  name === 'consent' ? new DisclosureLogClient(() => config.subgraphUrls, config.timeouts.audit) : undefined;
// The disclosure log's signing key (data subgraphs) and the witness key (the consent registry): from files, never the database.
const developmentTokens = process.argv.includes('--development-tokens');
// The consent registry signs checkpoints of its own log of officers' reads with its own log key (CONSENT_LOG_KEY_FILE).
const logKeys =
  definition.disclosureLog || definition.officerAuditLog
    ? await keyRingOrExit(config, `${name.toUpperCase()}_LOG_KEY_FILE`, config.logKeyFiles[name], name, {
        allowDevelopmentKey: developmentTokens,
      })
    : undefined;
const witnessKeys =
  name === 'consent'
    ? await keyRingOrExit(config, 'WITNESS_KEY_FILE', config.witnessKeyFile, 'witness-consent', {
        allowDevelopmentKey: developmentTokens,
      })
    : undefined;
// The consent registry signs the statements the gateway passes on with its grant key (CONSENT_GRANT_KEY_FILE).
const grantKeys =
  name === 'consent'
    ? await keyRingOrExit(config, 'CONSENT_GRANT_KEY_FILE', config.grantKeyFile, 'grants-consent', {
        allowDevelopmentKey: developmentTokens,
      })
    : undefined;
// The registry's witness trusts only the data subgraphs' keys it was configured with (and keys they announce).
const pinnedLogKeys =
  name === 'consent' ? await pinnedLogKeysOrExit(config, { allowDevelopmentKey: developmentTokens }) : undefined;
// Other parties' witnesses whose cosignatures of the registry's officers' log it keeps and publishes.
const pinnedWitnesses =
  name === 'consent' ? await pinnedWitnessKeysOrExit(config, { allowDevelopmentKey: developmentTokens }) : undefined;
// The jobcenter's process witnesses the registry's officers' log: its own witness key, the registry's log keys pinned.
const officerLogWitness =
  name === OFFICER_LOG_WITNESS
    ? {
        keys: await keyRingOrExit(
          config,
          'JOBCENTER_WITNESS_KEY_FILE',
          config.officerLogWitnessKeyFile,
          `witness-${name}`,
          { allowDevelopmentKey: developmentTokens },
        ),
        pinned: await registryLogKeysOrExit(config, { allowDevelopmentKey: developmentTokens }),
        registryUrl: () => config.consentUrl,
        transport: httpWitnessTransport(config.timeouts.audit),
      }
    : undefined;
const db = await openSubgraphDatabase(definition, databaseUrl, { poolSize: config.dbPoolSize });
const built = await buildSubgraph(definition, {
  db,
  verifier: createTokenVerifier({
    jwksUrl: config.jwksUrl,
    issuer: config.jwtIssuer,
    devKey,
    agencies: config.agencies,
  }),
  consentLookup: createHttpConsentLookup(config.consentUrl, config.timeouts.consent),
  grantKeys,
  grantKeyLookup: name === 'consent' ? undefined : createGrantKeyLookup(config.consentUrl, config.timeouts.consent),
  registryLookup: createHttpRegistryLookup(config.subgraphUrls.county, config.timeouts.consent),
  housingMatchLookup:
    name === 'county'
      ? createHttpHousingMatchLookup(config.subgraphUrls.municipality, config.timeouts.consent)
      : undefined,
  consentedPersonsLookup:
    name === 'county' ? createHttpConsentedPersonsLookup(config.consentUrl, config.timeouts.consent) : undefined,
  catalogue: loadShippedCatalogue(),
  timeZone: config.districtTimeZone,
  notices: config.notices,
  agencies: config.agencies,
  development: config.environment === 'development',
  logClient,
  retentionDays: config.retentionDays,
  suppressionThreshold: config.suppressionThreshold,
  logKeys,
  witnessKeys,
  pinnedLogKeys,
  pinnedWitnessKeys: pinnedWitnesses,
  officerLogWitness,
  verifyFullCycleDays: config.verifyFullCycleDays,
  metrics: { access: metricsAccess(config), processMetrics: true },
});
const port = new URL(config.subgraphUrls[name]).port;
const listening = await listen(built.handler, Number(port), config.subgraphHost, tls);
process.send?.({ ready: name, url: listening.url });
log.info(`ready at ${listening.url} (${config.environment})`);
const stopWitness = logClient
  ? startHeadWitness(db, logClient, config.logHeadIntervalSeconds * 1000, (message) => log.warn(message))
  : undefined;
const stopCheckpoints = built.checkpointer?.start(config.checkpointIntervalSeconds * 1000, built.log);
const stopOfficerLogWitness = built.officerLogWitness?.start(config.checkpointIntervalSeconds * 1000, (message) =>
  log.warn(message),
);
const stopCheckpointWitness =
  logClient && witnessKeys && pinnedLogKeys
    ? startCheckpointWitness(
        db,
        logClient,
        witnessKeys,
        pinnedLogKeys,
        config.checkpointIntervalSeconds * 1000,
        (message) => log.warn(message),
      )
    : undefined;

// Started by `npm start`: stop with the launcher, never linger as an orphan. The pool closes only after the
// requests in flight have finished (they write disclosure records through it).
stopOnSignals(
  name,
  listening,
  config.shutdownGraceSeconds * 1000,
  [
    [
      'the witnesses and the checkpointer',
      () => {
        stopWitness?.();
        stopCheckpoints?.();
        stopCheckpointWitness?.();
        stopOfficerLogWitness?.();
      },
    ],
    ['the Apollo server', () => built.stop()],
    ['the database pool', () => db.destroy()],
    ['tracing', () => tracing?.stop()],
  ],
  { whenLauncherLeaves: true },
);
