import { registerEnumType } from 'type-graphql';

/** Where a person lives, in the stages of municipal reception. */
export enum AccommodationType {
  /** Gemeinschaftsunterkunft: shared accommodation on arrival. */
  SHARED = 'SHARED',
  /** Anschlussunterbringung: follow-up accommodation the municipality provides. */
  FOLLOW_UP = 'FOLLOW_UP',
  /** A flat the person rents on their own. */
  OWN_FLAT = 'OWN_FLAT',
}

export enum EnrolmentKind {
  /** A place in a Kita or with a childminder. */
  CHILDCARE = 'CHILDCARE',
  SCHOOL = 'SCHOOL',
}

registerEnumType(AccommodationType, {
  name: 'AccommodationType',
  description: 'Shared accommodation, follow-up accommodation (Anschlussunterbringung) or an own flat.',
});
registerEnumType(EnrolmentKind, { name: 'EnrolmentKind', description: 'A childcare place or a school enrolment.' });
