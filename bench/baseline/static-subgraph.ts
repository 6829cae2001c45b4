import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { gql } from 'graphql-tag';
import type { SubgraphName } from '../../common/domain.js';
import { createGraphQLHandler } from '../../common/http.js';
import { partRoutes, route, serveRoutes } from '../../common/routes.js';
import type { StaticData } from './static-data.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The id the baseline's write returns: a static object, as the issue asks. */
export const STATIC_RECORD_ID = '00000000-0000-4000-8000-000000000001';

type Resolvers = Record<string, Record<string, unknown>>;

function page<T>(items: Iterable<T>, args: { first?: number; offset?: number }): T[] {
  const all = [...items];
  const offset = args.offset ?? 0;
  return all.slice(offset, offset + (args.first ?? 50));
}

/** Resolvers that answer from memory: no token, no policy, no consent lookup, no database, no log. */
function staticResolvers(name: SubgraphName, data: StaticData): Resolvers {
  const person = (reference: { id: string }) =>
    data.persons.get(reference.id) ?? (name === 'county' ? null : { id: reference.id });
  const resolvers: Resolvers = { Person: { __resolveReference: person } };
  switch (name) {
    case 'county':
      resolvers.Query = {
        person: (_: unknown, args: { id: string }) => data.persons.get(args.id) ?? null,
        registeredPersons: (_: unknown, args: { first?: number; offset?: number }) => page(data.persons.values(), args),
      };
      break;
    case 'municipality':
      resolvers.Municipality = {
        __resolveReference: (reference: { ags: string }) => data.municipalities.get(reference.ags) ?? null,
      };
      resolvers.Query = { municipalities: () => [...data.municipalities.values()] };
      break;
    case 'jobcenter':
      resolvers.Query = {
        jobcenterCaseload: (_: unknown, args: { first?: number; offset?: number }) => page(data.persons.values(), args),
      };
      resolvers.Mutation = {
        recordEmploymentStatus: (
          _: unknown,
          args: { input: { status: string; since: string; employer?: string | null } },
        ) => ({
          id: STATIC_RECORD_ID,
          status: args.input.status,
          since: args.input.since,
          employer: args.input.employer ?? null,
        }),
      };
      break;
    case 'socialcare':
    case 'consent':
      break;
  }
  return resolvers;
}

/** A baseline subgraph built but not listening. */
export interface StaticSubgraph {
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  stop(): Promise<void>;
}

/**
 * One subgraph of the bare federation baseline: the hub subgraph's own SDL (`schema/<name>.graphql`, the
 * same shapes the supergraph was composed from), served by the same Apollo Server settings and HTTP handler
 * as the real subgraphs, but with static data and nothing of what Verbund adds.
 */
export async function buildStaticSubgraph(name: SubgraphName, data: StaticData): Promise<StaticSubgraph> {
  const sdl = await readFile(path.join(root, 'schema', `${name}.graphql`), 'utf8');
  const schema = buildSubgraphSchema({ typeDefs: gql(sdl), resolvers: staticResolvers(name, data) as never });
  const server = new ApolloServer({
    schema,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  await server.start();
  // Health and GraphQL, as the hub's own processes route them.
  const graphql = createGraphQLHandler({ server, context: async () => ({}) });
  return { handler: serveRoutes([...partRoutes({}), route('/graphql', graphql)]), stop: () => server.stop() };
}
