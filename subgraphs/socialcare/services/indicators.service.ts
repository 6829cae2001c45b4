import type { EntityManager } from 'typeorm';
import { countPersonsAsOf, municipalityOn } from '../../../common/monitoring/indicators.js';
import type { CountTable } from '../../../common/monitoring/suppression.js';
import { ParticipationKind, SupportField } from '../entities/enums.js';

export const SUPPORT_FIELD_KEYS: readonly string[] = Object.values(SupportField);
/** Kinds of social participation the welfare organisations record. */
export const PARTICIPATION_KEYS = [
  ParticipationKind.SPORTS_CLUB,
  ParticipationKind.OTHER_CLUB,
  ParticipationKind.COMMUNITY_OFFER,
  ParticipationKind.VOLUNTEERING,
] as const;
/** Kinds of language support beyond the integration courses the welfare organisations record. */
export const LANGUAGE_SUPPORT_KEYS = [
  ParticipationKind.LANGUAGE_CAFE,
  ParticipationKind.LANGUAGE_TUTORING,
  ParticipationKind.PARENTS_LANGUAGE_GROUP,
] as const;

/** Each person's counselling municipality on $1. */
const COUNSELLED_ON = municipalityOn('assignment');

/** The welfare organisations' indicators, counted in SQL over all organisations of the district. */
export class SocialcareIndicatorService {
  constructor(private readonly db: EntityManager) {}

  /**
   * Persons with an open support need on `asOf`, by field of action: a person counts once per field, so
   * the total is the number of (person, field) pairs. By the municipality of the person's counselling on
   * that day; needs of persons counselled nowhere then, or without a recorded municipality, count in the
   * district's figures only.
   */
  async openSupportNeeds(asOf: string): Promise<CountTable> {
    return countPersonsAsOf(this.db, SUPPORT_FIELD_KEYS, asOf, {
      counted: `SELECT DISTINCT person_id, field FROM support_need
        WHERE opened_on <= $1 AND (closed_on IS NULL OR closed_on > $1)`,
      key: 'c.field',
      municipality: COUNSELLED_ON,
    });
  }

  /**
   * Persons taking part in an offer on `asOf`, by kind (`keys`): a person counts once per kind, whichever
   * organisations recorded it. By the counselling municipality on that day, like the support needs.
   */
  private async participation(asOf: string, keys: readonly string[]): Promise<CountTable> {
    return countPersonsAsOf(this.db, keys, asOf, {
      counted: `SELECT DISTINCT person_id, kind FROM participation
        WHERE since <= $1 AND (until IS NULL OR until > $1) AND kind = ANY($2)`,
      key: 'c.kind',
      municipality: COUNSELLED_ON,
      parameters: [keys],
    });
  }

  /** Social participation on `asOf`: club membership, community offers, volunteering. */
  socialParticipation(asOf: string): Promise<CountTable> {
    return this.participation(asOf, PARTICIPATION_KEYS);
  }

  /** Language support beyond integration courses on `asOf`: language cafés, tutoring, parents' groups. */
  languageSupport(asOf: string): Promise<CountTable> {
    return this.participation(asOf, LANGUAGE_SUPPORT_KEYS);
  }
}
