import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { GraphQLError, Kind, OperationTypeNode, parse } from 'graphql';
import { authenticate, type TokenVerifier } from '../common/auth/token.js';
import { operationGuardPlugin } from '../common/access/operation-guard.js';
import { OPERATIONS, type OperationRule } from '../common/access/operations.js';
import { SUBGRAPHS, type Caller, type SubgraphName } from '../common/domain.js';
import { createErrorFormatter, ErrorCode } from '../common/errors.js';
import { createGraphQLHandler } from '../common/http.js';
import { createHttpFetcher } from '../common/http-fetcher.js';
import { REQUEST_LIMITS, RequestLimiter } from '../common/limits.js';
import { createConsoleRoute, type ConsoleRouteOptions } from './console-route.js';

/** The gateway's per-request context: the authenticated caller, or none for a schema-only request. */
export interface GatewayContext {
  caller?: Caller;
  authorization?: string;
}

/** One pool of keep-alive connections per subgraph, shared by every gateway of this process. */
const subgraphFetcher = createHttpFetcher();

/** Passes the caller's token, purpose and the request id to every subgraph, which decide for themselves. */
class PropagatingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
  ) {
    super({ url, fetcher: subgraphFetcher });
  }

  /** A subgraph that cannot be reached costs only its own fields; the error names it. */
  override didEncounterError(error: Error): never {
    throw new GraphQLError(`The ${this.subgraph} subgraph could not be reached; its fields are missing from this response`, {
      extensions: { code: ErrorCode.SubgraphUnavailable, serviceName: this.subgraph },
      originalError: error,
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!context.caller || !context.authorization) return;
    request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set('x-purpose', context.caller.purpose);
    request.http?.headers.set('x-request-id', context.caller.requestId);
  }
}

/** True for a request that asks only for the schema (`__schema`, `__type`), as Apollo Sandbox does. */
function isSchemaOnly(body: unknown): boolean {
  const query = (body as { query?: unknown } | undefined)?.query;
  if (typeof query !== 'string') return false;
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
  development: boolean;
  /** Plugins the hub adds in front of federation (the operation guard); the bare baseline adds none. */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /** Bounds every request before it runs; `buildGateway` gives one, the bare baseline none. */
  limiter?: RequestLimiter;
}

export interface GatewayOptions extends GatewayServerOptions {
  verifier: TokenVerifier;
  /** Serves the consent officers' console at `/console` beside `/graphql`. */
  console?: Omit<ConsoleRouteOptions, 'agencies'>;
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
    buildService: ({ name }) =>
      new PropagatingDataSource(name, options.subgraphUrls[name as SubgraphName]),
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.development,
    // The launcher and main files own shutdown; Apollo's own signal handlers would race them.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: options.development,
    formatError: createErrorFormatter({ development: options.development, log: (e) => console.error('[gateway]', e) }),
    plugins: [
      ...(options.limiter ? [options.limiter.plugin()] : []),
      ApolloServerPluginInlineTraceDisabled(),
      options.development
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
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
  const server = await startGatewayServer({ ...options, limiter, plugins: [operationGuardPlugin(ruleOfRootField)] });
  const handler = createGraphQLHandler(server, async (req, body) => {
    if (!req.headers.authorization && options.development && isSchemaOnly(body)) return {};
    const caller = await authenticate(options.verifier, req.headers);
    return { caller, authorization: req.headers.authorization };
  }, limiter);
  const consoleRoute = options.console && createConsoleRoute({ ...options.console, agencies: options.verifier.agencies });
  return {
    handler: consoleRoute ? async (req, res) => void ((await consoleRoute(req, res)) || (await handler(req, res))) : handler,
    stop: () => server.stop(),
  };
}
