import { graphqlEnums, type ValueOf } from '../../../common/graphql-enum.js';

/** Social care's vocabularies, each registered as the GraphQL enum its key names. */
export const { SupportField, SpecialNeedKind, ParticipationKind } = graphqlEnums({
  /** The fields of action of refugee social counselling a support need belongs to. */
  SupportField: {
    values: 'HOUSING LANGUAGE EDUCATION WORK_AND_TRAINING SOCIAL_PARTICIPATION HEALTH',
    description: 'Field of action of a support need.',
  },
  /** Health-related special needs (GDPR Art. 9; special protection needs under the EU Reception Directive). */
  SpecialNeedKind: {
    values: 'DISABILITY TRAUMA CHRONIC_ILLNESS PREGNANCY',
    description: 'Kind of a health-related special need.',
  },
  /**
   * Kinds of offer a welfare organisation records a person taking part in: social participation (clubs,
   * community offers, volunteering) and language support beyond the integration courses.
   */
  ParticipationKind: {
    values:
      'SPORTS_CLUB OTHER_CLUB COMMUNITY_OFFER VOLUNTEERING LANGUAGE_CAFE LANGUAGE_TUTORING PARENTS_LANGUAGE_GROUP',
    description: 'Kind of offer a person takes part in.',
  },
});
export type SupportField = ValueOf<typeof SupportField>;
export type SpecialNeedKind = ValueOf<typeof SpecialNeedKind>;
export type ParticipationKind = ValueOf<typeof ParticipationKind>;
