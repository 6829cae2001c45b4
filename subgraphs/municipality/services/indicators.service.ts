import type { EntityManager } from 'typeorm';
import { countAsOf } from '../../../common/monitoring/indicators.js';
import type { CountTable } from '../../../common/monitoring/suppression.js';
import { AccommodationType, EnrolmentKind } from '../entities/enums.js';

export const HOUSING_KEYS: readonly string[] = Object.values(AccommodationType);
export const ENROLMENT_KEYS: readonly string[] = Object.values(EnrolmentKind);

/**
 * The municipalities' indicators, counted in SQL over the whole district so that disclosure control sees
 * every municipality. A record is in force on `asOf` when it began on or before it and had not ended by it:
 * `until` (and a move) takes effect on its day.
 */
export class MunicipalityIndicatorService {
  constructor(private readonly db: EntityManager) {}

  /** Persons by the type of the accommodation they live in on `asOf`, by its municipality. */
  async housing(asOf: string): Promise<CountTable> {
    return countAsOf(
      this.db,
      HOUSING_KEYS,
      `SELECT municipality_ags AS region, type AS key, count(*)::int AS n
       FROM (SELECT DISTINCT ON (person_id) municipality_ags, type FROM accommodation
             WHERE since <= $1 AND (until IS NULL OR until > $1)
             ORDER BY person_id, since DESC, id) stay
       GROUP BY municipality_ags, type`,
      [asOf],
    );
  }

  /**
   * Children with a childcare place and children enrolled at school on `asOf`, by the municipality that
   * records the place (the one providing it). A child is counted once per kind.
   */
  async childcareSchool(asOf: string): Promise<CountTable> {
    return countAsOf(
      this.db,
      ENROLMENT_KEYS,
      `SELECT municipality_ags AS region, kind AS key, count(*)::int AS n
       FROM (SELECT DISTINCT ON (person_id, kind) municipality_ags, kind FROM enrolment
             WHERE since <= $1 AND (until IS NULL OR until > $1)
             ORDER BY person_id, kind, since DESC, id) place
       GROUP BY municipality_ags, kind`,
      [asOf],
    );
  }
}
