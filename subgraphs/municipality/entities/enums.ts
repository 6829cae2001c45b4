import { graphqlEnums, type ValueOf } from '../../../common/graphql-enum.js';

/** The municipalities' vocabularies, each registered as the GraphQL enum its key names. */
export const { AccommodationType, EnrolmentKind } = graphqlEnums({
  /**
   * Where a person lives, in the stages of municipal reception.
   * - SHARED: Gemeinschaftsunterkunft: shared accommodation on arrival.
   * - FOLLOW_UP: Anschlussunterbringung: follow-up accommodation the municipality provides.
   * - OWN_FLAT: A flat the person rents on their own.
   */
  AccommodationType: {
    values: 'SHARED FOLLOW_UP OWN_FLAT',
    description: 'Shared accommodation, follow-up accommodation (Anschlussunterbringung) or an own flat.',
  },
  /**
   * - CHILDCARE: A place in a Kita or with a childminder.
   */
  EnrolmentKind: { values: 'CHILDCARE SCHOOL', description: 'A childcare place or a school enrolment.' },
});
export type AccommodationType = ValueOf<typeof AccommodationType>;
export type EnrolmentKind = ValueOf<typeof EnrolmentKind>;
