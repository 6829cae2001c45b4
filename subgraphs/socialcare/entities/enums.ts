import { registerEnumType } from 'type-graphql';

/** The fields of action of refugee social counselling a support need belongs to. */
export enum SupportField {
  HOUSING = 'HOUSING',
  LANGUAGE = 'LANGUAGE',
  EDUCATION = 'EDUCATION',
  WORK_AND_TRAINING = 'WORK_AND_TRAINING',
  SOCIAL_PARTICIPATION = 'SOCIAL_PARTICIPATION',
  HEALTH = 'HEALTH',
}

/** Health-related special needs (GDPR Art. 9; special protection needs under the EU Reception Directive). */
export enum SpecialNeedKind {
  DISABILITY = 'DISABILITY',
  TRAUMA = 'TRAUMA',
  CHRONIC_ILLNESS = 'CHRONIC_ILLNESS',
  PREGNANCY = 'PREGNANCY',
}

registerEnumType(SupportField, { name: 'SupportField', description: 'Field of action of a support need.' });
registerEnumType(SpecialNeedKind, { name: 'SpecialNeedKind', description: 'Kind of a health-related special need.' });

/**
 * Kinds of offer a welfare organisation records a person taking part in: social participation (clubs,
 * community offers, volunteering) and language support beyond the integration courses.
 */
export enum ParticipationKind {
  SPORTS_CLUB = 'SPORTS_CLUB',
  OTHER_CLUB = 'OTHER_CLUB',
  COMMUNITY_OFFER = 'COMMUNITY_OFFER',
  VOLUNTEERING = 'VOLUNTEERING',
  LANGUAGE_CAFE = 'LANGUAGE_CAFE',
  LANGUAGE_TUTORING = 'LANGUAGE_TUTORING',
  PARENTS_LANGUAGE_GROUP = 'PARENTS_LANGUAGE_GROUP',
}

registerEnumType(ParticipationKind, {
  name: 'ParticipationKind',
  description: 'Kind of offer a person takes part in.',
});
