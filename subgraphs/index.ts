import type { SubgraphName } from '../common/domain.js';
import type { SubgraphDefinition } from '../common/subgraph/definition.js';

/**
 * Loads one subgraph's definition. Each subgraph process imports only its own code, so the five stay as
 * separate as their databases.
 */
export async function loadSubgraphDefinition(name: SubgraphName): Promise<SubgraphDefinition<unknown>> {
  switch (name) {
    case 'county':
      return (await import('./county/county.subgraph.js')).countySubgraph as SubgraphDefinition<unknown>;
    case 'municipality':
      return (await import('./municipality/municipality.subgraph.js')).municipalitySubgraph as SubgraphDefinition<unknown>;
    case 'jobcenter':
      return (await import('./jobcenter/jobcenter.subgraph.js')).jobcenterSubgraph as SubgraphDefinition<unknown>;
    case 'socialcare':
      return (await import('./socialcare/socialcare.subgraph.js')).socialcareSubgraph as SubgraphDefinition<unknown>;
    case 'consent':
      return (await import('./consent/consent.subgraph.js')).consentSubgraph as SubgraphDefinition<unknown>;
  }
}
