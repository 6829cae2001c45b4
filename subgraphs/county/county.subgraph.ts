import type { SubgraphDefinition } from '../../common/subgraph/definition.js';
import { countyMigrations } from '../../migrations/county/index.js';
import { targetPerson } from '../../common/access/write-scopes.js';
import { notFound } from '../../common/errors.js';
import { personReferenceId } from '../../common/subgraph/person-reference.js';
import { PersonService } from './services/person.service.js';
import { resolveIndicatorsReference } from '../../common/monitoring/indicators.js';
import { ClearingProfileRow, LanguageSkill, Qualification, WorkExperience } from './entities/clearing.entity.js';
import { Person } from './entities/person.entity.js';
import { Indicators } from './entities/indicators.type.js';
import { MunicipalityReference } from './entities/residence.type.js';
import { createCountyLoaders, type CountyLoaders } from './loaders/county.loaders.js';
import { CandidatePageResolver, CandidateResolver } from './resolvers/candidate.resolver.js';
import { ContactAssignment, StaffMember } from '../../common/integration/contact.entities.js';
import { createContactMutations } from '../../common/integration/contact.resolver.js';
import { ContactService } from '../../common/integration/contact.service.js';
import { ContactsResolver, withPartnerContacts } from './resolvers/contacts.resolver.js';
import { DirectoryEntry } from './entities/directory-entry.entity.js';
import { DirectoryResolver } from './resolvers/directory.resolver.js';
import { DirectoryService } from './services/directory.service.js';
import { ClearingResolver } from './resolvers/clearing.resolver.js';
import { indicatorFields } from './resolvers/indicators.resolver.js';
import { PersonResolver } from './resolvers/person.resolver.js';
import { RegistrationResolver } from './resolvers/registration.resolver.js';
import { countySeeder } from './seed.js';
import { registrationsLookup } from './services/registrations-lookup.js';

/**
 * The county: the immigration office (Ausländerbehörde), the clearing office and the integration officer.
 * It registers persons, issuing the id every partner uses, and owns IDENTITY, RESIDENCE and the clearing
 * categories.
 */
export const countySubgraph: SubgraphDefinition<CountyLoaders> = {
  name: 'county',
  resolvers: [
    PersonResolver,
    ClearingResolver,
    ...indicatorFields,
    RegistrationResolver,
    CandidatePageResolver,
    CandidateResolver,
    ContactsResolver,
    DirectoryResolver,
    createContactMutations({ assign: 'assignCountyContact', end: 'endCountyContact' }),
  ],
  orphanedTypes: [MunicipalityReference, Indicators],
  entities: [
    Person,
    ClearingProfileRow,
    LanguageSkill,
    Qualification,
    WorkExperience,
    StaffMember,
    ContactAssignment,
    DirectoryEntry,
  ],
  migrations: countyMigrations,
  disclosureLog: true,
  references: {
    Person: async (reference, ctx) => {
      const person = await ctx.loaders.person.load(personReferenceId(reference));
      // The partners' contacts the gateway brings for `contacts` (`@requires`), on a copy: the loaded row is shared.
      return person && withPartnerContacts(person, reference);
    },
    Indicators: (reference, ctx) => resolveIndicatorsReference(reference, ctx.caller),
  },
  createLoaders: (db) => createCountyLoaders(db),
  // The county is the register: it checks its own table rather than asking itself over HTTP.
  writeScopes: {
    NEW_PERSON: async () => {},
    REGISTERED_PERSONS: async (ctx, target, mutation) => {
      const personId = targetPerson(target, mutation);
      const [found] = await new PersonService(ctx.db).registrations(ctx.caller, [personId]);
      if (!found) throw notFound(`No person ${personId} is registered by the county`);
    },
    OWN_RECORDS: async (ctx, target) => {
      if (!target.recordId || !(await new ContactService(ctx.db).isOwn(ctx.caller, target.recordId))) {
        throw notFound(`No contact assignment ${target.recordId} of the county`);
      }
    },
    // A new entry becomes the caller's own; a named one must already be.
    OWN_AGENCY_ENTRIES: async (ctx, target) => {
      if (target.recordId && !(await new DirectoryService(ctx.db).isOwn(ctx.caller, target.recordId))) {
        throw notFound(`No directory entry ${target.recordId} of ${ctx.caller.agency.id}`);
      }
    },
  },
  lookups: { registrations: registrationsLookup },
  seed: countySeeder,
};
