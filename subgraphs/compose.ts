import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { loadSubgraphDefinition } from './index.js';
import { buildFederatedSchema } from '../common/subgraph/schema.js';

/** Each subgraph's SDL and the supergraph composed from them. */
export interface Composition {
  subgraphs: Record<SubgraphName, string>;
  supergraph: string;
}

/** Composes the supergraph from the subgraphs' code, as `npm run compose` writes it to `schema/`. */
export async function composeSupergraph(urls: Record<SubgraphName, string>): Promise<Composition> {
  const subgraphs = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPHS) {
    subgraphs[name] = (await buildFederatedSchema(await loadSubgraphDefinition(name))).sdl;
  }
  const result = composeServices(
    SUBGRAPHS.map((name) => ({ name, url: urls[name], typeDefs: parse(subgraphs[name]) })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return { subgraphs, supergraph: result.supergraphSdl };
}
