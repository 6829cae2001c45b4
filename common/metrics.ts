import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
/**
 * Prometheus metrics of one part of the hub (the gateway or one subgraph), served at `/metrics`.
 *
 * Every label value comes from a closed list the code owns, never from a client's string or the data:
 * operations are names of the operation table (common/access/operations.ts), codes are Verbund's and
 * Apollo's error codes, categories the data categories, logs and pool states fixed words. So no person id,
 * name or other personal data can reach a label, and the number of series stays bounded.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { DataSource } from 'typeorm';
import { rootOperations } from './access/operation-guard.js';
import type { MetricsAccess } from './config.js';
import { CATEGORIES, SUBGRAPHS } from './domain.js';
import { APOLLO_REQUEST_CODES, ErrorCode } from './errors.js';

/** The operation label of a request that never reached a known operation (unparsable, unauthenticated, refused early). */
export const NO_OPERATION = '(none)';

const KNOWN_CODES = new Set<string>([...Object.values(ErrorCode), ...APOLLO_REQUEST_CODES]);
const KNOWN_CATEGORIES = new Set<string>(CATEGORIES);

/** A code as a label: Verbund's and Apollo's codes as they are, anything else `OTHER`. */
export function codeLabel(code: unknown): string {
  return typeof code === 'string' && KNOWN_CODES.has(code) ? code : 'OTHER';
}

/** A data category as a label, `none` for an error that is not about one. */
export function categoryLabel(category: unknown): string {
  return typeof category === 'string' && KNOWN_CATEGORIES.has(category) ? category : 'none';
}

/** The version in the nearest package.json above this file (the same from `common/` and `dist/common/`). */
function buildVersion(): string {
  let dir = import.meta.dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version);
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
const BUILD_VERSION = buildVersion();

/** Latency buckets in seconds, from 1 ms to 10 s (the default subgraph deadline). */
const LATENCY = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The metrics of one part, in a registry of its own (tests run several parts in one process). */
export class PartMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'outcome'>;
  readonly requestDuration: Histogram<'operation'>;
  readonly refusals: Counter<'code' | 'category'>;
  readonly consentLookups: Counter<'outcome'>;
  readonly consentLookupDuration: Histogram<'outcome'>;
  readonly consentLookupPersons: Histogram;
  readonly grantStatements: Counter<'outcome'>;
  readonly logAppends: Counter<'log' | 'outcome'>;
  readonly logAppendRecords: Histogram<'log'>;
  readonly logAppendDuration: Histogram<'log' | 'outcome'>;
  readonly leanPath: Counter<'path'>;

  constructor(
    readonly part: string,
    readonly access: MetricsAccess,
    options: { processMetrics?: boolean } = {},
  ) {
    this.registry.setDefaultLabels({ part });
    const registers = [this.registry];
    new Gauge({
      name: 'verbund_build_info',
      help: 'Always 1; the labels name the running version of Verbund and of Node.js',
      labelNames: ['version', 'nodejs'],
      registers,
    }).set({ version: BUILD_VERSION, nodejs: process.versions.node }, 1);
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'verbund_' });
    this.requests = new Counter({
      name: 'verbund_requests_total',
      help: 'GraphQL requests by root operation (a name of the operation table) and outcome (ok, errors: answered with errors, refused: 4xx, failed: 5xx)',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'verbund_request_duration_seconds',
      help: 'Time from the request reaching Apollo to its response, by root operation',
      labelNames: ['operation'],
      buckets: LATENCY,
      registers,
    });
    this.refusals = new Counter({
      name: 'verbund_refusals_total',
      help: 'Errors given to clients, by extensions.code and data category (none when not about one); INTERNAL_SERVER_ERROR is a bug',
      labelNames: ['code', 'category'],
      registers,
    });
    this.consentLookups = new Counter({
      name: 'verbund_consent_lookups_total',
      help: "A subgraph's lookups at the consent registry, by outcome (ok, failed: consent-based fields refused)",
      labelNames: ['outcome'],
      registers,
    });
    this.consentLookupDuration = new Histogram({
      name: 'verbund_consent_lookup_duration_seconds',
      help: 'Latency of consent lookups at the registry',
      labelNames: ['outcome'],
      buckets: LATENCY,
      registers,
    });
    this.consentLookupPersons = new Histogram({
      name: 'verbund_consent_lookup_persons',
      help: 'Persons asked about in one consent lookup',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    });
    this.grantStatements = new Counter({
      name: 'verbund_consent_grant_statements_total',
      help: 'Signed consent statements the gateway passed on (X-Consent-Grant), by outcome: used instead of a lookup, or why not used (malformed, unknown-key, bad-signature, other-request, expired: the subgraph asked the registry itself; unanswered: the registry did not answer the gateway in time, consent-based fields refused at once)',
      labelNames: ['outcome'],
      registers,
    });
    this.leanPath = new Counter({
      name: 'verbund_lean_path_total',
      help: "A subgraph's GraphQL requests by the path that served them: lean (a plain query whose document Apollo validated before, executed without Apollo's request pipeline) or apollo (everything else, and any request the lean path handed on)",
      labelNames: ['path'],
      registers,
    });
    this.logAppends = new Counter({
      name: 'verbund_log_appends_total',
      help: 'Appends to the disclosure log (disclosure: a response’s reads; change: with a write, in its transaction; officer-audit: consent officers’ reads), by outcome (ok, failed: answer withheld or change rolled back)',
      labelNames: ['log', 'outcome'],
      registers,
    });
    this.logAppendRecords = new Histogram({
      name: 'verbund_log_append_records',
      help: 'Records in one append (one per person a response answered about)',
      labelNames: ['log'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    this.logAppendDuration = new Histogram({
      name: 'verbund_log_append_duration_seconds',
      help: 'Time from handing records to the log to their commit (group commit queue included)',
      labelNames: ['log', 'outcome'],
      buckets: LATENCY,
      registers,
    });
  }

  /** Database pool use: connections open, idle and requests waiting for one, read at each scrape. */
  observePool(db: DataSource): void {
    const pool = () =>
      (
        db.driver as unknown as {
          master?: { totalCount: number; idleCount: number; waitingCount: number; options?: { max?: number } };
        }
      ).master;
    new Gauge({
      name: 'verbund_db_pool_connections',
      help: "The subgraph's database pool: open, idle and in-use connections, and requests waiting for one",
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const p = db.isInitialized ? pool() : undefined;
        if (!p) return;
        this.set({ state: 'open' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
    // Its own gauge, not a state of the one above: summing the states must not count the maximum as connections.
    new Gauge({
      name: 'verbund_db_pool_max_connections',
      help: "The subgraph's database pool's maximum (DB_POOL_SIZE)",
      registers: [this.registry],
      collect() {
        const max = db.isInitialized ? pool()?.options?.max : undefined;
        if (max !== undefined) this.set(max);
      },
    });
  }

  /**
   * The disclosure log's checkpoints, read at each scrape: how old the newest signed checkpoint is, and how many
   * records no checkpoint covers yet. A checkpointer that has stopped shows as a growing age with records waiting.
   */
  observeCheckpoints(db: DataSource): void {
    const read = async () =>
      (
        await db.query<{ age: number | null; uncovered: number }[]>(
          `SELECT extract(epoch FROM now() - c.at)::float8 AS age,
                  greatest(coalesce((SELECT max(sequence) FROM disclosure_log), 0) - coalesce(c.size, 0), 0)::int AS uncovered
             FROM (SELECT 1) one LEFT JOIN (SELECT size, at FROM disclosure_checkpoint ORDER BY size DESC LIMIT 1) c ON true`,
        )
      )[0];
    let reading: ReturnType<typeof read> | undefined;
    // One query per scrape for both gauges.
    const once = () => (reading ??= read().finally(() => setTimeout(() => (reading = undefined), 0)));
    new Gauge({
      name: 'verbund_log_checkpoint_age_seconds',
      help: "Seconds since the disclosure log's newest signed checkpoint (absent before the first)",
      registers: [this.registry],
      async collect() {
        this.reset();
        if (!db.isInitialized) return;
        const row = await once();
        if (row?.age !== null && row?.age !== undefined) this.set(row.age);
      },
    });
    new Gauge({
      name: 'verbund_log_uncheckpointed_records',
      help: 'Disclosure records after the newest signed checkpoint',
      registers: [this.registry],
      async collect() {
        if (!db.isInitialized) return;
        this.set((await once())?.uncovered ?? 0);
      },
    });
  }

  /**
   * The consent registry's witness alarms (a data subgraph's disclosure log found rewritten, cut or
   * removed), counted from its `witness_alarm` table at each scrape, so an alarm raised by any process
   * of the registry shows, and stays until an operator deals with it.
   */
  observeWitnessAlarms(db: DataSource): void {
    new Gauge({
      name: 'verbund_witness_alarms',
      help: "Witness alarms the consent registry holds about data subgraphs' disclosure logs, by subgraph and kind; any value above 0 needs an operator",
      labelNames: ['subgraph', 'kind'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const subgraph of SUBGRAPHS) if (subgraph !== 'consent') this.set({ subgraph, kind: 'any' }, 0);
        const rows = await db.query<{ subgraph: string; kind: string; n: number }[]>(
          'SELECT subgraph, kind, count(*)::int AS n FROM witness_alarm GROUP BY subgraph, kind',
        );
        for (const row of rows) {
          const subgraph = (SUBGRAPHS as readonly string[]).includes(row.subgraph) ? row.subgraph : 'other';
          const kind = /^[A-Z_]{1,32}$/.test(row.kind) ? row.kind : 'OTHER';
          this.inc({ subgraph, kind }, row.n);
          this.inc({ subgraph, kind: 'any' }, row.n);
        }
      },
    });
  }

  /**
   * The alarms of this part's witness of the consent registry's log of officers' reads (the jobcenter's): a
   * registry checkpoint that was not signed right or did not extend the one cosigned before, counted from its
   * `checkpoint_alarm` table at each scrape; any value above 0 needs an operator.
   */
  observeOfficerLogAlarms(db: DataSource): void {
    new Gauge({
      name: 'verbund_officer_log_witness_alarms',
      help: "Alarms this part's witness holds about the consent registry's log of officers' reads; any value above 0 needs an operator",
      registers: [this.registry],
      async collect() {
        if (!db.isInitialized) return;
        const [row] = await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM checkpoint_alarm WHERE log_id = 'verbund:consent'`,
        );
        this.set(row?.n ?? 0);
      },
    });
  }

  /** Times one consent lookup and counts its outcome. */
  async timeConsentLookup<T>(persons: number, lookup: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    this.consentLookupPersons.observe(persons);
    try {
      const result = await lookup();
      this.consentLookups.inc({ outcome: 'ok' });
      this.consentLookupDuration.observe({ outcome: 'ok' }, seconds(started));
      return result;
    } catch (error) {
      this.consentLookups.inc({ outcome: 'failed' });
      this.consentLookupDuration.observe({ outcome: 'failed' }, seconds(started));
      throw error;
    }
  }

  /** Times one append of `records` records to the log named `log` and counts its outcome. */
  async timeLogAppend<T>(
    log: 'disclosure' | 'change' | 'officer-audit',
    records: number,
    append: () => Promise<T>,
  ): Promise<T> {
    if (records === 0) return append();
    const started = process.hrtime.bigint();
    this.logAppendRecords.observe({ log }, records);
    try {
      const result = await append();
      this.logAppends.inc({ log, outcome: 'ok' });
      this.logAppendDuration.observe({ log, outcome: 'ok' }, seconds(started));
      return result;
    } catch (error) {
      this.logAppends.inc({ log, outcome: 'failed' });
      this.logAppendDuration.observe({ log, outcome: 'failed' }, seconds(started));
      throw error;
    }
  }

  /** Counts a request refused before Apollo saw it (body too large, over the limits). */
  refusedEarly(code: unknown): void {
    this.refusals.inc({ code: codeLabel(code), category: 'none' });
    this.requests.inc({ operation: NO_OPERATION, outcome: 'refused' });
  }
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The entity types an `_entities` request asks for, as the operation table names them (`Entity.Person`). */
function entityOperations(
  variables: Record<string, unknown> | undefined,
  known: (operation: string) => boolean,
): string[] {
  const names = new Set<string>();
  for (const value of Object.values(variables ?? {})) {
    if (!Array.isArray(value)) continue;
    for (const item of value as unknown[]) {
      const type = (item as { __typename?: unknown } | null)?.__typename;
      if (typeof type === 'string' && known(`Entity.${type}`)) names.add(`Entity.${type}`);
    }
  }
  return names.size ? [...names] : ['Query._entities'];
}

/** Counts a request whose context could not be built: authentication failed (401) or the purpose is not the caller's (403). */
export function countContextFailure(metrics: PartMetrics, error: unknown): void {
  metrics.refusals.inc({
    code: codeLabel((error as { extensions?: { code?: unknown } }).extensions?.code),
    category: 'none',
  });
  metrics.requests.inc({ operation: NO_OPERATION, outcome: 'refused' });
}

/**
 * The operation labels of one resolved request: its root operations that `known` names, an `_entities`
 * fetch as the entity types of its representations. `NO_OPERATION` when none is known.
 */
export function requestOperations(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  known: (operation: string) => boolean,
): string[] {
  const names = rootOperations(document, operation).flatMap((name) =>
    name === 'Query._entities' ? entityOperations(variables, known) : known(name) ? [name] : [],
  );
  return names.length ? names : [NO_OPERATION];
}

/**
 * Counts one answered request under each of its `operations` (outcome from the status and the errors the
 * response carries, each error by code and category) and times it from `started` (`process.hrtime.bigint()`).
 */
export function countResponse(
  metrics: PartMetrics,
  operations: readonly string[],
  started: bigint,
  status: number,
  errors: readonly unknown[],
): void {
  for (const error of errors) {
    const extensions = (error as { extensions?: { code?: unknown; category?: unknown } }).extensions;
    metrics.refusals.inc({ code: codeLabel(extensions?.code), category: categoryLabel(extensions?.category) });
  }
  const outcome = status >= 500 ? 'failed' : status >= 400 ? 'refused' : errors.length ? 'errors' : 'ok';
  const elapsed = seconds(started);
  for (const operation of operations) {
    metrics.requests.inc({ operation, outcome });
    metrics.requestDuration.observe({ operation }, elapsed);
  }
}

/**
 * Counts and times every request by its root operations, and every error a response carries by code and
 * category. `known` says whether a name is in the operation table; names outside it are never labels.
 * The subgraphs' lean path counts with the same functions (common/subgraph/lean-path.ts).
 */
export function metricsPlugin(
  metrics: PartMetrics,
  known: (operation: string) => boolean,
): ApolloServerPlugin<BaseContext> {
  return {
    contextCreationDidFail({ error }) {
      countContextFailure(metrics, error);
      return Promise.resolve();
    },
    requestDidStart() {
      const started = process.hrtime.bigint();
      let operations = [NO_OPERATION];
      return Promise.resolve({
        didResolveOperation({ document, operation, request }) {
          if (!operation) return Promise.resolve();
          operations = requestOperations(document, operation, request.variables, known);
          return Promise.resolve();
        },
        willSendResponse({ response, errors }) {
          const sent = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          countResponse(metrics, operations, started, response.http.status ?? 200, sent ?? errors ?? []);
          return Promise.resolve();
        },
      });
    },
  };
}

/**
 * Answers `GET /metrics` in Prometheus' text format when the caller may read it (see MetricsAccess); false
 * for any other path. A wrong or missing token is 401, metrics switched off 404; neither says more.
 */
export async function answerMetrics(
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  metrics: PartMetrics | undefined,
): Promise<boolean> {
  if (pathname !== '/metrics' || !metrics) return false;
  const refuse = (status: number, message: string) => {
    res.statusCode = status;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    if (status === 401) res.setHeader('www-authenticate', 'Bearer realm="metrics"');
    res.end(`${message}\n`);
  };
  const { token, openWithoutToken } = metrics.access;
  if (token) {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      refuse(401, 'Metrics need the scraper token (Authorization: Bearer <METRICS_TOKEN>)');
      return true;
    }
  } else if (!openWithoutToken) {
    refuse(404, 'Metrics are off: set METRICS_TOKEN to serve them');
    return true;
  }
  res.statusCode = 200;
  res.setHeader('content-type', metrics.registry.contentType);
  res.setHeader('cache-control', 'no-store');
  res.end(await metrics.registry.metrics());
  return true;
}
