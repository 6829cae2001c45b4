import { IsNull, type DataSource } from 'typeorm';
import { loadMany, loadOne } from '../../../common/loaders.js';
import { Assignment } from '../entities/assignment.entity.js';
import { Caseworker } from '../entities/caseworker.entity.js';
import { WelfareOrganisation } from '../entities/organisation.entity.js';
import { SpecialNeed } from '../entities/special-need.entity.js';
import { SupportNeed } from '../entities/support-need.entity.js';

/** The socialcare subgraph's per-request loaders; built anew for every request. */
export function createSocialcareLoaders(db: DataSource) {
  return {
    /** Each person's open assignment, if any. */
    openAssignment: loadOne(db, Assignment, 'personId', { until: IsNull() }),
    caseworker: loadOne(db, Caseworker, 'id'),
    organisation: loadOne(db, WelfareOrganisation, 'id'),
    /** Each person's open support needs, oldest first. */
    openNeeds: loadMany(db, SupportNeed, 'personId', { openedOn: 'ASC', id: 'ASC' }, { closedOn: IsNull() }),
    specialNeeds: loadMany(db, SpecialNeed, 'personId', { recordedOn: 'ASC', id: 'ASC' }),
  };
}

export type SocialcareLoaders = ReturnType<typeof createSocialcareLoaders>;
