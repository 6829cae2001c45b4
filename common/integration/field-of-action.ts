import { graphqlEnum, type ValueOf } from '../graphql-enum.js';
import type { AgencyKind } from '../domain.js';
import { FIELDS_OF_ACTION } from './contact-category.js';

/** The fields of action as the schema's enum (`FIELDS_OF_ACTION`, declared once in `contact-category.ts`). */
export const FieldOfAction = graphqlEnum('FieldOfAction', FIELDS_OF_ACTION, {
  description: 'A field of action of integration work, or the residence procedure.',
});
export type FieldOfAction = ValueOf<typeof FieldOfAction>;

/** The fields of action each kind of partner assigns contacts for. */
export const CONTACT_FIELDS: Record<AgencyKind, readonly FieldOfAction[]> = {
  county: [FieldOfAction.RESIDENCE, FieldOfAction.LANGUAGE, FieldOfAction.EDUCATION],
  municipality: [FieldOfAction.HOUSING, FieldOfAction.EDUCATION],
  jobcenter: [FieldOfAction.WORK_AND_TRAINING, FieldOfAction.LANGUAGE],
  socialcare: [FieldOfAction.SOCIAL_PARTICIPATION],
};
