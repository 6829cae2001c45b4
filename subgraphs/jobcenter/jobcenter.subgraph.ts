import type { SubgraphDefinition } from '../../common/subgraph/definition.js';
import { jobcenterMigrations } from '../../migrations/jobcenter/index.js';
import { notFound } from '../../common/errors.js';
import { resolveIndicatorsReference } from '../../common/monitoring/indicators.js';
import { ContactAssignment, StaffMember } from '../../common/integration/contact.entities.js';
import { createContactMutations, createPartnerContactsField } from '../../common/integration/contact.resolver.js';
import { ContactService } from '../../common/integration/contact.service.js';
import { BenefitReceipt } from './entities/benefit.entity.js';
import { IntegrationCourse } from './entities/course.entity.js';
import { EmploymentStatus, Measure } from './entities/employment.entity.js';
import { Indicators } from './entities/indicators.type.js';
import { Person } from './entities/person.type.js';
import { ClientResidence } from './entities/residence.entity.js';
import { createJobcenterLoaders, type JobcenterLoaders } from './loaders/jobcenter.loaders.js';
import { CourseResolver } from './resolvers/course.resolver.js';
import { indicatorFields } from './resolvers/indicators.resolver.js';
import { PersonResolver } from './resolvers/person.resolver.js';
import { ResidenceResolver } from './resolvers/residence.resolver.js';
import { jobcenterSeeder } from './seed.js';
import { resolvePersonStub } from '../../common/subgraph/person-reference.js';

/**
 * The jobcenter (with the employment agency): basic income support under SGB II. It owns EMPLOYMENT,
 * INTEGRATION_COURSE and BENEFITS for every person, keyed by the id the county issued.
 */
export const jobcenterSubgraph: SubgraphDefinition<JobcenterLoaders> = {
  name: 'jobcenter',
  resolvers: [
    PersonResolver,
    CourseResolver,
    ResidenceResolver,
    ...indicatorFields,
    createPartnerContactsField(Person, 'jobcenter', 'jobcenterContacts'),
    createContactMutations({ assign: 'assignJobcenterContact', end: 'endJobcenterContact' }),
  ],
  orphanedTypes: [Person, Indicators],
  entities: [
    EmploymentStatus,
    Measure,
    IntegrationCourse,
    BenefitReceipt,
    ClientResidence,
    StaffMember,
    ContactAssignment,
  ],
  migrations: jobcenterMigrations,
  disclosureLog: true,
  // The jobcenter has no person table: any well-formed id is a person it may hold records of.
  references: {
    Person: resolvePersonStub,
    Indicators: (reference, ctx) => resolveIndicatorsReference(reference, ctx.caller),
  },
  createLoaders: (db) => createJobcenterLoaders(db),
  writeScopes: {
    // The jobcenter serves every registered person; a course is its own record whoever it is about.
    OWN_RECORDS: async (ctx, target) => {
      const own =
        target.recordId &&
        ((await ctx.db.getRepository(IntegrationCourse).existsBy({ id: target.recordId })) ||
          (await new ContactService(ctx.db).isOwn(ctx.caller, target.recordId)));
      if (!own) throw notFound(`No integration course or contact assignment ${target.recordId}`);
    },
  },
  seed: jobcenterSeeder,
};
