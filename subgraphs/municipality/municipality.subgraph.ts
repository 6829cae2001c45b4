import type { SubgraphDefinition } from '../../common/subgraph/definition.js';
import { municipalityMigrations } from '../../migrations/municipality/index.js';
import { requireRegistered, targetPerson } from '../../common/access/write-scopes.js';
import { badUserInput, forbidden, notFound } from '../../common/errors.js';
import { resolveIndicatorsReference } from '../../common/monitoring/indicators.js';
import { Accommodation } from './entities/accommodation.entity.js';
import { Enrolment } from './entities/enrolment.entity.js';
import { Municipality } from './entities/municipality.entity.js';
import { Person } from './entities/person.type.js';
import { createMunicipalityLoaders, type MunicipalityLoaders } from './loaders/municipality.loaders.js';
import { AccommodationResolver } from './resolvers/accommodation.resolver.js';
import { EnrolmentResolver } from './resolvers/enrolment.resolver.js';
import { indicatorFields, IndicatorsResolver } from './resolvers/indicators.resolver.js';
import { MunicipalityResolver } from './resolvers/municipality.resolver.js';
import { PersonResolver } from './resolvers/person.resolver.js';
import { municipalitySeeder } from './seed.js';
import { ContactAssignment, StaffMember } from '../../common/integration/contact.entities.js';
import { createContactMutations, createPartnerContactsField } from '../../common/integration/contact.resolver.js';
import { ContactService } from '../../common/integration/contact.service.js';
import { HousingMatchResolver } from './resolvers/housing-match.resolver.js';
import { callerAgs, HousingService } from './services/housing.service.js';
import { resolvePersonStub } from '../../common/subgraph/person-reference.js';

/**
 * The district's municipalities, all served by this one subgraph: accommodation (HOUSING) and childcare and
 * school enrolments (CHILDCARE_SCHOOL). A municipality sees these as its own task for its current residents,
 * and writes only records of its own AGS.
 */
export const municipalitySubgraph: SubgraphDefinition<MunicipalityLoaders> = {
  name: 'municipality',
  resolvers: [
    PersonResolver,
    MunicipalityResolver,
    AccommodationResolver,
    EnrolmentResolver,
    IndicatorsResolver,
    ...indicatorFields,
    HousingMatchResolver,
    createPartnerContactsField(Person, 'municipality', 'municipalityContacts'),
    createContactMutations({ assign: 'assignMunicipalityContact', end: 'endMunicipalityContact' }),
  ],
  orphanedTypes: [Person],
  entities: [Municipality, Accommodation, Enrolment, StaffMember, ContactAssignment],
  migrations: municipalityMigrations,
  disclosureLog: true,
  references: {
    Person: resolvePersonStub,
    Municipality: (reference, ctx) => {
      if (typeof reference.ags !== 'string' || !/^\d{8}$/.test(reference.ags))
        throw badUserInput([
          { field: 'representations.ags', message: 'must be a municipality key (AGS) of eight digits' },
        ]);
      return ctx.loaders.municipality.load(reference.ags);
    },
    Indicators: (reference, ctx) => resolveIndicatorsReference(reference, ctx.caller),
  },
  createLoaders: (db) => createMunicipalityLoaders(db),
  /** A municipality's own residents are those whose current accommodation lies in it. */
  ownScope: async (db, caller, personIds) =>
    caller.agency.kind === 'municipality' && caller.agency.ags
      ? new HousingService(db.manager).currentResidents(caller.agency.ags, personIds)
      : new Set<string>(),
  holderOf: (record) => ('municipalityAgs' in record ? `municipality:${String(record.municipalityAgs)}` : undefined),
  writeScopes: {
    ASSIGNED_PERSONS: async (ctx, target, mutation) => {
      const personId = targetPerson(target, mutation);
      const registration = await requireRegistered(ctx, personId);
      const ags = callerAgs(ctx.caller);
      if (registration.assignedToCaller) return;
      if ((await new HousingService(ctx.db).currentResidents(ags, [personId])).has(personId)) return;
      throw forbidden(
        `The county has not assigned person ${personId} to municipality ${ags}; a move into another municipality follows the county's assignment`,
      );
    },
    OWN_RESIDENTS: async (ctx, target, mutation) => {
      const personId = targetPerson(target, mutation);
      await requireRegistered(ctx, personId);
      const ags = callerAgs(ctx.caller);
      if (!(await new HousingService(ctx.db).currentResidents(ags, [personId])).has(personId)) {
        throw forbidden(
          `Person ${personId} does not live in municipality ${ags}; a municipality records enrolments of its own residents`,
        );
      }
    },
    OWN_RECORDS: async (ctx, target) => {
      const own =
        target.recordId &&
        ((await ctx.db
          .getRepository(Enrolment)
          .existsBy({ id: target.recordId, municipalityAgs: callerAgs(ctx.caller) })) ||
          (await new ContactService(ctx.db).isOwn(ctx.caller, target.recordId)));
      if (!own) throw notFound(`No enrolment or contact assignment ${target.recordId} of this municipality`);
    },
  },
  seed: municipalitySeeder,
};
