import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { loadSubgraphDefinition } from './index.js';
import { buildFederatedSchema } from '../common/subgraph/schema.js';
import { withAccessDescriptions } from '../common/subgraph/access-descriptions.js';
import type { PolicyData } from '../common/policy/access-rules.js';
import { loadAgencyList } from '../common/policy/agencies.js';
import { loadShippedCatalogue } from '../common/policy/statutes.js';

/** Each subgraph's SDL and the supergraph composed from them. */
export interface Composition {
  subgraphs: Record<SubgraphName, string>;
  supergraph: string;
}

/** The policy data the subgraphs decide with: the shipped statute catalogue and the demo district's agencies. */
export function shippedPolicy(): PolicyData {
  return { catalogue: loadShippedCatalogue(), agencies: loadAgencyList() };
}

/**
 * Composes the supergraph from the subgraphs' code, as `npm run compose` writes it to `schema/`; every gated
 * field's description says who may see it, generated from `policy`.
 */
export async function composeSupergraph(
  urls: Record<SubgraphName, string>,
  policy: PolicyData = shippedPolicy(),
): Promise<Composition> {
  const subgraphs = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPHS) {
    const { sdl } = await buildFederatedSchema(await loadSubgraphDefinition(name));
    subgraphs[name] = withAccessDescriptions(sdl, policy);
  }
  const result = composeServices(
    SUBGRAPHS.map((name) => ({ name, url: urls[name], typeDefs: parse(subgraphs[name]) })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return { subgraphs, supergraph: result.supergraphSdl };
}
