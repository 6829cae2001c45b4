import type { PinnedLogKeys } from '../../common/audit/witness/checkpoint-witness.js';
import type { DataSource } from 'typeorm';
import type { DisclosureLog } from '../../common/audit/log/disclosure-log.repository.js';
import type { DisclosureLogClient } from '../../common/audit/witness/log-client.js';
import type { Checkpointer } from '../../common/audit/proofs/checkpointer.js';
import { ephemeralKeyRing, type LogKeyRing, type PublishedKey } from '../../common/audit/log/log-keys.js';
import type { OfficerAuditLog } from '../../common/audit/log/officer-audit.js';
import type { ConsentLookup } from '../../common/access/consent-lookup.js';
import type { TokenVerifier } from '../../common/auth/token.js';
import type { RegistryLookup } from '../../common/access/registry-lookup.js';
import type { HousingMatchLookup } from '../../common/access/housing-lookup.js';
import type { ConsentedPersonsLookup } from '../../common/access/consented-persons-lookup.js';
import type { DemoPerson } from '../../seed/world.js';
import { StatementCounter } from '../../common/db/data-source.js';
import { listen } from '../../common/http.js';
import { loadShippedCatalogue } from '../../common/policy/statutes.js';
import type { TlsFiles } from '../../common/tls.js';
import type { SubgraphDefinition } from '../../common/subgraph/definition.js';
import type { SubgraphDatabase } from '../../common/db/provision.js';
import { openSubgraphDatabase } from '../../common/subgraph/runtime.js';
import { buildSubgraph, type BuiltSubgraph, type SubgraphDependencies } from '../../common/subgraph/server.js';
import type { OfficerLogWitness } from '../../common/audit/witness/officer-log-witness.js';
import { createTestDatabase } from './databases.js';
import { testVerifier } from './tokens.js';

/**
 * The county's register for a subgraph tested on its own, without a county: every id counts as registered
 * and seeded persons are assigned to their municipality, as the demo seed writes them. Whether writes check
 * the real register is tested against the county in tests/security/ and tests/e2e/.
 */
export function seededRegistry(persons: DemoPerson[] = []): RegistryLookup {
  const byId = new Map(persons.map((p) => [p.id, p]));
  return async (caller, _authorization, ids) =>
    new Map(
      ids.map((id) => [
        id,
        {
          id,
          assignedToCaller: !!caller.agency.ags && byId.get(id)?.municipalityAgs === caller.agency.ags,
          dateOfBirth: byId.get(id)?.dateOfBirth ?? null,
        },
      ]),
    );
}

/** One subgraph running for a test file: its own database, on a free port. */
export interface RunningSubgraph {
  url: string;
  /** The subgraph's runtime pool (its own role). */
  db: DataSource;
  /** Counts the statements the runtime pool sends. */
  statements: StatementCounter;
  /** Administrative URL of the test database, for set-up that the runtime role may not do. */
  adminUrl: string;
  /** The subgraph role's URL, for a second pool of the same role (as a second replica would open). */
  roleUrl: string;
  sdl: string;
  /** The subgraph's disclosure log, for data subgraphs. */
  log?: DisclosureLog;
  /** The consent registry's log of consent officers' audit reads. */
  auditLog?: OfficerAuditLog;
  /** The disclosure log's checkpointer, for data subgraphs. */
  checkpointer?: Checkpointer;
  /** The jobcenter's witness of the registry's officers' log, when it was given one. */
  officerLogWitness?: OfficerLogWitness;
  /** What the subgraph's `/metrics` serves. */
  metrics: BuiltSubgraph['metrics'];
  /**
   * Makes the subgraph hang, as a stopped process (SIGSTOP) does: connections are accepted and requests read,
   * but nothing is answered until `resume` (GraphQL and `/audit` alike).
   */
  pause(): void;
  /** Answers the held requests and every later one. */
  resume(): void;
  /** Stops the subgraph; its database is dropped unless `keepDatabase` (to start it again on it, as a restart). */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
  /** The database it runs on, to start it again there (`startSubgraph(…, { database })`). */
  database: SubgraphDatabase & { drop(): Promise<void> };
  /** The port it listens on, to start it again there. */
  port: number;
}

/**
 * Starts a subgraph on a fresh database. `consentLookup` defaults to "no consents"; pass the HTTP lookup to
 * reach a running consent subgraph.
 */
export async function startSubgraph<L>(
  definition: SubgraphDefinition<L>,
  options: {
    consentLookup?: ConsentLookup;
    /** Defaults to the county's register of the seeded persons (every id, when nothing is seeded). */
    registryLookup?: RegistryLookup;
    /** The county's candidate search asks the municipalities through it. */
    housingMatchLookup?: HousingMatchLookup;
    consentedPersonsLookup?: ConsentedPersonsLookup;
    logClient?: DisclosureLogClient;
    seed?: { persons: DemoPerson[]; seed: number };
    /** @default the test development key's verifier */
    verifier?: TokenVerifier;
    /** The disclosure log's signing keys. @default a fresh key held in memory */
    logKeys?: LogKeyRing;
    /** The consent registry's witness key. @default a fresh key held in memory */
    witnessKeys?: LogKeyRing;
    /** The data subgraphs' log keys the registry's witness pins. @default none: it witnesses no log */
    pinnedLogKeys?: PinnedLogKeys;
    /** For the consent registry: other parties' witness keys whose cosignatures of its officers' log it keeps. */
    pinnedWitnessKeys?: Record<string, PublishedKey[]>;
    /** `VERIFY_FULL_CYCLE_DAYS` of the registry. @default 7 */
    verifyFullCycleDays?: number;
    /** For the jobcenter: its witness of the registry's officers' log (its key, the registry's pinned keys, where). */
    officerLogWitness?: SubgraphDependencies['officerLogWitness'];
    /** For the consent registry: its grant key, which signs answers for the gateway. @default a fresh key held in memory */
    grantKeys?: LogKeyRing;
    /** For data subgraphs: the registry's grant keys, to use signed statements the gateway passes on. @default none: always ask */
    grantKeyLookup?: SubgraphDependencies['grantKeyLookup'];
    /** Serves HTTPS and requires client certificates of this CA (mTLS). */
    tls?: TlsFiles;
    /** The runtime pool's URL from the role's own, e.g. through a proxy that can cut it. @default the role's URL */
    databaseUrl?: (roleUrl: string) => string;
    /** Serves as in development (stack traces, `_service` for anyone). @default false */
    development?: boolean;
    /** An existing database of this subgraph (a restart): neither created nor seeded. @default a fresh one */
    database?: SubgraphDatabase & { drop(): Promise<void> };
    /** The port to listen on (a restart keeps its address). @default a free one */
    port?: number;
  } = {},
): Promise<RunningSubgraph> {
  const database = options.database ?? (await createTestDatabase(definition.name));
  const statements = new StatementCounter();
  const db = await openSubgraphDatabase(definition, options.databaseUrl?.(database.roleUrl) ?? database.roleUrl, {
    counter: statements,
  });
  if (options.seed) {
    await definition.seed.reference?.(db);
    await definition.seed.persons(db, options.seed.persons, options.seed.seed);
  }
  const built = await buildSubgraph(definition, {
    db,
    verifier: options.verifier ?? (await testVerifier()),
    consentLookup: options.consentLookup ?? (async () => []),
    registryLookup: options.registryLookup ?? seededRegistry(options.seed?.persons),
    housingMatchLookup: options.housingMatchLookup,
    consentedPersonsLookup: options.consentedPersonsLookup,
    catalogue: loadShippedCatalogue(),
    development: options.development ?? false,
    logClient: options.logClient,
    logKeys: options.logKeys ?? ephemeralKeyRing(),
    witnessKeys: options.witnessKeys ?? (definition.name === 'consent' ? ephemeralKeyRing() : undefined),
    pinnedLogKeys: options.pinnedLogKeys ?? (definition.name === 'consent' ? {} : undefined),
    pinnedWitnessKeys: options.pinnedWitnessKeys,
    verifyFullCycleDays: options.verifyFullCycleDays,
    officerLogWitness: options.officerLogWitness,
    grantKeys: options.grantKeys ?? (definition.name === 'consent' ? ephemeralKeyRing() : undefined),
    grantKeyLookup: options.grantKeyLookup,
  });
  let held: (() => void)[] | undefined;
  const listening = await listen(
    async (req, res) => {
      if (held) await new Promise<void>((resolve) => held!.push(resolve));
      return built.handler(req, res);
    },
    options.port ?? 0,
    undefined,
    options.tls,
  );
  const resume = () => {
    const waiting = held ?? [];
    held = undefined;
    for (const go of waiting) go();
  };
  return {
    url: listening.url,
    db,
    statements,
    adminUrl: database.adminUrl,
    roleUrl: database.roleUrl,
    sdl: built.sdl,
    log: built.log,
    auditLog: built.auditLog,
    checkpointer: built.checkpointer,
    officerLogWitness: built.officerLogWitness,
    metrics: built.metrics,
    pause: () => {
      held ??= [];
    },
    resume,
    stop: async (stopping) => {
      resume();
      await listening.close();
      await built.stop();
      await db.destroy();
      if (!stopping?.keepDatabase) await database.drop();
    },
    database,
    port: Number(new URL(listening.url).port),
  };
}
