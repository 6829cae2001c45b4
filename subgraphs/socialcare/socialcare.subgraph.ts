import type { SubgraphDefinition } from '../../common/subgraph/definition.js';
import { socialcareMigrations } from '../../migrations/socialcare/index.js';
import { IsNull } from 'typeorm';
import { requireRegistered, targetPerson } from '../../common/access/write-scopes.js';
import { forbidden, notFound } from '../../common/errors.js';
import { resolveIndicatorsReference } from '../../common/monitoring/indicators.js';
import { Assignment } from './entities/assignment.entity.js';
import { CaseNote } from './entities/case-note.entity.js';
import { Caseworker } from './entities/caseworker.entity.js';
import { Indicators } from './entities/indicators.type.js';
import { WelfareOrganisation } from './entities/organisation.entity.js';
import { Person } from './entities/person.type.js';
import { SpecialNeed } from './entities/special-need.entity.js';
import { Participation } from './entities/participation.entity.js';
import { SupportNeed } from './entities/support-need.entity.js';
import { createSocialcareLoaders, type SocialcareLoaders } from './loaders/socialcare.loaders.js';
import { CaseworkResolver } from './resolvers/casework.resolver.js';
import { SocialcareContactsResolver } from './resolvers/contacts.resolver.js';
import { indicatorFields } from './resolvers/indicators.resolver.js';
import { ParticipationResolver } from './resolvers/participation.resolver.js';
import { PersonResolver } from './resolvers/person.resolver.js';
import { CaseworkerResolver, SocialCareCaseResolver } from './resolvers/social-care-case.resolver.js';
import { socialcareSeeder } from './seed.js';
import { providerOf, SocialcareService } from './services/socialcare.service.js';
import { resolvePersonStub } from '../../common/subgraph/person-reference.js';

/**
 * The welfare organisations' refugee social counselling (Flüchtlingssozialarbeit, Integrationslotsen). One
 * subgraph serves all organisations; each owns SOCIAL_CARE and HEALTH for its own clients only, and its case
 * notes never leave it.
 */
export const socialcareSubgraph: SubgraphDefinition<SocialcareLoaders> = {
  name: 'socialcare',
  resolvers: [
    PersonResolver,
    SocialCareCaseResolver,
    CaseworkerResolver,
    CaseworkResolver,
    ...indicatorFields,
    SocialcareContactsResolver,
    ParticipationResolver,
  ],
  orphanedTypes: [Person, Indicators],
  entities: [WelfareOrganisation, Caseworker, Assignment, SupportNeed, SpecialNeed, CaseNote, Participation],
  migrations: socialcareMigrations,
  disclosureLog: true,
  references: {
    Person: resolvePersonStub,
    Indicators: (reference, ctx) => resolveIndicatorsReference(reference, ctx.caller),
  },
  createLoaders: (db) => createSocialcareLoaders(db),
  /** A welfare organisation's own clients are those with an open assignment at it; nobody else has any. */
  ownScope: (db, caller, personIds) =>
    caller.agency.kind === 'socialcare' && caller.agency.provider
      ? new SocialcareService(db.manager).ownClients(caller.agency.provider, personIds)
      : Promise.resolve(new Set<string>()),
  holderOf: (record) => ('organisationId' in record ? `socialcare:${String(record.organisationId)}` : undefined),
  writeScopes: {
    OWN_OR_NEW_CLIENTS: async (ctx, target, mutation) => {
      const personId = targetPerson(target, mutation);
      await requireRegistered(ctx, personId);
      // Checked again under the person's lock when the service writes.
      const open = await ctx.db.getRepository(Assignment).findOneBy({ personId, until: IsNull() });
      if (open && open.organisationId !== providerOf(ctx.caller)) {
        throw forbidden('The person is counselled by another organisation; only that organisation writes for them');
      }
    },
    OWN_RECORDS: async (ctx, target, mutation) => {
      // Each mutation over OWN_RECORDS names a record of one table: a participation, or else a support need.
      const [entity, what] = mutation.endsWith('endParticipation')
        ? [Participation, 'participation']
        : [SupportNeed, 'support need'];
      const own =
        target.recordId &&
        (await ctx.db.getRepository(entity).existsBy({ id: target.recordId, organisationId: providerOf(ctx.caller) }));
      if (!own) throw notFound(`No ${what} ${target.recordId} of your organisation`);
    },
  },
  seed: socialcareSeeder,
};
