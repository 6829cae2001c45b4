import type { SubgraphName } from '../common/domain.js';
import type { SubgraphDefinition } from '../common/subgraph/definition.js';

/**
 * Loads one subgraph's definition. Each subgraph process imports only its own code, so the five stay as
 * separate as their databases.
 */
export async function loadSubgraphDefinition(name: SubgraphName): Promise<SubgraphDefinition> {
  switch (name) {
    case 'county':
      return (await import('./county/county.subgraph.js')).countySubgraph;
    case 'municipality':
      return (await import('./municipality/municipality.subgraph.js')).municipalitySubgraph;
    case 'jobcenter':
      return (await import('./jobcenter/jobcenter.subgraph.js')).jobcenterSubgraph;
    case 'socialcare':
      return (await import('./socialcare/socialcare.subgraph.js')).socialcareSubgraph;
    case 'consent':
      return (await import('./consent/consent.subgraph.js')).consentSubgraph;
  }
}
