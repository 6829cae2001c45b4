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
