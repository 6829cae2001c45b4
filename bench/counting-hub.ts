import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createHttpRegistryLookup } from '../common/access/registry-lookup.js';
import { createHttpConsentLookup, type ConsentLookup } from '../common/access/consent-lookup.js';
import type { TokenVerifier } from '../common/auth/token.js';
import { dropDatabase, provisionDatabase } from '../common/db/provision.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { listen, type Listening } from '../common/http.js';
import { loadShippedCatalogue } from '../common/policy/statutes.js';
import { migrateSubgraph, openSubgraphDatabase } from '../common/subgraph/runtime.js';
import { buildSubgraph, type BuiltSubgraph } from '../common/subgraph/server.js';
import { ephemeralKeyRing } from '../common/audit/log/log-keys.js';
import { createGrantKeyLookup } from '../common/audit/proofs/signed-grants.js';
import { createStatementFetcher } from '../gateway/consent-statements.js';
import { buildGateway } from '../gateway/gateway.js';
import { seedDemo, type SeedTargets } from '../seed/seed-demo.js';
import { loadSubgraphDefinition } from '../subgraphs/index.js';
import type { CountedHub } from './caseload.js';
import { RecordingCounter, type RecordedStatement } from './plans.js';

/** The in-process hub of the statement-count scenario: counting, growable, and gone when stopped. */
export interface CountingHub extends CountedHub {
  /** Seeds demo persons up to `persons` in all. */
  grow(persons: number): Promise<void>;
  /** Keeps every statement sent while `work` runs, labelled with `request`, for EXPLAIN. */
  record<T>(request: string, work: () => Promise<T>): Promise<T>;
  /** The statements kept by `record`. */
  recorded(): RecordedStatement[];
  stop(): Promise<void>;
}

/**
 * Starts all five subgraphs and the gateway in this process, over fresh databases named
 * `<prefix>_<subgraph>`, with a TypeORM logger counting each subgraph's statements, as the tests do.
 * Counts, unlike times, do not depend on where the parts run, so this part of the benchmark needs no
 * separate processes.
 */
export async function startCountingHub(options: {
  adminUrl: string;
  prefix: string;
  seed: number;
  verifier: TokenVerifier;
}): Promise<CountingHub> {
  const counters = {} as Record<SubgraphName, RecordingCounter>;
  const pools: DataSource[] = [];
  const servers: { built: BuiltSubgraph; listening: Listening }[] = [];
  const targets: SeedTargets = {};
  const urls = {} as Record<SubgraphName, string>;
  let consentLookup: ConsentLookup = async () => [];
  // The registry first: the other subgraphs need its URL.
  for (const name of ['consent', ...SUBGRAPHS.filter((n) => n !== 'consent')] as SubgraphName[]) {
    const definition = await loadSubgraphDefinition(name);
    const database = `${options.prefix}_${name}`;
    await dropDatabase(options.adminUrl, database);
    const provisioned = await provisionDatabase(options.adminUrl, name, database);
    await migrateSubgraph(definition, provisioned);
    counters[name] = new RecordingCounter();
    const db = await openSubgraphDatabase(definition, provisioned.roleUrl, { counter: counters[name] });
    pools.push(db);
    targets[name] = { definition, db };
    const built = await buildSubgraph(definition, {
      db,
      verifier: options.verifier,
      consentLookup,
      registryLookup: createHttpRegistryLookup(() => urls.county),
      catalogue: loadShippedCatalogue(),
      development: false,
      logKeys: ephemeralKeyRing(),
      witnessKeys: ephemeralKeyRing(),
      // As deployed: the registry signs the gateway's lookups, the data subgraphs use what verifies.
      grantKeys: name === 'consent' ? ephemeralKeyRing() : undefined,
      grantKeyLookup: name === 'consent' ? undefined : createGrantKeyLookup(urls.consent),
    });
    const listening = await listen(built.handler, 0);
    servers.push({ built, listening });
    urls[name] = listening.url;
    if (name === 'consent') consentLookup = createHttpConsentLookup(listening.url);
  }
  const gateway = await buildGateway({
    supergraphSdl: await readFile(path.resolve(import.meta.dirname, '../schema/supergraph.graphql'), 'utf8'),
    subgraphUrls: urls,
    consentStatements: createStatementFetcher(urls.consent),
    verifier: options.verifier,
    development: false,
  });
  const gatewayListening = await listen(gateway.handler, 0);
  let seeded = 0;
  return {
    gatewayUrl: gatewayListening.url,
    statements: () => Object.fromEntries(SUBGRAPHS.map((n) => [n, counters[n].count])) as Record<SubgraphName, number>,
    grow: async (persons) => {
      await seedDemo(targets, { seed: options.seed, from: seeded, to: persons });
      seeded = persons;
    },
    record: async (request, work) => {
      for (const name of SUBGRAPHS) counters[name].recording = { subgraph: name, request };
      try {
        return await work();
      } finally {
        for (const name of SUBGRAPHS) counters[name].recording = undefined;
      }
    },
    recorded: () => SUBGRAPHS.flatMap((name) => counters[name].recorded),
    stop: async () => {
      await gatewayListening.close();
      await gateway.stop();
      for (const { built, listening } of servers) {
        await listening.close();
        await built.stop();
      }
      for (const db of pools) await db.destroy();
      for (const name of SUBGRAPHS) await dropDatabase(options.adminUrl, `${options.prefix}_${name}`);
    },
  };
}
