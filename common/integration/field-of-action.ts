import { graphqlEnum, type ValueOf } from '../graphql-enum.js';
import type { AgencyKind, Category } from '../domain.js';

/**
 * The fields of action of integration work (housing, language, education, work and training, social
 * participation), plus the residence procedure of the immigration office, each with a responsible contact.
 */
export const FieldOfAction = graphqlEnum(
  'FieldOfAction',
  'HOUSING LANGUAGE EDUCATION WORK_AND_TRAINING SOCIAL_PARTICIPATION RESIDENCE',
  { description: 'A field of action of integration work, or the residence procedure.' },
);
export type FieldOfAction = ValueOf<typeof FieldOfAction>;

/**
 * The category of "this person has a contact at this partner for this field of action": the category the
 * partner holds for that work. That a welfare organisation counsels someone is SOCIAL_CARE; that the
 * jobcenter's placement officer looks after them is EMPLOYMENT; and so on.
 */
export function contactCategory(partner: AgencyKind, field: FieldOfAction): Category {
  switch (partner) {
    case 'socialcare':
      return 'SOCIAL_CARE';
    case 'jobcenter':
      return field === FieldOfAction.LANGUAGE ? 'INTEGRATION_COURSE' : 'EMPLOYMENT';
    case 'municipality':
      return field === FieldOfAction.EDUCATION ? 'CHILDCARE_SCHOOL' : 'HOUSING';
    case 'county':
      return field === FieldOfAction.RESIDENCE
        ? 'RESIDENCE'
        : field === FieldOfAction.LANGUAGE
          ? 'CLEARING_LANGUAGE'
          : 'CLEARING_EDUCATION';
  }
}

/** The fields of action each kind of partner assigns contacts for. */
export const CONTACT_FIELDS: Record<AgencyKind, readonly FieldOfAction[]> = {
  county: [FieldOfAction.RESIDENCE, FieldOfAction.LANGUAGE, FieldOfAction.EDUCATION],
  municipality: [FieldOfAction.HOUSING, FieldOfAction.EDUCATION],
  jobcenter: [FieldOfAction.WORK_AND_TRAINING, FieldOfAction.LANGUAGE],
  socialcare: [FieldOfAction.SOCIAL_PARTICIPATION],
};
