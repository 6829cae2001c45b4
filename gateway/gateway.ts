import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { randomUUID } from 'node:crypto';
import { GraphQLError, Kind, OperationTypeNode, parse } from 'graphql';
import { authenticate, type TokenVerifier } from '../common/auth/token.js';
import { operationGuardPlugin, rootOperations } from '../common/access/operation-guard.js';
import { OPERATIONS, type OperationRule } from '../common/access/operations.js';
import { SUBGRAPHS, type Caller, type SubgraphName } from '../common/domain.js';
import { createErrorFormatter, ErrorCode } from '../common/errors.js';
import { checkReadiness } from '../common/health.js';
import { createGraphQLHandler } from '../common/http.js';
import { partRoutes, route, serveRoutes, type Serve } from '../common/routes.js';
import { createHttpFetcher, DeadlineExceededError } from '../common/http-fetcher.js';
import { REQUEST_LIMITS, RequestLimiter } from '../common/limits.js';
import type { MetricsAccess } from '../common/config.js';
import { apolloLogger, partLogger, rateLimitedWarnings, setRequestId } from '../common/log.js';
import { metricsPlugin, PartMetrics } from '../common/metrics.js';
import { tracingPlugin } from '../common/tracing.js';
import { GRANT_HEADER } from '../common/audit/proofs/signed-grants.js';
import { clientPathsPlugin } from './client-paths.js';
import { dataFetchesOf, RequestStatements, type StatementFetcher } from './consent-statements.js';
import { createConsoleRoute, type ConsoleRouteOptions } from './console-route.js';
import { createExplorerRoute, type ExplorerRouteOptions } from './explorer-route.js';
import { admitDocument, type TrustedDocumentsOptions } from './trusted-documents-guard.js';

/** The gateway's per-request context: the authenticated caller, or none for a schema-only request. */
export interface GatewayContext {
  caller?: Caller;
  authorization?: string;
  /** The client's own X-Request-Id, when it sent a well-formed one. */
  correlationId?: string;
  /** The registry's signed consent statements of this request, passed on to its fetches (hub only). */
  statements?: RequestStatements;
}

/** The gateway's deadline for one subgraph fetch when none is configured (`SUBGRAPH_TIMEOUT_MS`). */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;

const gatewayLog = partLogger('gateway');
const subgraphTrouble = rateLimitedWarnings(gatewayLog);

/** One pool of keep-alive connections per subgraph, shared by every gateway of this process. */
const subgraphFetcher = createHttpFetcher();

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/**
 * A subgraph's own refusal of a request (HTTP 4xx with GraphQL errors: bad input, a failed validation, a
 * token or purpose it does not accept). It is the caller's answer, not an outage, so it is passed on as is.
 */
class SubgraphRefusal extends Error {
  constructor(readonly errors: NonNullable<GatewayGraphQLResponse['errors']>) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'SubgraphRefusal';
  }
}

function refusalErrors(status: number, body: unknown): NonNullable<GatewayGraphQLResponse['errors']> | undefined {
  if (status < 400 || status >= 500 || typeof body !== 'object' || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const wellFormed = errors.every(
    (e: unknown) => typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string',
  );
  return wellFormed ? (errors as NonNullable<GatewayGraphQLResponse['errors']>) : undefined;
}

/** Passes the caller's token, purpose and the request id to every subgraph, which decide for themselves. */
class PropagatingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    timeoutMs: number,
  ) {
    super({ url, fetcher: subgraphFetcher.withTimeout(timeoutMs) });
  }

  /** A subgraph that cannot be reached, fails or does not answer in time costs only its own fields; the error names it. */
  override didEncounterError(error: Error): never {
    if (error instanceof SubgraphRefusal) throw error;
    const status = (error as GraphQLError).extensions?.response as { status?: number } | undefined;
    const what =
      error instanceof DeadlineExceededError
        ? `did not answer within ${error.timeoutMs} ms`
        : status?.status
          ? `failed (HTTP ${status.status})`
          : 'could not be reached';
    // The operator hears of it too, at a readable rate: the first at once, then once a minute per subgraph and kind.
    subgraphTrouble(`${this.subgraph} ${what.split(' ')[0]}`, `the ${this.subgraph} subgraph ${what}`, {
      subgraph: this.subgraph,
      url: this.url,
      err: error,
    });
    throw new GraphQLError(`The ${this.subgraph} subgraph ${what}; its fields are missing from this response`, {
      extensions: { code: ErrorCode.SubgraphUnavailable, serviceName: this.subgraph },
      originalError: error,
    });
  }

  /** A 4xx answer with GraphQL errors is the subgraph's refusal, kept with its codes and messages. */
  override async errorFromResponse(
    response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0],
  ): Promise<GraphQLError> {
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    const errors = refusalErrors(response.status, body);
    if (errors) throw new SubgraphRefusal(errors);
    return super.errorFromResponse(response);
  }

  /** Answers a refusal as the subgraph's errors, which the gateway then reports at the paths it fetched. */
  override async process(
    options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0],
  ): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      if (error instanceof SubgraphRefusal) return { errors: error.errors };
      throw error;
    }
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Only a client's operation carries a caller; health checks and schema loading have none to pass on.
    if (!('incomingRequestContext' in options)) return;
    const { request, context } = options;
    if (!context.caller || !context.authorization) return;
    request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set('x-purpose', context.caller.purpose);
    request.http?.headers.set('x-request-id', context.caller.requestId);
    if (context.correlationId) request.http?.headers.set('x-correlation-id', context.correlationId);
    const statement = await context.statements?.forFetch(this.subgraph, request.variables);
    if (statement) request.http?.headers.set(GRANT_HEADER, statement);
  }
}

/** Tells the client the request id its records carry (`X-Request-Id`), and echoes its correlation id. */
function requestIdPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart({ contextValue }) {
      return Promise.resolve({
        willSendResponse({ response }) {
          if (contextValue.caller) response.http.headers.set('x-request-id', contextValue.caller.requestId);
          if (contextValue.correlationId) response.http.headers.set('x-correlation-id', contextValue.correlationId);
          return Promise.resolve();
        },
      });
    },
  };
}

/** True for a request that asks only for the schema (`__schema`, `__type`), as Apollo Sandbox does. */
function isSchemaOnly(body: unknown): boolean {
  const query = (body as { query?: unknown } | undefined)?.query;
  return typeof query === 'string' && isSchemaOnlyDocument(query);
}

/** True for a document that asks only for the schema (`__schema`, `__type`). */
function isSchemaOnlyDocument(query: string): boolean {
  try {
    const document = parse(query, { maxTokens: REQUEST_LIMITS.tokens });
    return document.definitions.every(
      (d) =>
        d.kind === Kind.FRAGMENT_DEFINITION ||
        (d.kind === Kind.OPERATION_DEFINITION &&
          d.operation === OperationTypeNode.QUERY &&
          d.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'))),
    );
  } catch {
    return false;
  }
}

/** The Apollo configuration the hub's gateway and the benchmark's bare federation baseline share. */
export interface GatewayServerOptions {
  supergraphSdl: string;
  /** Where each subgraph listens; overrides the URLs written in the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** `SUBGRAPH_TIMEOUT_MS`: a subgraph fetch with no complete answer by then is aborted. @default 10000 */
  subgraphTimeoutMs?: number;
  development: boolean;
  /**
   * What Apollo Sandbox at `/graphql` opens with in development: an example operation, its variables and the
   * headers (a demo token and its purpose), as the explorer's picker fills them.
   */
  sandbox?: { document: string; variables?: Record<string, unknown>; headers: Record<string, string> };
  /** Answers introspection outside development too, for the explorer when it is configured (`EXPLORER=on`). @default development */
  introspection?: boolean;
  /** Plugins the hub adds in front of federation (the operation guard); the bare baseline adds none. */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /** Bounds every request before it runs; `buildGateway` gives one, the bare baseline none. */
  limiter?: RequestLimiter;
  /** Called when the gateway has loaded the supergraph and can plan queries (`/health/ready`). */
  onSupergraphLoaded?: () => void;
}

export interface GatewayOptions extends GatewayServerOptions {
  verifier: TokenVerifier;
  /** Serves the consent officers' console at `/console` beside `/graphql`. */
  console?: Omit<ConsoleRouteOptions, 'agencies'>;
  /** Serves the developers' explorer (GraphiQL, bundled) at `/explorer`; off when not given. */
  explorer?: Omit<ExplorerRouteOptions, 'agencies'>;
  /**
   * The trusted documents per agency (`trusted-documents/`, `TRUSTED_DOCUMENTS`): registered hashes are resolved,
   * and with `enforce` every other document is refused before it runs. @default none: every document runs
   */
  trustedDocuments?: Omit<TrustedDocumentsOptions, 'allowSchemaOnly'>;
  /** Who may read `/metrics` (`METRICS_TOKEN`), and whether the process's own figures are included. @default open, without process figures */
  metrics?: { access: MetricsAccess; processMetrics?: boolean };
  /**
   * Asks the consent registry once per request for a signed statement that the gateway passes to every
   * fetch (`gateway/consent-statements.ts`). @default none: each data subgraph asks the registry itself
   */
  consentStatements?: StatementFetcher;
}

/** Root field names are unique across the supergraph, so one lookup over every subgraph's table finds its rule. */
function ruleOfRootField(operation: string): OperationRule | undefined {
  for (const name of SUBGRAPHS) {
    const rule = OPERATIONS[name][operation];
    if (rule) return rule;
  }
  return undefined;
}

export interface BuiltGateway {
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** What `/metrics` serves. */
  metrics: PartMetrics;
  stop(): Promise<void>;
}

/**
 * The started Apollo gateway server, as Verbund configures it for throughput: no inline tracing, subgraph
 * fetches over `node:http` keep-alive connections with a socket limit, Apollo's query plan cache. It authenticates nobody:
 * `buildGateway` puts authentication in front of it, and `npm run bench` serves the bare federation
 * baseline with it alone, so that both measure exactly the same gateway configuration.
 */
export async function startGatewayServer(options: GatewayServerOptions): Promise<ApolloServer<GatewayContext>> {
  // @apollo/gateway otherwise sends usage metrics to Apollo and probes cloud metadata endpoints. A hub of
  // social data talks to no third party; the switch is read when the gateway is constructed.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: apolloLogger('gateway'),
    // A request's signed consent statements are asked for only when its plan fetches from two data subgraphs.
    experimental_didResolveQueryPlan: ({ queryPlan, requestContext }) => {
      const statements = (requestContext.context as GatewayContext).statements;
      if (statements) statements.dataFetches = dataFetchesOf(queryPlan.node);
    },
    buildService: ({ name }) =>
      new PropagatingDataSource(
        name,
        options.subgraphUrls[name as SubgraphName],
        options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS,
      ),
  });
  if (options.onSupergraphLoaded) gateway.onSchemaLoadOrUpdate(options.onSupergraphLoaded);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    logger: apolloLogger('gateway'),
    introspection: options.introspection ?? options.development,
    // The launcher and main files own shutdown; Apollo's own signal handlers would race them.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: options.development,
    formatError: createErrorFormatter({
      development: options.development,
      log: (err) => gatewayLog.error('internal error, masked for the client', { err }),
    }),
    plugins: [
      ...(options.limiter ? [options.limiter.plugin()] : []),
      ApolloServerPluginInlineTraceDisabled(),
      options.development
        ? ApolloServerPluginLandingPageLocalDefault({
            embed: {
              runTelemetry: false,
              initialState: { sharedHeaders: options.sandbox?.headers, pollForSchemaUpdates: false },
            },
            includeCookies: false,
            document: options.sandbox?.document,
            variables: options.sandbox?.variables,
            headers: options.sandbox?.headers,
          })
        : ApolloServerPluginLandingPageDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();
  return server;
}

/**
 * Builds the gateway over a supergraph composed ahead of time. It refuses unauthenticated requests and
 * forbidden purposes before any subgraph is asked; the subgraphs check again and decide field by field.
 */
export async function buildGateway(options: GatewayOptions): Promise<BuiltGateway> {
  // Before Apollo parses, validates or plans: nothing of a request over the limits reaches a subgraph.
  const limiter = new RequestLimiter(REQUEST_LIMITS);
  // Root fields the caller's role, purpose or agency can never use are refused here, before any subgraph is
  // asked, so no subgraph releases (and logs) fields of a response the gateway would then throw away.
  let supergraph = 'not loaded';
  const metrics = new PartMetrics('gateway', options.metrics?.access ?? { openWithoutToken: true }, {
    processMetrics: options.metrics?.processMetrics,
  });
  const server = await startGatewayServer({
    ...options,
    limiter,
    plugins: [
      metricsPlugin(metrics, (name) => ruleOfRootField(name) !== undefined),
      tracingPlugin((document, operation) =>
        rootOperations(document, operation).filter((name) => ruleOfRootField(name) !== undefined),
      ),
      operationGuardPlugin(ruleOfRootField),
      requestIdPlugin(),
      clientPathsPlugin(options.supergraphSdl),
    ],
    onSupergraphLoaded: () => void (supergraph = 'loaded'),
  });
  // Ready once the supergraph is loaded, and no longer once the gateway stops. Whether each subgraph answers
  // is not the gateway's readiness: it serves the others' fields and names the missing one.
  const ready = () =>
    checkReadiness({ supergraph: () => Promise.resolve(supergraph === 'loaded' ? undefined : supergraph) });
  // Trusted documents need the caller's agency before anything runs: the token is verified once, here, and the
  // context takes the caller from here; a token that fails is refused by the context as always.
  const callers = new WeakMap<IncomingMessage, Caller>();
  const trustedDocuments = options.trustedDocuments && {
    ...options.trustedDocuments,
    // The explorer (EXPLORER=on) reads the schema; a schema tells nothing about persons.
    allowSchemaOnly: (options.introspection ?? options.development) ? isSchemaOnlyDocument : undefined,
  };
  const admit =
    trustedDocuments &&
    (async (req: IncomingMessage, body: unknown, search: URLSearchParams) => {
      const caller = await authenticate(options.verifier, req.headers).catch(() => undefined);
      if (caller) callers.set(req, caller);
      return admitDocument(trustedDocuments, caller?.agency.id, body, search);
    });
  const graphql = createGraphQLHandler({
    server,
    admit,
    context: async (req, body) => {
      if (!req.headers.authorization && options.development && isSchemaOnly(body)) return {};
      const caller = callers.get(req) ?? (await authenticate(options.verifier, req.headers));
      // The gateway issues every request id itself, unique, so no client can make two requests share one (and
      // so share disclosure records); a client's own X-Request-Id travels beside it as a correlation id.
      const correlationId =
        typeof req.headers['x-request-id'] === 'string' && caller.requestId === req.headers['x-request-id']
          ? caller.requestId
          : undefined;
      const requestId = randomUUID();
      setRequestId(requestId);
      const authorization = req.headers.authorization!;
      const identified = { ...caller, requestId };
      const statements =
        options.consentStatements && RequestStatements.admits(identified)
          ? new RequestStatements(identified, authorization, options.consentStatements)
          : undefined;
      return { caller: identified, correlationId, authorization, statements };
    },
    limiter,
    metrics,
  });
  const consoleRoute =
    options.console && createConsoleRoute({ ...options.console, agencies: options.verifier.agencies });
  const serveConsole: Serve = async (req, res) => void (await consoleRoute!(req, res));
  const explorerRoute =
    options.explorer && createExplorerRoute({ ...options.explorer, agencies: options.verifier.agencies });
  const serveExplorer: Serve = async (req, res) => void (await explorerRoute!(req, res));
  return {
    // The gateway's one route table: the console, the explorer, health, metrics and GraphQL.
    handler: serveRoutes([
      ...(consoleRoute ? ['/console', '/console/*'].map((path) => route(path, serveConsole)) : []),
      ...(explorerRoute ? ['/explorer', '/explorer/*'].map((path) => route(path, serveExplorer)) : []),
      ...partRoutes({ ready, metrics }),
      route('/graphql', graphql),
    ]),
    metrics,
    stop: () => {
      supergraph = 'not loaded (the gateway is stopping)';
      return server.stop();
    },
  };
}
