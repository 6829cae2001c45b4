import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLError, getNamedType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../errors.js';
import type { DataSource } from 'typeorm';
import type { DisclosureLog } from '../audit/disclosure-log.js';
import { changeEntry, clientOperationName } from '../audit/request-log.js';
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

/** Builds a subgraph's schema; with `logging`, its mutations record their changes in the disclosure log. */
export async function buildFederatedSchema(definition: SubgraphDefinition<never>, logging?: ChangeLogging): Promise<BuiltSubgraphSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validate: { forbidUnknownValues: false },
  });
  const sdl = `${SCHEMA_HEADER}\n${printSchemaWithDirectives(typeGraphqlSchema)}\n`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  if (logging && resolvers.Mutation) resolvers.Mutation = recordingChanges(resolvers.Mutation, logging);
  for (const [typeName, resolveReference] of Object.entries(definition.references)) {
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: resolveReference };
  }
  const schema = buildSubgraphSchema({ typeDefs: gql(sdl), resolvers: resolvers as never });
  return { sdl, schema };
}

type Resolver = GraphQLFieldResolver<unknown, SubgraphContext>;

/** What a data subgraph's mutations need to record their changes. */
export interface ChangeLogging {
  db: DataSource;
  log: DisclosureLog;
  policyVersion: string;
}

/**
 * Runs every mutation in one transaction together with its disclosure record: who changed which record
 * (type and id) of which person, for which purpose. The change and its record commit together or not at
 * all. Every mutation of a data subgraph returns the record it wrote, which carries `personId` (or is
 * the Person itself); services that open their own transaction get a savepoint inside this one.
 */
function recordingChanges(mutations: Record<string, unknown>, logging: ChangeLogging): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(mutations).map(([field, resolver]) => {
      const resolve = (typeof resolver === 'function' ? resolver : (resolver as { resolve: Resolver }).resolve) as Resolver;
      const wrapped: Resolver = async (root, args, context, info) => {
        const runner = logging.db.createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        try {
          const result = (await resolve(root, args, { ...context, db: runner.manager }, info)) as Record<string, unknown> | null | undefined;
          const type = getNamedType(info.returnType).name;
          const personId = result?.personId ?? (type === 'Person' ? result?.id : undefined);
          if (typeof personId === 'string') {
            const record = typeof result?.id === 'string' ? `${type}:${result.id}` : type;
            const entry = changeEntry({
              access: context.access,
              operation: clientOperationName(info.operation.name?.value),
              personId,
              change: { operation: field, record },
              policyVersion: logging.policyVersion,
            });
            await logging.log.appendWithin(runner.manager, [entry]).catch((error: unknown) => {
              console.error(`disclosure log append failed; change ${field} rolled back: ${(error as Error).message}`);
              throw new GraphQLError('The disclosure log could not be written, so the change was not made. Try again later.', {
                extensions: { code: ErrorCode.DisclosureLogUnavailable },
              });
            });
          }
          await runner.commitTransaction();
          return result;
        } catch (error) {
          if (runner.isTransactionActive) await runner.rollbackTransaction();
          throw error;
        } finally {
          await runner.release();
        }
      };
      return [field, wrapped];
    }),
  );
}
