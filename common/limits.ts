import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { ErrorCode } from './errors.js';

/**
 * What one request may ask of the hub. The gateway and every subgraph apply the same limits before a
 * request runs, so a subgraph reached directly is bounded exactly as through the gateway; the gateway's own
 * subgraph fetches (an `_entities` fetch of a 500-person caseload, a consent lookup) stay well inside them.
 */
export interface RequestLimits {
  /** Bytes of one HTTP request body. @default 131_072 */
  bodyBytes: number;
  /** Lexical tokens of the GraphQL document; a name or a string is one token. @default 2_000 */
  tokens: number;
  /** Fields nested in one another, counted through fragments; introspection (`__schema`, `__type`) is not. @default 8 */
  depth: number;
  /** Aliased fields in the operation, fragments expanded where they are spread. @default 30 */
  aliases: number;
  /** Field selections in the operation, fragments expanded where they are spread. @default 1_000 */
  fields: number;
  /** Entries of the longest list in an argument or a variable (ids, `_entities` representations). @default 1_000 */
  listArgument: number;
  /** The estimated cost (see `measureQuery`). @default 150_000 */
  cost: number;
  /** The size assumed for a list that is neither paged by `first` nor sized by a list argument. @default 10 */
  defaultListSize: number;
}

/**
 * The gateway's limits, about twice the largest legitimate request measured (docs/consent-and-policy.md, "Request limits"): a
 * consent officer's page of 500 log records costs about 68,500, a caseload page of 500 persons (the most
 * `requirePage` allows) with the bench's fields from every subgraph about 37,500, a person view 75, a trend of
 * three periods of every indicator 660; no legitimate query is deeper than 4, has more than 3 aliases, 174
 * fields or 314 tokens (Apollo Sandbox's introspection: 183).
 */
export const REQUEST_LIMITS: Readonly<RequestLimits> = Object.freeze({
  bodyBytes: 131_072,
  tokens: 2_000,
  depth: 8,
  aliases: 30,
  fields: 1_000,
  listArgument: 1_000,
  cost: 150_000,
  defaultListSize: 10,
});

/**
 * A subgraph's limits: the gateway's, with room for what the gateway adds to the fetches of a request it
 * admitted. It writes out fragments the client spread (more tokens and fields) and asks for `__typename` and
 * the key of every entity (a little more cost per entity). Its largest legitimate fetches are an `_entities`
 * fetch of a 500-person caseload (about 30 KB of representations; every field a data subgraph has for those
 * persons costs at most 119,000) and a consent lookup of up to 1,000 persons (cost 9,001).
 */
export const SUBGRAPH_REQUEST_LIMITS: Readonly<RequestLimits> = Object.freeze({
  ...REQUEST_LIMITS,
  tokens: 10_000,
  fields: 2_000,
  cost: 200_000,
});

/** Which limit a request exceeded, as `extensions.limit` names it. */
export type LimitName = Exclude<keyof RequestLimits, 'defaultListSize'>;

const DESCRIPTION: Record<LimitName, string> = {
  bodyBytes: 'the request body in bytes',
  tokens: 'the number of tokens in the document',
  depth: 'the depth of nested fields',
  aliases: 'the number of aliases',
  fields: 'the number of fields (fragments expanded)',
  listArgument: 'the length of a list argument or variable',
  cost: 'the estimated cost',
};

/**
 * A request refused before it ran: `QUERY_TOO_COMPLEX` (HTTP 400), or `REQUEST_TOO_LARGE` (HTTP 413) for the
 * body. The message names the limit, the allowed maximum and the actual value; so do the extensions.
 */
export function limitExceeded(limit: LimitName, max: number, actual: number | string): GraphQLError {
  const code = limit === 'bodyBytes' ? ErrorCode.RequestTooLarge : ErrorCode.QueryTooComplex;
  return new GraphQLError(
    `Request refused before it ran: ${DESCRIPTION[limit]} is ${actual}, at most ${max} allowed (limit "${limit}")`,
    {
      extensions: { code, limit, max, actual, http: { status: limit === 'bodyBytes' ? 413 : 400 } },
    },
  );
}

/** What a query asks for, as the limits measure it. */
export interface QueryMeasure {
  depth: number;
  aliases: number;
  fields: number;
  cost: number;
  listArgument: number;
}

interface SetMeasure {
  depth: number;
  aliases: number;
  fields: number;
  cost: number;
}

const ZERO: SetMeasure = { depth: 0, aliases: 0, fields: 0, cost: 0 };
/** Arguments that page a list: the list costs their value. */
const PAGE_ARGUMENTS = ['first', 'last', 'limit'];
/** Beyond this, a cost is only "too much"; keeping it finite keeps the arithmetic exact enough to report. */
const COST_CEILING = Number.MAX_SAFE_INTEGER;

type Variables = Readonly<Record<string, unknown>>;

function valueOf(node: ValueNode, variables: Variables): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.LIST:
      return node.values;
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.NULL:
    case Kind.ENUM:
    case Kind.OBJECT:
      return undefined;
  }
}

function listLength(node: ValueNode, variables: Variables): number | undefined {
  const value = valueOf(node, variables);
  return Array.isArray(value) ? value.length : undefined;
}

/** The longest array anywhere in a JSON value: variables can nest lists in input objects. */
function longestArray(value: unknown, depth = 0): number {
  if (depth > 64 || value === null || typeof value !== 'object') return 0;
  const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  let longest = Array.isArray(value) ? value.length : 0;
  for (const item of items) longest = Math.max(longest, longestArray(item, depth + 1));
  return longest;
}

/** What a document says by itself, whatever the variables: its longest list literal and the variables it reads. */
interface DocumentFacts {
  /** The longest list literal anywhere in the document: arguments, directive arguments, variable defaults. */
  longestListLiteral: number;
  /** The name of every variable the document uses, once each. */
  variables: string[];
}

function documentFacts(document: DocumentNode): DocumentFacts {
  let longest = 0;
  const variables = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const record = node as { kind?: string; values?: unknown[]; name?: { value?: unknown }; loc?: unknown };
    if (record.kind === Kind.LIST) longest = Math.max(longest, record.values?.length ?? 0);
    if (record.kind === Kind.VARIABLE && typeof record.name?.value === 'string') variables.add(record.name.value);
    for (const [key, child] of Object.entries(record)) if (key !== 'loc') walk(child);
  };
  walk(document.definitions);
  return { longestListLiteral: longest, variables: [...variables] };
}

/**
 * How many items a list field is expected to return: its `first` (or `last`, `limit`) argument, else the
 * schema's default for it, else the length of a list argument (ids, `_entities` representations), else
 * `inherited` (the `first` of a page object above it), else `defaultListSize`.
 */
function sizeFromArguments(
  field: GraphQLField<unknown, unknown> | undefined,
  node: FieldNode,
  variables: Variables,
): number | undefined {
  for (const name of PAGE_ARGUMENTS) {
    const argument = node.arguments?.find((a) => a.name.value === name);
    const value = argument ? valueOf(argument.value, variables) : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
    const fallback = field?.args.find((a) => a.name === name)?.defaultValue;
    if (typeof fallback === 'number') return Math.max(0, fallback);
  }
  let longest: number | undefined;
  for (const argument of node.arguments ?? []) {
    const length = listLength(argument.value, variables);
    if (length !== undefined) longest = Math.max(longest ?? 0, length);
  }
  return longest;
}

/** The field `name` of `type`, the introspection fields included; undefined for an unknown field. */
function fieldOf(
  schema: GraphQLSchema,
  type: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (type && type === schema.getQueryType() && name === '__schema') return SchemaMetaFieldDef;
  if (type && type === schema.getQueryType() && name === '__type') return TypeMetaFieldDef;
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
}

/**
 * Measures a parsed document against a schema, before validation and without executing it: for each
 * operation its depth, aliases, fields and estimated cost, and the longest list argument of the request.
 * The largest value over all operations counts.
 *
 * The cost counts every field once, times the size of every list it sits in: a list field costs
 * `1 + size × (cost of its selection)`, so nested lists multiply. A list's size is its `first` argument (or
 * the schema's default `first`), else the length of its list argument (`_entities(representations)`,
 * `consentGrants(personIds)`), else `defaultListSize`; a non-list field with `first` (a page object) passes
 * its `first` to the lists below it. Lists of scalars cost 1. Fragments are measured once each and added
 * where they are spread, so neither spreading one fragment many times nor a chain of fragments spreading
 * each other escapes the count, and the walk stays linear in the document. A fragment cycle counts nothing
 * here; validation refuses it afterwards.
 */
export function measureQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Variables = {},
  defaultListSize: number = REQUEST_LIMITS.defaultListSize,
): QueryMeasure {
  return {
    ...measureOperations(schema, document, variables, defaultListSize),
    listArgument: Math.max(documentFacts(document).longestListLiteral, longestArray(variables)),
  };
}

/**
 * The largest depth, aliases, fields and cost of the document's operations. The variables count only where
 * an argument is a variable: a number there (`first: $n`) or the length of a list (`personIds: $ids`), never
 * anything else about them (`variableShape`).
 */
function measureOperations(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Variables,
  defaultListSize: number,
): SetMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, SetMeasure>();
  const visiting = new Set<string>();

  const measureSet = (
    set: SelectionSetNode,
    type: GraphQLNamedType | undefined,
    inherited: number | undefined,
  ): SetMeasure => {
    const total = { ...ZERO };
    const add = (part: SetMeasure, depthOffset: number) => {
      total.depth = Math.max(total.depth, part.depth + depthOffset);
      total.aliases += part.aliases;
      total.fields += part.fields;
      total.cost = Math.min(COST_CEILING, total.cost + part.cost);
    };
    for (const selection of set.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value;
          const field = fieldOf(schema, type, name);
          const fieldType = field?.type;
          const isList = fieldType !== undefined && isListType(getNullableType(fieldType));
          const own = sizeFromArguments(field, selection, variables);
          const children = selection.selectionSet
            ? measureSet(selection.selectionSet, fieldType && getNamedType(fieldType), isList ? undefined : own)
            : ZERO;
          const size = isList && selection.selectionSet ? (own ?? inherited ?? defaultListSize) : 1;
          const introspection = name === '__schema' || name === '__type';
          // `__typename` costs nothing to resolve; the gateway adds it to every entity it fetches.
          const ownCost = name === '__typename' ? 0 : 1;
          add(
            {
              depth: introspection ? 0 : 1 + children.depth,
              aliases: (selection.alias ? 1 : 0) + children.aliases,
              fields: 1 + children.fields,
              cost: Math.min(COST_CEILING, ownCost + size * children.cost),
            },
            0,
          );
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
          add(measureSet(selection.selectionSet, condition ?? undefined, inherited), 0);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const key = `${name}\u0000${inherited ?? ''}`;
          const fragment = fragments.get(name);
          if (!fragment || visiting.has(name)) break;
          let measured = memo.get(key);
          if (!measured) {
            visiting.add(name);
            measured = measureSet(
              fragment.selectionSet,
              schema.getType(fragment.typeCondition.name.value) ?? undefined,
              inherited,
            );
            visiting.delete(name);
            memo.set(key, measured);
          }
          add(measured, 0);
          break;
        }
      }
    }
    return total;
  };

  const result: SetMeasure = { ...ZERO };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const measured = measureSet(
      definition.selectionSet,
      schema.getRootType(definition.operation) ?? undefined,
      undefined,
    );
    result.depth = Math.max(result.depth, measured.depth);
    result.aliases = Math.max(result.aliases, measured.aliases);
    result.fields = Math.max(result.fields, measured.fields);
    result.cost = Math.max(result.cost, measured.cost);
  }
  return result;
}

/** Counts the document's tokens, for the message of a document that has too many. */
function countTokens(source: string): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A lexical error ends the count; the document is refused for its tokens all the same.
  }
  return count;
}

/**
 * Admits a GraphQL request or throws the first limit it exceeds (tokens, list arguments, depth, aliases,
 * fields, cost, in this order). It parses with `maxTokens`, so a flood of tokens costs no more than reading
 * the limit's worth; a document that does not parse for another reason is left to Apollo's own parser and
 * its `GRAPHQL_PARSE_FAILED`.
 */
export function admitRequest(
  schema: GraphQLSchema,
  source: string,
  variables: Variables | undefined,
  limits: Readonly<RequestLimits> = REQUEST_LIMITS,
  documents?: ParsedDocuments,
): QueryMeasure | undefined {
  let document: DocumentNode;
  try {
    document = documents?.get(source) ?? parse(source, { maxTokens: limits.tokens, noLocation: true });
    documents?.set(source, document);
  } catch (error) {
    // graphql 16 says "contains more that N tokens".
    if (error instanceof GraphQLError && /contains more th(?:an|at) \d+ tokens/.test(error.message)) {
      throw limitExceeded('tokens', limits.tokens, countTokens(source));
    }
    return undefined;
  }
  const measured = documents
    ? documents.measure(schema, document, variables ?? {}, limits.defaultListSize)
    : measureQuery(schema, document, variables ?? {}, limits.defaultListSize);
  for (const limit of ['listArgument', 'depth', 'aliases', 'fields', 'cost'] as const) {
    if (measured[limit] > limits[limit]) throw limitExceeded(limit, limits[limit], measured[limit]);
  }
  return measured;
}

/**
 * How a variable can change a document's measure: a number (a page size) or the length of a list, nothing
 * else about it (see `measureOperations`).
 */
function variableShape(value: unknown): string {
  if (typeof value === 'number') return `n${value}`;
  return Array.isArray(value) ? `l${value.length}` : '-';
}

/** What `ParsedDocuments` knows of one document: its facts, and its measures by schema and variable shapes. */
interface MeasuredDocument extends DocumentFacts {
  schema?: GraphQLSchema;
  defaultListSize?: number;
  byShape: Map<string, SetMeasure>;
}

/** Measures kept per document: more variable shapes than this (lists of every length) forget the oldest. */
const MAX_SHAPES = 64;

/**
 * Documents already parsed within the token limit, by their text: the gateway sends a subgraph the same few
 * documents (its query plans' fetches) and a client its own few, so each is parsed once, not per request.
 * Measuring is kept too, by what of the variables it reads (`measure`). Bounded in entries and in the
 * length of each text; the oldest entry goes first.
 */
export class ParsedDocuments {
  private readonly documents = new Map<string, DocumentNode>();
  /** By document object, so a measure lives exactly as long as its document does. */
  private readonly measured = new WeakMap<DocumentNode, MeasuredDocument>();

  constructor(
    private readonly maxEntries = 500,
    private readonly maxSourceLength = 16 * 1024,
  ) {}

  get(source: string): DocumentNode | undefined {
    return this.documents.get(source);
  }

  set(source: string, document: DocumentNode): void {
    if (source.length > this.maxSourceLength || this.documents.has(source)) return;
    this.documents.set(source, document);
    if (this.documents.size > this.maxEntries) this.documents.delete(this.documents.keys().next().value!);
  }

  /**
   * `measureQuery`, the same figures, without walking the document again for a request whose variables
   * read as one before (the same page sizes and list lengths where arguments are variables); the longest
   * list in the variables themselves is measured every time.
   */
  measure(schema: GraphQLSchema, document: DocumentNode, variables: Variables, defaultListSize: number): QueryMeasure {
    let known = this.measured.get(document);
    if (!known) {
      known = { ...documentFacts(document), byShape: new Map() };
      this.measured.set(document, known);
    }
    if (known.schema !== schema || known.defaultListSize !== defaultListSize) {
      known.schema = schema;
      known.defaultListSize = defaultListSize;
      known.byShape.clear();
    }
    const shape = known.variables.map((name) => variableShape(variables[name])).join(',');
    let operations = known.byShape.get(shape);
    if (!operations) {
      operations = measureOperations(schema, document, variables, defaultListSize);
      known.byShape.set(shape, operations);
      if (known.byShape.size > MAX_SHAPES) known.byShape.delete(known.byShape.keys().next().value!);
    }
    return {
      ...operations,
      listArgument: Math.max(known.longestListLiteral, longestArray(variables)),
    };
  }
}

/** The GraphQL requests of an HTTP body or query string: one, or several for a batch. */
function requestsOf(body: unknown, search: URLSearchParams): { query?: unknown; variables?: unknown }[] {
  if (Array.isArray(body)) return body as { query?: unknown; variables?: unknown }[];
  if (body !== null && typeof body === 'object') return [body];
  const variables = search.get('variables');
  let parsed: unknown;
  try {
    parsed = variables ? JSON.parse(variables) : undefined;
  } catch {
    parsed = undefined; // Apollo refuses it as a bad request.
  }
  return [{ query: search.get('query') ?? undefined, variables: parsed }];
}

/**
 * Applies limits to every GraphQL request of one server before Apollo parses, validates or plans it: an
 * expensive document is refused before validation (whose overlapping-fields check is itself quadratic at
 * worst), before any resolver, subgraph fetch or disclosure record, and before authentication. The HTTP
 * handler calls `admit` with the request's body (`common/http.ts`); the plugin keeps the schema to measure
 * against, the gateway's API schema or the subgraph's own, as it loads.
 */
export class RequestLimiter {
  private schema?: GraphQLSchema;
  private readonly documents = new ParsedDocuments();

  constructor(readonly limits: Readonly<RequestLimits> = REQUEST_LIMITS) {}

  /** Apollo Server plugin that hands the limiter the schema whenever it loads or changes. */
  plugin(): ApolloServerPlugin<BaseContext> {
    return {
      serverWillStart: async () => ({
        schemaDidLoadOrUpdate: ({ apiSchema }) => {
          this.schema = apiSchema;
        },
      }),
    };
  }

  /** Throws `limitExceeded` for the first limit a request of this body (or GET query string) exceeds. */
  admit(body: unknown, search: URLSearchParams): void {
    if (!this.schema) return; // Not started: Apollo itself refuses the request.
    for (const request of requestsOf(body, search)) {
      if (typeof request?.query !== 'string') continue;
      const variables =
        request.variables !== null && typeof request.variables === 'object'
          ? (request.variables as Variables)
          : undefined;
      admitRequest(this.schema, request.query, variables, this.limits, this.documents);
    }
  }
}
