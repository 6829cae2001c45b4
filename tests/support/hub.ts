import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHttpConsentLookup } from '../../common/access/consent-lookup.js';
import { createHttpConsentedPersonsLookup } from '../../common/access/consented-persons-lookup.js';
import { createHttpHousingMatchLookup } from '../../common/access/housing-lookup.js';
import { createHttpRegistryLookup } from '../../common/access/registry-lookup.js';
import { ephemeralKeyRing, publishKeys, type LogKeyRing } from '../../common/audit/log/log-keys.js';
import { DisclosureLogClient } from '../../common/audit/witness/log-client.js';
import { httpWitnessTransport, OFFICER_LOG_WITNESS } from '../../common/audit/witness/officer-log-witness.js';
import type { CallTimeouts } from '../../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { listen, type Listening } from '../../common/http.js';
import type { TokenVerifier } from '../../common/auth/token.js';
import { createGrantKeyLookup } from '../../common/audit/proofs/signed-grants.js';
import { createStatementFetcher } from '../../gateway/consent-statements.js';
import { buildGateway, type BuiltGateway, type GatewayOptions } from '../../gateway/gateway.js';
import { seedDemo } from '../../seed/seed-demo.js';
import type { DemoPerson } from '../../seed/world.js';
import { loadSubgraphDefinition } from '../../subgraphs/index.js';
import { startSubgraph, type RunningSubgraph } from './subgraph.js';
import { testVerifier } from './tokens.js';

/** All five subgraphs and the gateway, on free ports, over fresh seeded databases. */
export interface RunningHub {
  gatewayUrl: string;
  /** The consent registry's reader of the data subgraphs' logs, to witness heads in tests. */
  logClient: DisclosureLogClient;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  /** Stops one subgraph, to test partial failure; with `keepDatabase` it can be started again. */
  stopSubgraph(name: SubgraphName, options?: { keepDatabase?: boolean }): Promise<void>;
  /** Starts a stopped subgraph again on its database, port and keys, as a restarted process. */
  startSubgraphAgain(name: SubgraphName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the whole hub in this process, speaking HTTP between the parts as in production: subgraphs look
 * consents up over HTTP, and the gateway loads the committed `schema/supergraph.graphql`.
 */
export async function startHub(options: {
  persons: DemoPerson[];
  seed: number;
  unseeded?: SubgraphName[];
  /** Deadlines of the calls between parts, as `SUBGRAPH_TIMEOUT_MS` etc. configure them; defaults otherwise. */
  timeouts?: Partial<CallTimeouts>;
  /** How the gateway and every subgraph verify tokens, e.g. through an identity provider's JWKS. @default the test development key */
  verifier?: TokenVerifier;
  /** Serves the consent officers' console beside the graph. */
  console?: GatewayOptions['console'];
  /** The data subgraphs' log keys, e.g. from files an operator's script also reads. @default fresh keys in memory */
  logKeys?: Partial<Record<SubgraphName, LogKeyRing>>;
  /** The gateway's trusted documents (`loadTrustedDocuments`). @default none: every document runs */
  trustedDocuments?: GatewayOptions['trustedDocuments'];
  /** The consent registry's grant key, e.g. for a test that signs statements as the registry would. @default a fresh key */
  grantKeys?: LogKeyRing;
  /**
   * Whether the gateway passes the registry's signed consent statements to the subgraphs, as `npm start` and a
   * deployment do. @default true; false: every data subgraph asks the registry itself
   */
  signedGrants?: boolean;
  /**
   * Where the gateway and the data subgraphs reach the consent registry for consents, given its own address
   * (e.g. a test's proxy in front of it that can stop answering). @default the registry's own address
   */
  registryUrl?: (url: string) => string;
}): Promise<RunningHub> {
  const verifier = options.verifier ?? (await testVerifier());
  const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
  // The registry reads the data subgraphs' logs; their addresses are known once they listen.
  const logSources: Partial<Record<SubgraphName, string>> = {};
  const logClient = new DisclosureLogClient(() => logSources, options.timeouts?.audit);
  // Every partner asks the county's register before a write; the county's address is known once it listens.
  const registryLookup = createHttpRegistryLookup(() => subgraphs.county.url);
  // Each data subgraph's log key, made before the registry starts, so that its witness pins them (no trust on first sight).
  const logKeys = Object.fromEntries(
    SUBGRAPHS.filter((n) => n !== 'consent').map((n) => [n, options.logKeys?.[n] ?? ephemeralKeyRing()]),
  ) as Record<SubgraphName, LogKeyRing>;
  const pinnedLogKeys = Object.fromEntries(
    Object.entries(logKeys).map(([n, ring]) => [`verbund:${n}`, publishKeys(ring)]),
  );
  // The registry's own log key, pinned by the jobcenter's witness of it; the jobcenter's witness key, pinned by the registry.
  const registryLogKeys = ephemeralKeyRing();
  const officerLogWitnessKeys = ephemeralKeyRing();
  const consent = await startSubgraph(await loadSubgraphDefinition('consent'), {
    logClient,
    registryLookup,
    verifier,
    pinnedLogKeys,
    logKeys: registryLogKeys,
    grantKeys: options.grantKeys,
    pinnedWitnessKeys: {
      [OFFICER_LOG_WITNESS]: publishKeys(officerLogWitnessKeys, { role: 'witness', witness: OFFICER_LOG_WITNESS }),
    },
  });
  subgraphs.consent = consent;
  const registryUrl = options.registryUrl?.(consent.url) ?? consent.url;
  const consentLookup = createHttpConsentLookup(registryUrl, options.timeouts?.consent);
  const signedGrants = options.signedGrants ?? true;
  const grantKeyLookup = signedGrants ? createGrantKeyLookup(registryUrl, options.timeouts?.consent) : undefined;
  const startDataSubgraph = async (name: SubgraphName, again?: RunningSubgraph) => {
    // The county's candidate search asks the municipalities, whose address is known once they listen.
    const housingMatchLookup =
      name === 'county' ? createHttpHousingMatchLookup(() => subgraphs.municipality.url) : undefined;
    const consentedPersonsLookup = name === 'county' ? createHttpConsentedPersonsLookup(consent.url) : undefined;
    subgraphs[name] = await startSubgraph(await loadSubgraphDefinition(name), {
      consentLookup,
      grantKeyLookup,
      registryLookup,
      housingMatchLookup,
      consentedPersonsLookup,
      verifier,
      logKeys: logKeys[name],
      officerLogWitness:
        name === OFFICER_LOG_WITNESS
          ? {
              keys: officerLogWitnessKeys,
              pinned: publishKeys(registryLogKeys),
              registryUrl: () => consent.url,
              transport: httpWitnessTransport(5_000),
            }
          : undefined,
      database: again?.database,
      port: again?.port,
    });
    logSources[name] = subgraphs[name].url;
  };
  for (const name of SUBGRAPHS.filter((n) => n !== 'consent')) await startDataSubgraph(name);
  const targets = Object.fromEntries(
    await Promise.all(
      SUBGRAPHS.filter((n) => !options.unseeded?.includes(n)).map(async (name) => [
        name,
        { definition: await loadSubgraphDefinition(name), db: subgraphs[name].db },
      ]),
    ),
  );
  await seedDemo(targets, { seed: options.seed, from: 0, to: options.persons.length });
  const supergraphSdl = await readFile(path.resolve(import.meta.dirname, '../../schema/supergraph.graphql'), 'utf8');
  const gateway: BuiltGateway = await buildGateway({
    supergraphSdl,
    subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, subgraphs[n].url])) as Record<SubgraphName, string>,
    subgraphTimeoutMs: options.timeouts?.subgraph,
    consentStatements: signedGrants ? createStatementFetcher(registryUrl, options.timeouts?.consent) : undefined,
    verifier,
    development: false,
    console: options.console,
    trustedDocuments: options.trustedDocuments,
  });
  const listening: Listening = await listen(gateway.handler, 0);
  const stopped = new Set<SubgraphName>();
  const stopSubgraph = async (name: SubgraphName, stopping?: { keepDatabase?: boolean }) => {
    if (stopped.has(name)) return;
    stopped.add(name);
    await subgraphs[name].stop(stopping);
  };
  const startSubgraphAgain = async (name: SubgraphName) => {
    if (name === 'consent' || !stopped.has(name)) throw new Error(`${name} is not a stopped data subgraph`);
    await startDataSubgraph(name, subgraphs[name]);
    stopped.delete(name);
  };
  return {
    gatewayUrl: listening.url,
    logClient,
    subgraphs,
    stopSubgraph,
    startSubgraphAgain,
    stop: async () => {
      await listening.close();
      await gateway.stop();
      for (const name of SUBGRAPHS) await stopSubgraph(name);
      // A subgraph stopped with its database kept still has it.
      await Promise.all(SUBGRAPHS.map((name) => subgraphs[name].database.drop()));
    },
  };
}
