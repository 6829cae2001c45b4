import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { getNamedType, responsePathAsArray, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { gql } from 'graphql-tag';
import { buildSchema, createResolversMap } from 'type-graphql';
import type { SubgraphContext, SubgraphDefinition } from './definition.js';

/**
 * The federation link every subgraph declares, and `@consent`, the composed directive that names a
 * personal field's data category so that the supergraph and Sandbox show it.
 */
const SCHEMA_HEADER = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@inaccessible", "@composeDirective"])
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

export async function buildFederatedSchema(definition: SubgraphDefinition<never>): Promise<BuiltSubgraphSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validate: { forbidUnknownValues: false },
  });
  const sdl = `${SCHEMA_HEADER}\n${printSchemaWithDirectives(typeGraphqlSchema)}\n`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  if (definition.disclosureLog && resolvers.Mutation) resolvers.Mutation = recordingChanges(resolvers.Mutation);
  for (const [typeName, resolveReference] of Object.entries(definition.references)) {
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: resolveReference };
  }
  const schema = buildSubgraphSchema({ typeDefs: gql(sdl), resolvers: resolvers as never });
  return { sdl, schema };
}

type Resolver = GraphQLFieldResolver<unknown, SubgraphContext>;

/**
 * Wraps every mutation so that the record it returns is noted as a change of its person for the disclosure
 * log: the operation and the record's type and id. Every mutation of a data subgraph returns the record it
 * wrote, which carries `personId` (or is the Person itself).
 */
function recordingChanges(mutations: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(mutations).map(([field, resolver]) => {
      const resolve = (typeof resolver === 'function' ? resolver : (resolver as { resolve: Resolver }).resolve) as Resolver;
      const wrapped: Resolver = async (root, args, context, info) => {
        const result = (await resolve(root, args, context, info)) as Record<string, unknown> | null | undefined;
        const type = getNamedType(info.returnType).name;
        const personId = result?.personId ?? (type === 'Person' ? result?.id : undefined);
        if (typeof personId === 'string') {
          const id = typeof result?.id === 'string' ? result.id : '';
          context.access.recordChange(personId, {
            operation: field,
            record: `${type}:${id}`,
            path: responsePathAsArray(info.path),
          });
        }
        return result;
      };
      return [field, wrapped];
    }),
  );
}
