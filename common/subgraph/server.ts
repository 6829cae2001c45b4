import type { PinnedLogKeys } from '../audit/witness/checkpoint-witness.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { DataSource } from 'typeorm';
import type { Caller } from '../domain.js';
import { AccessService } from '../access/access.service.js';
import { createLookupRoutes } from '../access/lookup-routes.js';
import { DecisionJournal } from '../access/decision-journal.js';
import type { ConsentLookup } from '../access/consent-lookup.js';
import {
  GRANT_HEADER,
  REGISTRY_UNANSWERED,
  publishGrantKeys,
  verifyGrants,
  type GrantKeyLookup,
  type StatementRejection,
  type VerifiedGrants,
} from '../audit/proofs/signed-grants.js';
import { operationGuardPlugin, rootOperations, ruleOf } from '../access/operation-guard.js';
import type { ConsentedPersonsLookup } from '../access/consented-persons-lookup.js';
import type { HousingMatchLookup } from '../access/housing-lookup.js';
import type { RegistryLookup, RegistryLookupOptions } from '../access/registry-lookup.js';
import { authenticate, type TokenVerifier } from '../auth/token.js';
import { createAuditRoutes, createOfficerLogRoutes } from '../audit/witness/audit-routes.js';
import { AttestingDisclosureLog } from '../audit/log/attestation.js';
import { Checkpointer } from '../audit/proofs/checkpointer.js';
import type { DisclosureLog } from '../audit/log/disclosure-log.repository.js';
import { publishKeys, type LogKeyRing, type PublishedKey } from '../audit/log/log-keys.js';
import type { DisclosureLogClient } from '../audit/witness/log-client.js';
import { OfficerLogWitness, type WitnessTransport } from '../audit/witness/officer-log-witness.js';
import { OfficerAuditLog } from '../audit/log/officer-audit.js';
import { DisclosureRecorder } from '../audit/log/disclosure.plugin.js';
import { createErrorFormatter } from '../errors.js';
import { verifiedPart } from '../tls.js';
import { checkReadiness, subgraphReadinessChecks } from '../health.js';
import { createGraphQLHandler, send } from '../http.js';
import { partRoutes, route, serveRoutes } from '../routes.js';
import type { MetricsAccess } from '../config.js';
import { apolloLogger, partLogger, rateLimitedWarnings, setRequestId } from '../log.js';
import { metricsPlugin, NO_OPERATION, PartMetrics } from '../metrics.js';
import { serveTraced, traceDatabase, tracingPlugin } from '../tracing.js';
import { RequestLimiter, SUBGRAPH_REQUEST_LIMITS } from '../limits.js';
import { policyVersion } from '../policy/policy.js';
import { DEFAULT_SUPPRESSION_THRESHOLD } from '../monitoring/indicators.js';
import type { StatuteCatalogue } from '../policy/statutes.js';
import { loadAgencyList, type AgencyList } from '../policy/agencies.js';
import { loadNoticeList, type NoticeList } from '../policy/notices.js';
import { DEFAULT_DISTRICT_TIME_ZONE } from '../district-time.js';
import type { SubgraphContext, SubgraphDefinition } from './definition.js';
import { buildFederatedSchema } from './schema.js';
import { LeanPath } from './lean-path.js';

/** What a subgraph needs from outside: its database, the token verifier, the consent registry, the statutes. */
export interface SubgraphDependencies {
  db: DataSource;
  verifier: TokenVerifier;
  consentLookup: ConsentLookup;
  /** The county's register, asked before a write about a person (the county answers from its own table). */
  registryLookup: RegistryLookup;
  /** For the county's candidate search: the municipalities' housing matches, asked on the caller's behalf. */
  housingMatchLookup?: HousingMatchLookup;
  /** For the county's candidate search: the persons whose consents cover the searched categories. */
  consentedPersonsLookup?: ConsentedPersonsLookup;
  catalogue: StatuteCatalogue;
  /** `DISTRICT_TIME_ZONE`: consents' validity dates are days in this zone. @default 'Europe/Berlin' */
  timeZone?: string;
  /** `NOTICES_FILE`: the information notices a consent may name (the consent registry). @default the demo district's */
  notices?: NoticeList;
  /** `AGENCIES_FILE`: the district's agencies (the consent registry's effective access). @default the demo district's */
  agencies?: AgencyList;
  development: boolean;
  /** For the consent subgraph: reads the data subgraphs' disclosure logs. */
  logClient?: DisclosureLogClient;
  /** `DISCLOSURE_RETENTION_DAYS`: verification reports records removed younger than this. @default 730 */
  retentionDays?: number;
  /** `SUPPRESSION_THRESHOLD` for indicators. @default 5 */
  suppressionThreshold?: number;
  /**
   * For data subgraphs, and the consent registry's own log of officers' reads: the keys its process attests
   * appends and signs checkpoints with (never in the database).
   */
  logKeys?: LogKeyRing;
  /** For the consent registry: its witness key, published at `/audit/keys`. */
  witnessKeys?: LogKeyRing;
  /** For the consent registry: each data subgraph's log keys as configured (`PINNED_LOG_KEYS_FILE`); its witness trusts no other key unannounced. */
  pinnedLogKeys?: PinnedLogKeys;
  /**
   * For the consent registry: the witness keys of the other parties that cosign its officers' log, by witness
   * name (`witnesses` of `PINNED_LOG_KEYS_FILE`). @default none: no cosignature sent back is kept
   */
  pinnedWitnessKeys?: Record<string, PublishedKey[]>;
  /** For the consent registry: `VERIFY_FULL_CYCLE_DAYS`. @default 7 */
  verifyFullCycleDays?: number;
  /**
   * For the data subgraph that witnesses the consent registry's log of officers' reads (`OFFICER_LOG_WITNESS`):
   * its own witness key (published at `/audit/witness-keys`), the registry's log keys as configured, and where
   * the registry answers. Its state lives in this subgraph's database.
   */
  officerLogWitness?: {
    keys: LogKeyRing;
    pinned: PublishedKey[];
    registryUrl: () => string;
    transport: WitnessTransport;
  };
  /**
   * For the consent registry: its grant key (`CONSENT_GRANT_KEY_FILE`), which signs the answers the gateway
   * passes on to every subgraph fetch of one request; published at `GET /grant-keys`. @default none: answers unsigned
   */
  grantKeys?: LogKeyRing;
  /**
   * For data subgraphs: the registry's grant keys by key id (`createGrantKeyLookup`). With it, a signed
   * statement the gateway passes on (`X-Consent-Grant`) that verifies for this request answers the consent
   * lookup for the persons it names; without it, or for any statement that does not verify, the subgraph asks
   * the registry itself. @default none: always ask
   */
  grantKeyLookup?: GrantKeyLookup;
  /** Who may read `/metrics` (`METRICS_TOKEN`), and whether the process's own figures are included. @default open, without process figures */
  metrics?: { access: MetricsAccess; processMetrics?: boolean };
}

/** A subgraph built but not listening: `handler` serves HTTP, `stop` ends the Apollo server. */
export interface BuiltSubgraph {
  sdl: string;
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The subgraph's disclosure log, for data subgraphs. */
  log?: DisclosureLog;
  /** The log of consent officers' audit reads, for the consent registry. */
  auditLog?: OfficerAuditLog;
  /** The checkpointer of the disclosure log, for data subgraphs; `main` runs it on a timer. */
  checkpointer?: Checkpointer;
  /** The witness of the consent registry's officers' log, in the subgraph named `OFFICER_LOG_WITNESS`; `main` runs it on a timer. */
  officerLogWitness?: OfficerLogWitness;
  /** What `/metrics` serves. */
  metrics: PartMetrics;
  stop(): Promise<void>;
}

/**
 * Builds one subgraph server. Each request is authenticated here, not trusted from the gateway, and gets
 * its own access service and loaders.
 */
export async function buildSubgraph<Loaders>(
  definition: SubgraphDefinition<Loaders>,
  deps: SubgraphDependencies,
): Promise<BuiltSubgraph> {
  const logger = partLogger(definition.name);
  const metrics = new PartMetrics(definition.name, deps.metrics?.access ?? { openWithoutToken: true }, {
    processMetrics: deps.metrics?.processMetrics,
  });
  metrics.observePool(deps.db);
  traceDatabase(deps.db, definition.name);
  if (definition.officerAuditLog) metrics.observeWitnessAlarms(deps.db);
  if (definition.disclosureLog) metrics.observeCheckpoints(deps.db);
  if (definition.disclosureLog && !deps.logKeys)
    throw new Error(`The ${definition.name} subgraph keeps a disclosure log and needs its signing keys (logKeys)`);
  // The process vouches for every record it appends; the checkpointer covers only what it vouched for.
  const log: DisclosureLog | undefined = definition.disclosureLog
    ? new AttestingDisclosureLog(deps.db, deps.logKeys!)
    : undefined;
  // The consent registry's own log of officers' reads is attested and checkpointed too, under its own log key
  // (not its witness key): parties other than the registry witness it.
  const ownLogKeys = definition.officerAuditLog ? deps.logKeys : undefined;
  // One instance per process, so that its group commit keeps the chain linear.
  const auditLog = definition.officerAuditLog
    ? new OfficerAuditLog(deps.db, policyVersion(deps.catalogue), ownLogKeys)
    : undefined;
  const checkpointer =
    definition.disclosureLog || ownLogKeys
      ? new Checkpointer(deps.db, definition.name, deps.logKeys!, undefined, (log ?? auditLog?.log)?.own)
      : undefined;
  if (log) instrumentLog(log, metrics);
  if (auditLog) instrumentLog(auditLog.log, metrics, 'officer-audit');
  if (deps.officerLogWitness) metrics.observeOfficerLogAlarms(deps.db);
  const officerLogWitness = deps.officerLogWitness
    ? new OfficerLogWitness(deps.db, { witness: definition.name, ...deps.officerLogWitness })
    : undefined;
  const { sdl, schema } = await buildFederatedSchema(
    definition,
    log && { db: deps.db, log, policyVersion: policyVersion(deps.catalogue) },
  );
  // One recorder for both paths a request can take (Apollo's, the lean one): one record per
  // (request, person) across all the gateway's fetches of a request.
  const recorder = log
    ? new DisclosureRecorder(
        log,
        policyVersion(deps.catalogue),
        (error) => logger.error('disclosure log append failed; response withheld', { err: error }),
        definition.name,
      )
    : undefined;
  // A subgraph can be reached directly: it bounds every request as the gateway does.
  const limiter = new RequestLimiter(SUBGRAPH_REQUEST_LIMITS);
  const formatError = createErrorFormatter({
    development: deps.development,
    log: (error) => logger.error('internal error, masked for the client', { err: error }),
    part: `${definition.name} subgraph`,
  });
  // Each of these is given to Apollo's plugins and to the lean path alike, so that both do the same.
  const known = (operation: string) => ruleOf(definition.name, operation) !== undefined;
  const operationsOf = (document: DocumentNode, operation: OperationDefinitionNode) =>
    rootOperations(document, operation).filter(known);
  const rules = (operation: string) => ruleOf(definition.name, operation);
  // Plain queries of documents Apollo has validated (the gateway's fetches, the registry's date-of-birth checks),
  // served without Apollo's request pipeline.
  const lean = new LeanPath<SubgraphContext<Loaders>>({
    schema,
    formatError,
    development: deps.development,
    metrics,
    known,
    rules,
    operationsOf,
    recorder,
    onUnexpected: (error) => logger.error('unexpected error processing request', { err: error }),
  });
  const server = new ApolloServer<SubgraphContext<Loaders>>({
    schema,
    logger: apolloLogger(definition.name),
    // The launcher and main files own shutdown; Apollo's own signal handlers would race them.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: deps.development,
    formatError,
    plugins: [
      limiter.plugin(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      metricsPlugin(metrics, known),
      tracingPlugin(operationsOf),
      operationGuardPlugin(rules, deps.development),
      ...(recorder ? [recorder.plugin()] : []),
      lean.plugin(),
    ],
  });
  await server.start();
  const timeZone = deps.timeZone ?? DEFAULT_DISTRICT_TIME_ZONE;
  const district = {
    timeZone,
    notices: deps.notices ?? loadNoticeList(),
    agencies: deps.agencies ?? loadAgencyList(),
  };
  const ownScope = definition.ownScope?.bind(definition);
  // The access service fails closed when the registry cannot answer; the reason is written here, not dropped.
  const consentLookup: ConsentLookup = (caller, authorization, personIds) =>
    metrics
      .timeConsentLookup(personIds.length, () => deps.consentLookup(caller, authorization, personIds))
      .catch((error: unknown) => {
        logger.warn('consent registry unavailable, consent-based fields refused', { err: error });
        throw error;
      });
  // A signed statement the gateway passed on answers for the persons it names, if it verifies for this
  // request; any other person, and any statement that does not verify, goes to the registry as before.
  const statementTrouble = rateLimitedWarnings(logger);
  // Checked only when a decision needs consent: a subgraph whose own task or a statute answers everything
  // (the jobcenter in the person view) spends nothing on it.
  const statedOrAsked = (
    caller: Caller,
    authorization: string,
    header: string | string[] | undefined,
  ): ConsentLookup => {
    if (header === REGISTRY_UNANSWERED) {
      // The gateway waited for the registry until its deadline: refuse now, as a lookup that failed here would,
      // and count it as a failed lookup, so that the alerts on failed lookups see a registry that hangs.
      let reported = false;
      return (_c, _auth, personIds) => {
        if (!reported) {
          reported = true;
          metrics.grantStatements.inc({ outcome: REGISTRY_UNANSWERED });
          statementTrouble(
            REGISTRY_UNANSWERED,
            'the consent registry did not answer the gateway’s lookup in time; consent-based fields refused without asking it again',
            { requestId: caller.requestId },
          );
        }
        return metrics.timeConsentLookup(personIds.length, () =>
          Promise.reject(new Error('the consent registry did not answer the gateway’s lookup within its deadline')),
        );
      };
    }
    const keys = deps.grantKeyLookup;
    if (!keys || typeof header !== 'string') return consentLookup;
    let checked: Promise<VerifiedGrants | StatementRejection> | undefined;
    const check = () =>
      verifyGrants(header, { caller, authorization }, keys).then((stated) => {
        metrics.grantStatements.inc({ outcome: typeof stated === 'string' ? stated : 'used' });
        if (typeof stated === 'string') {
          statementTrouble(
            stated,
            `a signed consent statement was not used (${stated}); the registry is asked instead`,
            {
              requestId: caller.requestId,
            },
          );
        }
        return stated;
      });
    return async (c, auth, personIds) => {
      const stated = await (checked ??= check());
      if (typeof stated === 'string') return consentLookup(c, auth, personIds);
      const unstated = personIds.filter((id) => !stated.personIds.has(id));
      const asked = unstated.length ? await consentLookup(c, auth, unstated) : [];
      return [...stated.grants.filter((g) => personIds.includes(g.personId)), ...asked];
    };
  };
  // Ready when its database answers and has every migration of this definition (`/health/ready`).
  const readinessChecks = subgraphReadinessChecks(deps.db, definition.migrations);
  // The context of every request, on either path.
  const context = async (req: IncomingMessage): Promise<SubgraphContext<Loaders>> => {
    const caller = await authenticate(deps.verifier, req.headers);
    const part = verifiedPart(req);
    if (part) caller.part = part;
    setRequestId(caller.requestId);
    const access = new AccessService(caller, {
      catalogue: deps.catalogue,
      timeZone,
      authorization: req.headers.authorization!,
      consentLookup: statedOrAsked(caller, req.headers.authorization!, req.headers[GRANT_HEADER]),
      ownScope: ownScope && ((c, ids) => ownScope(deps.db, c, ids)),
    });
    const authorization = req.headers.authorization!;
    return {
      caller,
      access,
      journal: new DecisionJournal(),
      registry: (personIds: string[], options?: RegistryLookupOptions) =>
        deps.registryLookup(caller, authorization, personIds, options),
      housingMatches:
        deps.housingMatchLookup && ((request) => deps.housingMatchLookup!(caller, authorization, request)),
      consentedPersons:
        deps.consentedPersonsLookup && ((request) => deps.consentedPersonsLookup!(caller, authorization, request)),
      holderOf: definition.holderOf?.bind(definition),
      loaders: definition.createLoaders(deps.db, caller),
      db: deps.db.manager,
      authorization: req.headers.authorization!,
      logs: deps.logClient,
      auditLog,
      witnessKeys: deps.witnessKeys,
      pinnedLogKeys: deps.pinnedLogKeys,
      verifyFullCycleDays: deps.verifyFullCycleDays,
      suppressionThreshold: deps.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD,
      catalogue: deps.catalogue,
      district,
    };
  };
  const graphql = createGraphQLHandler({
    server,
    context,
    limiter,
    metrics,
    shortcut: (request) => lean.serve(request),
  });
  const audit =
    log &&
    checkpointer &&
    createAuditRoutes({
      subgraph: definition.name,
      db: deps.db,
      log,
      verifier: deps.verifier,
      retentionDays: deps.retentionDays ?? 730,
      keys: deps.logKeys!,
      checkpointer,
    });
  const lookups =
    definition.lookups &&
    createLookupRoutes({
      subgraph: definition.name,
      db: deps.db,
      verifier: deps.verifier,
      lookups: definition.lookups,
      grantKeys: deps.grantKeys,
    });
  // The subgraph's one route table: health, metrics, GraphQL, the disclosure log's endpoints, the lookups.
  const handler = serveRoutes([
    ...partRoutes({ ready: () => checkReadiness(readinessChecks), metrics }),
    route('/graphql', graphql),
    // The key this part cosigns the registry's officers' log with, for the registry's operator to pin.
    ...(deps.officerLogWitness
      ? [
          route(
            '/audit/witness-keys',
            async (_req, res) =>
              send(res, 200, {
                witness: definition.name,
                keys: publishKeys(deps.officerLogWitness!.keys, { role: 'witness', witness: definition.name }),
              }),
            'GET',
          ),
        ]
      : []),
    // The registry's reads of this log are part of the consent officer's trace too.
    ...(audit
      ? [
          route('/audit/*', (req, res, url) =>
            serveTraced(definition.name, req, res, () => audit(req, res, url.pathname)),
          ),
        ]
      : []),
    // A subgraph's consent lookup is part of the caller's trace too, and counted as the GraphQL requests are
    // (labelled only with a lookup this subgraph serves, never the client's path).
    ...(lookups
      ? [
          route('/lookup/*', (req, res, url) =>
            serveTraced(definition.name, req, res, async () => {
              const name = url.pathname.slice('/lookup/'.length);
              const operation =
                definition.lookups && Object.hasOwn(definition.lookups, name) ? `Lookup.${name}` : NO_OPERATION;
              const timer = metrics.requestDuration.startTimer({ operation });
              if (!(await lookups(req, res, url.pathname))) send(res, 404, { errors: [{ message: 'Not found' }] });
              timer();
              const outcome = res.statusCode >= 500 ? 'failed' : res.statusCode >= 400 ? 'refused' : 'ok';
              metrics.requests.inc({ operation, outcome });
            }),
          ),
        ]
      : []),
    // The registry's own log, for the witnesses of other parties.
    ...(ownLogKeys && checkpointer
      ? [
          route('/officer-log/audit/*', (req, res, url) =>
            createOfficerLogRoutes({
              db: deps.db,
              keys: ownLogKeys,
              checkpointer,
              pinnedWitnesses: deps.pinnedWitnessKeys,
            })(req, res, url.pathname),
          ),
        ]
      : []),
    // The key the registry signs consent statements with, for the data subgraphs that check them.
    ...(deps.grantKeys
      ? [route('/grant-keys', async (_req, res) => send(res, 200, publishGrantKeys(deps.grantKeys!)), 'GET')]
      : []),
    ...(deps.witnessKeys
      ? [
          route(
            '/audit/keys',
            async (_req, res) =>
              send(res, 200, {
                witness: definition.name,
                keys: publishKeys(deps.witnessKeys!, { role: 'witness', witness: definition.name }),
              }),
            'GET',
          ),
        ]
      : []),
  ]);
  return { sdl, handler, log, auditLog, metrics, checkpointer, officerLogWitness, stop: () => server.stop() };
}

/**
 * Counts and times the appends of one disclosure log (`append`: a response's records through the group
 * commit; `appendWithin`: a change's record in the change's transaction) by wrapping the instance's two
 * methods, so the log itself stays free of metrics.
 */
function instrumentLog(
  log: DisclosureLog,
  metrics: PartMetrics,
  name: 'disclosure' | 'officer-audit' = 'disclosure',
): void {
  const append = log.append.bind(log);
  const appendWithin = log.appendWithin.bind(log);
  log.append = (entries) => metrics.timeLogAppend(name, entries.length, () => append(entries));
  log.appendWithin = (manager, entries) =>
    metrics.timeLogAppend(name === 'disclosure' ? 'change' : name, entries.length, () =>
      appendWithin(manager, entries),
    );
}
