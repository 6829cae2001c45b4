import { graphqlEnum, type ValueOf } from '../../../common/graphql-enum.js';

/** The fields of action of refugee social counselling a support need belongs to. */
export const SupportField = graphqlEnum(
  'SupportField',
  'HOUSING LANGUAGE EDUCATION WORK_AND_TRAINING SOCIAL_PARTICIPATION HEALTH',
  { description: 'Field of action of a support need.' },
);
export type SupportField = ValueOf<typeof SupportField>;

/** Health-related special needs (GDPR Art. 9; special protection needs under the EU Reception Directive). */
export const SpecialNeedKind = graphqlEnum('SpecialNeedKind', 'DISABILITY TRAUMA CHRONIC_ILLNESS PREGNANCY', {
  description: 'Kind of a health-related special need.',
});
export type SpecialNeedKind = ValueOf<typeof SpecialNeedKind>;

/**
 * Kinds of offer a welfare organisation records a person taking part in: social participation (clubs,
 * community offers, volunteering) and language support beyond the integration courses.
 */
export const ParticipationKind = graphqlEnum(
  'ParticipationKind',
  'SPORTS_CLUB OTHER_CLUB COMMUNITY_OFFER VOLUNTEERING LANGUAGE_CAFE LANGUAGE_TUTORING PARENTS_LANGUAGE_GROUP',
  { description: 'Kind of offer a person takes part in.' },
);
export type ParticipationKind = ValueOf<typeof ParticipationKind>;
