import { graphqlEnum, type ValueOf } from '../../../common/graphql-enum.js';

/**
 * Where a person lives, in the stages of municipal reception.
 * - SHARED: Gemeinschaftsunterkunft: shared accommodation on arrival.
 * - FOLLOW_UP: Anschlussunterbringung: follow-up accommodation the municipality provides.
 * - OWN_FLAT: A flat the person rents on their own.
 */
export const AccommodationType = graphqlEnum('AccommodationType', 'SHARED FOLLOW_UP OWN_FLAT', {
  description: 'Shared accommodation, follow-up accommodation (Anschlussunterbringung) or an own flat.',
});
export type AccommodationType = ValueOf<typeof AccommodationType>;

/**
 * - CHILDCARE: A place in a Kita or with a childminder.
 */
export const EnrolmentKind = graphqlEnum('EnrolmentKind', 'CHILDCARE SCHOOL', {
  description: 'A childcare place or a school enrolment.',
});
export type EnrolmentKind = ValueOf<typeof EnrolmentKind>;
