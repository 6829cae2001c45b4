import type { DataSource } from 'typeorm';
import { contactsLoader } from '../../../common/integration/contact.service.js';
import { loadMany } from '../../../common/loaders.js';
import { BenefitReceipt } from '../entities/benefit.entity.js';
import { IntegrationCourse } from '../entities/course.entity.js';
import { EmploymentStatus, Measure } from '../entities/employment.entity.js';

/**
 * The jobcenter's per-request loaders; built anew for every request. Lists come newest first, so the
 * current employment status and the latest course are the first entries of the same loaders.
 */
export function createJobcenterLoaders(db: DataSource) {
  return {
    employment: loadMany(db, EmploymentStatus, 'personId', { since: 'DESC', recordedAt: 'DESC', id: 'ASC' }),
    measures: loadMany(db, Measure, 'personId', { starts: 'DESC', id: 'ASC' }),
    courses: loadMany(db, IntegrationCourse, 'personId', { starts: 'DESC', id: 'ASC' }),
    benefits: loadMany(db, BenefitReceipt, 'personId', { since: 'DESC', id: 'ASC' }),
    /** Each person's open contacts at the jobcenter, with the officers' staff data. */
    contacts: contactsLoader(db),
  };
}

export type JobcenterLoaders = ReturnType<typeof createJobcenterLoaders>;
