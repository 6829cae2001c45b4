import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  Kind,
  OperationTypeNode,
  buildSchema,
  getNamedType,
  isObjectType,
  parse,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { GraphQLResponse } from './graphql.js';

let supergraph: GraphQLSchema | undefined;

/** The committed supergraph as a graphql-js schema, with its `@consent` and `@join__field` directives. */
function schema(): GraphQLSchema {
  supergraph ??= buildSchema(
    readFileSync(path.resolve(import.meta.dirname, '../../schema/supergraph.graphql'), 'utf8'),
    {
      assumeValidSDL: true,
    },
  );
  return supergraph;
}

/**
 * The subgraph that resolves a field: from `@join__field(graph: …)`, or, for a type only one subgraph
 * defines, from its `@join__type`; undefined where several do.
 */
function ownerOf(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string | undefined {
  const fieldJoins = field.astNode?.directives?.filter((d) => d.name.value === 'join__field') ?? [];
  const joins =
    fieldJoins.length > 0 ? fieldJoins : (type.astNode?.directives?.filter((d) => d.name.value === 'join__type') ?? []);
  if (joins.length !== 1) return undefined;
  const graph = joins[0].arguments?.find((a) => a.name.value === 'graph')?.value;
  return graph?.kind === Kind.ENUM ? graph.value.toLowerCase() : undefined;
}

/**
 * The personal fields (those with `@consent`) a client actually received, worked out from the query, the
 * supergraph and the response alone: present in the data and without an error at their path. Returned
 * as `Type.field` with the subgraph that resolves it. Independent of the disclosure log's own code, so it
 * can check that code.
 */
export function receivedPersonalFields(query: string, response: GraphQLResponse): Map<string, string | undefined> {
  const document = parse(query);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('no operation in query');
  const errorPaths = (response.errors ?? []).flatMap((e) => (e.path ? [e.path.join('.')] : []));
  // An error at the field, or a null that an error below it left behind, tells the client nothing.
  const failed = (at: string, value: unknown) =>
    errorPaths.some((e) => e === at || (value === null && e.startsWith(`${at}.`)));
  const received = new Map<string, string | undefined>();

  const walk = (
    type: GraphQLObjectType,
    selections: SelectionSetNode,
    data: Record<string, unknown>,
    at: (string | number)[],
  ) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const key = selection.alias?.value ?? name;
        const field = type.getFields()[name];
        const value = data[key];
        const fieldPath = [...at, key];
        const personal = field.astNode?.directives?.some((d) => d.name.value === 'consent');
        if (personal && value !== undefined && !failed(fieldPath.join('.'), value))
          received.set(`${type.name}.${name}`, ownerOf(type, field));
        const named = getNamedType(field.type);
        if (value === null || value === undefined || !selection.selectionSet || !isObjectType(named)) continue;
        if (Array.isArray(value)) {
          value.forEach(
            (item, i) =>
              item && walk(named, selection.selectionSet!, item as Record<string, unknown>, [...fieldPath, i]),
          );
        } else {
          walk(named, selection.selectionSet, value as Record<string, unknown>, fieldPath);
        }
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value)!;
        if (fragment.typeCondition && fragment.typeCondition.name.value !== type.name) continue;
        walk(type, fragment.selectionSet, data, at);
      }
    }
  };
  const root =
    operation.operation === OperationTypeNode.MUTATION ? schema().getMutationType()! : schema().getQueryType()!;
  if (response.data) walk(root, operation.selectionSet, response.data, []);
  return received;
}
