import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { recordingChanges, type ChangeLogging } from '../audit/log/change-log.js';
import { gql } from 'graphql-tag';
import { buildSchema, createResolversMap } from 'type-graphql';
import { checkOperationTable, guardReferences, guardWrites } from '../access/operation-guard.js';
import { registeredPersons } from '../access/write-scopes.js';
import { validateArgument } from '../validation.js';
import type { SubgraphDefinition } from './definition.js';

/**
 * The federation link every subgraph declares, and `@consent`, the composed directive that names a
 * personal field's data category so that the supergraph and Sandbox show it.
 */
const SCHEMA_HEADER = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@inaccessible", "@external", "@requires", "@composeDirective"])
  @link(url: "https://verbund.example/consent/v1.0", import: ["@consent"])
  @composeDirective(name: "@consent")

"The data category of a personal field: it is released only on a legal basis for this category."
directive @consent(category: String!) on FIELD_DEFINITION
`;

/** The subgraph's SDL (as composed into the supergraph) and its executable federated schema. */
export interface BuiltSubgraphSchema {
  sdl: string;
  schema: GraphQLSchema;
}

/** Builds a subgraph's schema; with `logging`, its mutations record their changes in the disclosure log. */
export async function buildFederatedSchema(
  definition: SubgraphDefinition,
  logging?: ChangeLogging,
): Promise<BuiltSubgraphSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validateFn: validateArgument,
  });
  const sdl = `${SCHEMA_HEADER}\n${printSchemaWithDirectives(typeGraphqlSchema)}\n`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  checkOperationTable(
    definition.name,
    typeGraphqlSchema,
    Object.keys(definition.references),
    Object.keys(definition.lookups ?? {}),
  );
  // Every write is checked against its declared scope first, inside the transaction the change log opens.
  if (resolvers.Mutation) {
    resolvers.Mutation = guardWrites(definition.name, resolvers.Mutation, {
      REGISTERED_PERSONS: registeredPersons,
      ...definition.writeScopes,
    });
  }
  if (logging && resolvers.Mutation) resolvers.Mutation = recordingChanges(resolvers.Mutation, logging);
  for (const [typeName, resolveReference] of Object.entries(guardReferences(definition.name, definition.references))) {
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: resolveReference };
  }
  const schema = buildSubgraphSchema({ typeDefs: gql(sdl), resolvers: resolvers as never });
  return { sdl, schema };
}
