/**
 * The lean path of a subgraph's queries: a request whose document is a plain query Apollo has already
 * validated (the gateway's `_entities` fetches, its root-field fetches such as the county's `person`, the
 * consent registry's check of a date of birth in the county's register) is executed with graphql-js `execute` directly
 * instead of through Apollo Server's request pipeline, with every step of that
 * pipeline that could change the answer or what is recorded done by the same code (common/metrics.ts,
 * common/tracing.ts, common/access/operation-guard.ts, the `DisclosureRecorder`).
 *
 * Why it is the same answer: the document was parsed and validated by Apollo itself, against this schema,
 * when a request first brought it (the plugin learns it only then); its variables are coerced before
 * anything runs, and a request they do not fit goes to Apollo; errors are formatted as Apollo formats them,
 * with the server's own `formatError`; the body is `JSON.stringify` of errors, data, extensions and a line
 * feed, as Apollo's; the head carries what Apollo's would: the status and headers errors ask for,
 * `cache-control: no-store` (Apollo's cache-control plugin, for a schema without cache hints) and the
 * content type. A request whose context cannot be built, or that the operation guard refuses, is handed to
 * Apollo with that outcome, so that its answer is Apollo's own. Anything else that is not a plain POST of a
 * known plain query (`isPlainQuery`), with a JSON body of nothing but `query`, `variables` and `operationName`, and
 * an `Accept` whose answer is plain JSON, goes to Apollo before anything runs.
 *
 * Not used in development: there, error responses may carry stack traces, whose frames would name this
 * path rather than Apollo's.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  BREAK,
  execute,
  getVariableValues,
  visit,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ShortcutRequest } from '../http.js';
import { writeComplete } from '../http.js';
import { refuseOperation } from '../access/operation-guard.js';
import type { OperationRule } from '../access/operations.js';
import type { DisclosureRecorder, SingleResult } from '../audit/log/disclosure.plugin.js';
import { countResponse, requestOperations, type PartMetrics } from '../metrics.js';
import { traceRequest } from '../tracing.js';
import type { SubgraphContext } from './definition.js';

/** Apollo Server's `formatError`: the formatted error as Apollo built it, and the error itself. */
export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** What the lean path needs: the same pieces the subgraph's Apollo server and its plugins are built from. */
export interface LeanPathOptions {
  schema: GraphQLSchema;
  /** The server's `formatError`. */
  formatError: FormatError;
  /** `includeStacktraceInErrorResponses` of the server, i.e. development: the lean path is off then. */
  development: boolean;
  metrics: PartMetrics;
  /** Whether a name is in the operation table (the metrics plugin's `known`). */
  known: (operation: string) => boolean;
  /** The operation guard's rules (`operationGuardPlugin`). */
  rules: (operation: string) => OperationRule | undefined;
  /** The root operations the tracing plugin names (`tracingPlugin`). */
  operationsOf: (document: DocumentNode, operation: OperationDefinitionNode) => string[];
  /** Told of an error that broke the lean path itself (answered as Apollo answers one: a masked 500). */
  onUnexpected: (error: unknown) => void;
  /** The disclosure recorder whose plugin the server runs, for data subgraphs. */
  recorder?: DisclosureRecorder;
  /** Documents kept. @default 200 */
  maxDocuments?: number;
  /** The longest query text kept, in characters. @default 16384 */
  maxSourceLength?: number;
}

interface KnownDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/** The content type Apollo answers a single result with for these `Accept` headers (none, or any JSON). */
const PLAIN_JSON_ACCEPT = new Set<string | undefined>([undefined, '*/*', 'application/json']);
const CONTENT_TYPE = 'application/json; charset=utf-8';
const BODY_KEYS = new Set(['query', 'variables', 'operationName']);
/** A `cache-control` header Apollo's cache-control plugin can parse (and then restricts to `no-store` here). */
const CACHEABLE_HEADER = /^max-age=(\d+), (public|private)$/;

/**
 * The lean path of one subgraph server: `plugin()` joins the Apollo server's plugins (it learns the
 * documents), `serve` is the HTTP handler's shortcut (common/http.ts).
 */
export class LeanPath<C extends SubgraphContext<unknown>> {
  private readonly documents = new Map<string, KnownDocument>();
  private readonly maxDocuments: number;
  private readonly maxSourceLength: number;
  private readonly enabled: boolean;
  private stopping = false;

  constructor(private readonly options: LeanPathOptions) {
    this.maxDocuments = options.maxDocuments ?? 200;
    this.maxSourceLength = options.maxSourceLength ?? 16 * 1024;
    // With cache hints in the schema, Apollo's cache-control header could say more than `no-store`.
    this.enabled = !options.development && !options.schema.getDirective('cacheControl');
  }

  /**
   * Learns each plain query Apollo parsed and validated (a request reaches this hook only then), and
   * hands every request to Apollo once the server begins to stop, which then answers as a stopping server does.
   */
  plugin(): ApolloServerPlugin<C> {
    return {
      serverWillStart: () =>
        Promise.resolve({
          serverWillStop: () => {
            this.stopping = true;
            return Promise.resolve();
          },
        }),
      requestDidStart: () =>
        Promise.resolve({
          didResolveOperation: ({ source, document, operation }) => {
            if (this.enabled && operation) this.learn(source, document, operation);
            return Promise.resolve();
          },
        }),
    };
  }

  private learn(source: string, document: DocumentNode, operation: OperationDefinitionNode): void {
    if (source.length > this.maxSourceLength || this.documents.has(source) || !isPlainQuery(document)) return;
    if (document.definitions[0] !== operation) return;
    this.documents.set(source, { document, operation });
    // The oldest goes first: a caller sending many documents costs only speed, never memory.
    if (this.documents.size > this.maxDocuments) this.documents.delete(this.documents.keys().next().value!);
  }

  /** Serves a known plain query; false, with nothing done, for anything else. */
  async serve(request: ShortcutRequest<C>): Promise<boolean> {
    const { res, apollo } = request;
    const known = this.enabled && !this.stopping ? this.knownRequest(request) : undefined;
    if (!known) {
      this.options.metrics.leanPath.inc({ path: 'apollo' });
      return false;
    }
    const { document, operation } = known;
    let contextValue: C;
    try {
      contextValue = await request.context();
    } catch (error) {
      // Unauthenticated, or a purpose not the caller's: Apollo answers and counts it, with this very error.
      this.options.metrics.leanPath.inc({ path: 'apollo' });
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the very value thrown, as Apollo would get it
      await apollo(() => Promise.reject(error));
      return true;
    }
    try {
      refuseOperation(this.options.rules, contextValue.caller, document, operation, this.options.development);
    } catch {
      // Nothing has run: Apollo refuses it as it would have, with the context already built.
      this.options.metrics.leanPath.inc({ path: 'apollo' });
      await apollo(() => Promise.resolve(contextValue));
      return true;
    }
    this.options.metrics.leanPath.inc({ path: 'lean' });
    try {
      this.answer(res, await this.run(known, contextValue));
    } catch (error) {
      if (res.headersSent) throw error;
      // Apollo's answer to a failure inside its pipeline (`internalExecuteOperation`): a masked 500, nothing released.
      this.options.onUnexpected(error);
      const head: ErrorHead = { headers: [] };
      const errors = this.format([new Error('Internal server error')], head);
      writeComplete(
        res,
        head.status ?? 500,
        [...head.headers, ['content-type', CONTENT_TYPE]],
        `${JSON.stringify({ errors })}\n`,
      );
    }
    return true;
  }

  /** Each step Apollo's pipeline takes after the context, in its order (see the module's comment). */
  private async run(
    known: KnownDocument & { variables: Record<string, unknown> | undefined },
    contextValue: C,
  ): Promise<{ head: ErrorHead; result: SingleResult }> {
    const { document, operation, variables } = known;
    const started = process.hrtime.bigint();
    const operations = requestOperations(document, operation, variables, this.options.known);
    const traced = traceRequest();
    traced?.resolved(this.options.operationsOf(document, operation));
    const executed = traced?.executing();
    const head: ErrorHead = { headers: [] };
    let result: SingleResult;
    try {
      const answer = await execute({
        schema: this.options.schema,
        document,
        contextValue,
        variableValues: variables,
        operationName: operation.name?.value,
      });
      const formatted = answer.errors ? this.format(answer.errors, head) : undefined;
      // Apollo's 400 for variables that do not fit (none reach here: they were coerced before).
      if (answer.errors?.length && answer.data === undefined && !head.status) head.status = 400;
      result = { ...answer, errors: formatted };
      executed?.();
    } catch (thrown) {
      executed?.(thrown);
      result = { errors: this.format([asGraphQLError(thrown)], head) };
      head.status ??= 500;
    }
    countResponse(this.options.metrics, operations, started, head.status ?? 200, result.errors ?? []);
    const { recorder } = this.options;
    if (recorder && contextValue.access && contextValue.journal) {
      const withheld = await recorder.release({
        access: contextValue.access,
        journal: contextValue.journal,
        result,
        operationName: operation.name?.value || null,
        operation: operation.operation,
      });
      if (withheld) result = withheld;
    }
    return { head, result };
  }

  /** Writes the response as Apollo's HTTP layer does: the head errors asked for, cache-control, content type. */
  private answer(res: ShortcutRequest<C>['res'], { head, result }: { head: ErrorHead; result: SingleResult }): void {
    const headers = new Map(head.headers.map(([name, value]) => [name.toLowerCase(), value]));
    // Apollo's cache-control plugin: nothing here is cacheable (no hints, so a maximum age of 0); it leaves
    // only a header it cannot parse as it is. No Verbund error asks for headers; this keeps Apollo's rule if one does.
    const asked = headers.get('cache-control');
    if (!asked || asked === 'no-store' || CACHEABLE_HEADER.test(asked)) headers.set('cache-control', 'no-store');
    if (!headers.has('content-type')) headers.set('content-type', CONTENT_TYPE);
    const text = `${JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions })}\n`;
    writeComplete(res, head.status, headers, text);
  }

  /** The request's known document and variables, if it is a plain POST of one whose variables fit. */
  private knownRequest({
    req,
    body,
    search,
  }: ShortcutRequest<C>): (KnownDocument & { variables: Record<string, unknown> | undefined }) | undefined {
    if (req.method !== 'POST' || search.toString() !== '') return undefined;
    if (mediaType(req.headers['content-type']) !== 'application/json') return undefined;
    if (!PLAIN_JSON_ACCEPT.has(req.headers.accept)) return undefined;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const fields = body as Record<string, unknown>;
    if (!Object.keys(fields).every((key) => BODY_KEYS.has(key))) return undefined;
    if (typeof fields.query !== 'string') return undefined;
    const known = this.documents.get(fields.query);
    if (!known) return undefined;
    const { operationName } = fields;
    if (operationName !== undefined && operationName !== null && operationName !== known.operation.name?.value)
      return undefined;
    const raw = fields.variables;
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) return undefined;
    const variables = (raw ?? undefined) as Record<string, unknown> | undefined;
    // Variables that do not fit the document: Apollo answers (400, BAD_USER_INPUT) before anything runs.
    const coerced = getVariableValues(this.options.schema, known.operation.variableDefinitions ?? [], variables ?? {}, {
      maxErrors: 1,
    });
    if ('errors' in coerced) return undefined;
    return { ...known, variables };
  }

  /** Apollo Server's `normalizeAndFormatErrors`, with this server's `formatError` (Apollo does not export it). */
  private format(errors: readonly Error[], head: ErrorHead): GraphQLFormattedError[] {
    return errors.map((error) => {
      try {
        return this.options.formatError(enrich(asGraphQLError(error), head), error);
      } catch {
        return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
    });
  }
}

/** The HTTP status and headers that errors ask for (`extensions.http`), as Apollo merges them. */
interface ErrorHead {
  status?: number;
  headers: [string, string][];
}

/** An error as Apollo hands it to `formatError`: its JSON, a code always, `extensions.http` taken out into the head. */
function enrich(error: GraphQLError, head: ErrorHead): GraphQLFormattedError {
  const extensions: Record<string, unknown> = {
    ...error.extensions,
    code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR',
  };
  const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
  if (
    !!http &&
    typeof http === 'object' &&
    (!('status' in http) || typeof http.status === 'number') &&
    (!('headers' in http) || http.headers instanceof Map)
  ) {
    if (typeof http.status === 'number' && http.status) head.status = http.status;
    if (http.headers instanceof Map)
      for (const [name, value] of http.headers as Map<string, string>) head.headers.push([name, value]);
    delete extensions.http;
  }
  return { ...error.toJSON(), extensions };
}

/** Apollo's `ensureGraphQLError` of what `execute` threw. */
function asGraphQLError(thrown: unknown): GraphQLError {
  if (thrown instanceof GraphQLError) return thrown;
  if (thrown instanceof Error) return new GraphQLError(thrown.message, { originalError: thrown });
  return new GraphQLError(`Unexpected error value: ${String(thrown)}`);
}

/** The essence of a content type (`application/json; charset=utf-8` → `application/json`). */
function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase();
}

/**
 * True for the documents the lean path may run: one query operation without directives, whose root
 * selections are fields without directives (the gateway's `_entities` and root-field fetches, a lookup in the
 * county's register), and nothing anywhere that Apollo would deliver incrementally (`@defer`, `@stream`).
 * Mutations never qualify: they keep Apollo's pipeline and their transactions as they are.
 */
function isPlainQuery(document: DocumentNode): boolean {
  if (document.definitions.length !== 1) return false;
  const [operation] = document.definitions;
  if (operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== OperationTypeNode.QUERY) return false;
  if (operation.directives?.length) return false;
  const selections = operation.selectionSet.selections;
  if (selections.length === 0) return false;
  if (!selections.every((field) => field.kind === Kind.FIELD && !field.directives?.length)) return false;
  let incremental = false;
  visit(document, {
    Directive(node) {
      if (node.name.value === 'defer' || node.name.value === 'stream') {
        incremental = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return !incremental;
}
