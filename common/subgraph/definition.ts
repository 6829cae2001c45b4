import type { PinnedLogKeys } from '../audit/witness/checkpoint-witness.js';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessService } from '../access/access.service.js';
import type { DecisionJournal } from '../access/decision-journal.js';
import type { LookupHandler, WriteScopeCheck } from '../access/access-context.js';
import type { WriteScope } from '../access/operations.js';
import type { ConsentedPersonsRequest } from '../access/consented-persons-lookup.js';
import type { HousingMatch, HousingMatchRequest } from '../access/housing-lookup.js';
import type { Registration, RegistryLookupOptions } from '../access/registry-lookup.js';
import type { DisclosureLogClient } from '../audit/witness/log-client.js';
import type { OfficerAuditLog } from '../audit/log/officer-audit.js';
import type { LogKeyRing } from '../audit/log/log-keys.js';
import type { Caller, SubgraphName } from '../domain.js';
import type { StatuteCatalogue } from '../policy/statutes.js';
import type { AgencyList } from '../policy/agencies.js';
import type { NoticeList } from '../policy/notices.js';
import type { DemoSeeder } from './demo-seeder.js';

/** What a subgraph knows of its district from the configuration (`common/config.ts`). */
export interface DistrictSettings {
  /** `DISTRICT_TIME_ZONE`: consents' validity dates are days here; screens show instants here. */
  timeZone: string;
  /** `NOTICES_FILE`: the information notices a consent may name. */
  notices: NoticeList;
  /** `AGENCIES_FILE`: the district's agencies. */
  agencies: AgencyList;
}

/** Everything a resolver of a subgraph gets per request. */
export interface SubgraphContext<Loaders = unknown> {
  caller: Caller;
  /** Decides every gated field of this request. */
  access: AccessService;
  /** What this request decided for which field, read by the disclosure plugin into its records. */
  journal: DecisionJournal;
  /** DataLoaders built for this request only, so nothing is cached across callers. */
  loaders: Loaders;
  /** The subgraph's database; inside a mutation, that mutation's transaction, which its disclosure record joins. */
  db: EntityManager;
  /** The caller's `Authorization` header, for calls made on the caller's behalf. */
  authorization: string;
  /** The data subgraphs' disclosure logs, read on the caller's behalf (the consent subgraph only). */
  logs?: DisclosureLogClient;
  /** The consent registry's own log of consent officers' audit reads (the consent subgraph only). */
  auditLog?: OfficerAuditLog;
  /** The consent registry's witness key, with which it cosigns the data subgraphs' checkpoints (the consent subgraph only). */
  witnessKeys?: LogKeyRing;
  /** Each data subgraph's log keys as configured, the only ones the registry's witness trusts unannounced (the consent subgraph only). */
  pinnedLogKeys?: PinnedLogKeys;
  /** `VERIFY_FULL_CYCLE_DAYS`: every record is re-read by the default verification at least once in this many days (the consent subgraph only). */
  verifyFullCycleDays?: number;
  /** Indicator counts from 1 to one below this are withheld (`SUPPRESSION_THRESHOLD`). */
  suppressionThreshold: number;
  /** The statutory catalogue in force, e.g. to name an entry's legal reference. */
  catalogue: StatuteCatalogue;
  /** The district's configuration: its time zone, information notices and agencies. */
  district: DistrictSettings;
  /** Which agency holds a released record, where this subgraph serves several (see the definition). */
  holderOf?: (record: object) => string | undefined;
  /** The county's register, asked on the caller's behalf: which of these person ids it issued. */
  registry(personIds: string[], options?: RegistryLookupOptions): Promise<Map<string, Registration>>;
  /**
   * The municipalities' answer, on the caller's behalf, which persons live where (the county's candidate
   * search); absent where the subgraph has no such dependency.
   */
  housingMatches?(request: HousingMatchRequest): Promise<HousingMatch[]>;
  /** The consent registry's answer, on the caller's behalf, whose consents let the caller see some categories. */
  consentedPersons?(request: ConsentedPersonsRequest): Promise<string[]>;
}

/**
 * A federated entity type's `__resolveReference`. Declared as a method so that a definition with its own
 * loaders is a `SubgraphDefinition` too: the runtime only passes on what that definition's `createLoaders`
 * built, so the registry, the schema builder and the runners take any definition without a cast.
 */
export type ReferenceResolver<Loaders = unknown> = {
  resolve(reference: Record<string, unknown>, context: SubgraphContext<Loaders>): unknown;
}['resolve'];

/** The parts of one subgraph; `buildSubgraph` turns them into a server. */
export interface SubgraphDefinition<Loaders = unknown> {
  name: SubgraphName;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: [Function, ...Function[]];
  /** Types not reachable from a query or mutation, such as the Person stub other subgraphs extend. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** `__resolveReference` per federated entity type. */
  references: Record<string, ReferenceResolver<Loaders>>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  createLoaders(db: DataSource, caller: Caller): Loaders;
  /** Which persons are in the caller's own caseload, where that is narrower than the whole district. */
  ownScope?(db: DataSource, caller: Caller, personIds: string[]): Promise<Set<string>>;
  /**
   * How this subgraph checks each write scope its mutations declare in `common/access/operations.ts`
   * (`REGISTERED_PERSONS` defaults to asking the county's register).
   */
  writeScopes?: Partial<Record<WriteScope, WriteScopeCheck<SubgraphContext>>>;
  /**
   * Which agency holds a record this subgraph released, where it serves several (a municipality, a welfare
   * organisation); the disclosure log and the Art. 15 report name it. Absent: the subgraph's own agency.
   */
  holderOf?(record: object): string | undefined;
  /** Whether the subgraph holds personal data and keeps a disclosure log of what it released and changed. */
  disclosureLog?: boolean;
  /**
   * Whether the subgraph keeps, in its own database, a hash-chained record of every consent officer's read
   * of the disclosure logs (the consent registry). Its resolvers write it through `auditLog`.
   */
  officerAuditLog?: boolean;
  /**
   * Lean lookups other subgraphs make on every request (`POST /lookup/<name>`), each an operation of the
   * table as `Lookup.<name>`, authenticated and checked like `/graphql` (`common/access/lookup-routes.ts`).
   */
  lookups?: Record<string, LookupHandler>;
  /** Demo data: reference rows once, then the subgraph's records for each batch of demo persons. */
  seed: DemoSeeder;
}
