import type { AgencyKind, Category } from '../domain.js';

/**
 * The fields of action of integration work (housing, language, education, work and training, social
 * participation), plus the residence procedure of the immigration office, each with a responsible contact.
 * Pure data, so that the console files a contact under the same category as the partner that released it.
 */
export const FIELDS_OF_ACTION = [
  'HOUSING',
  'LANGUAGE',
  'EDUCATION',
  'WORK_AND_TRAINING',
  'SOCIAL_PARTICIPATION',
  'RESIDENCE',
] as const;
export type FieldOfActionName = (typeof FIELDS_OF_ACTION)[number];

/**
 * The category of "this person has a contact at this partner for this field of action": the category the
 * partner holds for that work. That a welfare organisation counsels someone is SOCIAL_CARE; that the
 * jobcenter's placement officer looks after them is EMPLOYMENT; and so on.
 */
export function contactCategory(partner: AgencyKind, field: FieldOfActionName): Category {
  switch (partner) {
    case 'socialcare':
      return 'SOCIAL_CARE';
    case 'jobcenter':
      return field === 'LANGUAGE' ? 'INTEGRATION_COURSE' : 'EMPLOYMENT';
    case 'municipality':
      return field === 'EDUCATION' ? 'CHILDCARE_SCHOOL' : 'HOUSING';
    case 'county':
      return field === 'RESIDENCE' ? 'RESIDENCE' : field === 'LANGUAGE' ? 'CLEARING_LANGUAGE' : 'CLEARING_EDUCATION';
  }
}
