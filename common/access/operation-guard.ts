import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Caller, SubgraphName } from '../domain.js';
import { ErrorCode } from '../errors.js';
import { requireId, requirePersonId } from '../validation.js';
import type { AccessContext, WriteScopeCheck, WriteTarget } from './access-context.js';
import { OPERATIONS, operationRefusal, type OperationRule, type WriteScope } from './operations.js';

function refusal(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden, field, http: { status: 403 } } });
}

/**
 * The root fields an operation selects, through inline fragments and fragment spreads, as
 * `Query.<field>` or `Mutation.<field>`; introspection fields (`__schema`, `__typename`) are left out.
 */
export function rootOperations(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const type =
    operation.operation === OperationTypeNode.MUTATION
      ? 'Mutation'
      : operation.operation === OperationTypeNode.QUERY
        ? 'Query'
        : 'Subscription';
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) names.add(`${type}.${selection.name.value}`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return [...names];
}

/**
 * Throws the refusal (HTTP 403, `FORBIDDEN`) of the first root field of `operation` that the caller's role,
 * purpose or agency may not use. `rules` finds an operation's rule.
 */
export function refuseOperation(
  rules: (operation: string) => OperationRule | undefined,
  caller: Caller,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  development = false,
): void {
  for (const name of rootOperations(document, operation)) {
    // `_entities` is checked per entity type as each representation is resolved.
    if (name === 'Query._entities') continue;
    const why = operationRefusal(rules(name), caller, name, development);
    if (why) throw refusal(`Refused before it ran: ${why}`, name);
  }
}

/**
 * Refuses, before anything runs, an operation whose root fields the caller's role, purpose or agency may
 * not use (`refuseOperation`). `rules` finds an operation's rule; the subgraph passes its own table, the
 * gateway the union of all (root field names are unique across the supergraph).
 */
export function operationGuardPlugin(
  rules: (operation: string) => OperationRule | undefined,
  development = false,
): ApolloServerPlugin<{ caller?: Caller }> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ contextValue, document, operation }) {
          const caller = contextValue.caller;
          if (!caller || !operation) return Promise.resolve();
          refuseOperation(rules, caller, document, operation, development);
          return Promise.resolve();
        },
      });
    },
  };
}

/** The rule of one operation of one subgraph. */
export function ruleOf(subgraph: SubgraphName, operation: string): OperationRule | undefined {
  return OPERATIONS[subgraph][operation];
}

/** Wraps each `__resolveReference` so that an entity type is resolved only for callers its rule admits. */
export function guardReferences<Context extends AccessContext>(
  subgraph: SubgraphName,
  references: Record<string, (reference: Record<string, unknown>, context: Context) => unknown>,
): Record<string, (reference: Record<string, unknown>, context: Context) => unknown> {
  return Object.fromEntries(
    Object.entries(references).map(([type, resolve]) => [
      type,
      (reference: Record<string, unknown>, context: Context) => {
        const why = operationRefusal(ruleOf(subgraph, `Entity.${type}`), context.caller, `Entity.${type}`);
        // Rejected rather than thrown, so that only this representation's entry fails, not the whole list.
        if (why) return Promise.reject(refusal(`Refused: ${why}`, `Entity.${type}`));
        // A malformed key (BAD_USER_INPUT) fails this representation's entry only, as a refusal does.
        return new Promise((settle) => settle(resolve(reference, context)));
      },
    ]),
  );
}

/** The person or record a mutation's arguments name; a malformed id is the caller's mistake. */
export function writeTarget(args: Record<string, unknown>): WriteTarget {
  const input = (args.input ?? {}) as Record<string, unknown>;
  const personId = args.personId ?? input.personId;
  const recordId = args.id ?? input.id;
  const target: WriteTarget = {};
  if (typeof personId === 'string')
    target.personId = requirePersonId(personId, args.personId !== undefined ? 'personId' : 'input.personId');
  if (typeof recordId === 'string') target.recordId = requireId(recordId, args.id !== undefined ? 'id' : 'input.id');
  return target;
}

/**
 * Wraps every mutation so that, before it runs, the person or record it names is checked against the write
 * scope its rule declares (in the mutation's transaction, when the change log opened one). A mutation
 * without a rule, or whose scope this subgraph does not implement, stops the subgraph from being built.
 */
export function guardWrites<Context extends AccessContext>(
  subgraph: SubgraphName,
  mutations: Record<string, unknown>,
  scopes: Partial<Record<WriteScope, WriteScopeCheck<Context>>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(mutations).map(([field, resolver]) => {
      const rule = ruleOf(subgraph, `Mutation.${field}`);
      if (!rule?.writes)
        throw new Error(`${subgraph}: Mutation.${field} declares no write scope in common/access/operations.ts`);
      const check = scopes[rule.writes];
      if (!check)
        throw new Error(
          `${subgraph}: Mutation.${field} writes over ${rule.writes}, which the ${subgraph} subgraph does not check`,
        );
      const resolve = (
        typeof resolver === 'function'
          ? resolver
          : (resolver as { resolve: GraphQLFieldResolver<unknown, unknown> }).resolve
      ) as GraphQLFieldResolver<unknown, Context>;
      const guarded: GraphQLFieldResolver<unknown, Context> = async (root, args, context, info) => {
        const why = operationRefusal(rule, context.caller, `Mutation.${field}`);
        if (why) throw refusal(`Refused: ${why}`, `Mutation.${field}`);
        await check(context, writeTarget(args as Record<string, unknown>), field);
        return resolve(root, args, context, info);
      };
      return [field, guarded];
    }),
  );
}

/**
 * Checks at build time that the table and the schema agree: every root field and entity type of the
 * subgraph has a rule, and every rule names something the schema has. A new operation cannot forget its check.
 */
export function checkOperationTable(
  subgraph: SubgraphName,
  schema: GraphQLSchema,
  entityTypes: string[],
  lookups: string[] = [],
): void {
  const lookupRules = Object.keys(OPERATIONS[subgraph]).filter((name) => name.startsWith('Lookup.'));
  const served = lookups.map((name) => `Lookup.${name}`);
  const unruled = served.filter((name) => !lookupRules.includes(name));
  const unserved = lookupRules.filter((name) => !served.includes(name));
  if (unruled.length || unserved.length) {
    throw new Error(
      `The ${subgraph} subgraph's lookups and common/access/operations.ts disagree:` +
        (unruled.length ? ` no rule for ${unruled.join(', ')};` : '') +
        (unserved.length ? ` rules for lookups it does not serve: ${unserved.join(', ')}` : ''),
    );
  }
  const declared = new Set(
    Object.keys(OPERATIONS[subgraph]).filter((name) => !name.startsWith('Audit.') && !name.startsWith('Lookup.')),
  );
  const present = new Set<string>();
  for (const [type, root] of [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
  ] as const) {
    if (!root || !isObjectType(root)) continue;
    for (const name of Object.keys(root.getFields())) if (name !== '_entities') present.add(`${type}.${name}`);
  }
  present.add('Query._service');
  for (const type of entityTypes) present.add(`Entity.${type}`);
  const missing = [...present].filter((name) => !declared.has(name));
  const stale = [...declared].filter((name) => !present.has(name));
  if (missing.length || stale.length) {
    throw new Error(
      `The ${subgraph} subgraph and common/access/operations.ts disagree:` +
        (missing.length ? ` no rule for ${missing.join(', ')};` : '') +
        (stale.length ? ` rules for operations it does not have: ${stale.join(', ')}` : ''),
    );
  }
}
