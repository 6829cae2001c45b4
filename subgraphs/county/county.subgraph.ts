import type { SubgraphDefinition } from '../../common/subgraph/definition.js';
import { isUuid } from '../../common/errors.js';
import { CountyInitial1763700000000 } from '../../migrations/county/1763700000000-CountyInitial.js';
import { DisclosureLog1763700100000 } from '../../migrations/county/1763700100000-DisclosureLog.js';
import { ClearingProfileRow, LanguageSkill, Qualification, WorkExperience } from './entities/clearing.entity.js';
import { Person } from './entities/person.entity.js';
import { MunicipalityReference } from './entities/residence.type.js';
import { createCountyLoaders, type CountyLoaders } from './loaders/county.loaders.js';
import { ClearingResolver } from './resolvers/clearing.resolver.js';
import { PersonResolver } from './resolvers/person.resolver.js';
import { countySeeder } from './seed.js';

/**
 * The county: the immigration office (Ausländerbehörde), the clearing office and the integration officer.
 * It registers persons, issuing the id every partner uses, and owns IDENTITY, RESIDENCE and the clearing
 * categories.
 */
export const countySubgraph: SubgraphDefinition<CountyLoaders> = {
  name: 'county',
  resolvers: [PersonResolver, ClearingResolver],
  orphanedTypes: [MunicipalityReference],
  entities: [Person, ClearingProfileRow, LanguageSkill, Qualification, WorkExperience],
  migrations: [CountyInitial1763700000000, DisclosureLog1763700100000],
  disclosureLog: true,
  references: {
    Person: (reference, ctx) => (isUuid(reference.id) ? ctx.loaders.person.load(reference.id.toLowerCase()) : null),
  },
  createLoaders: (db) => createCountyLoaders(db),
  seed: countySeeder,
};
