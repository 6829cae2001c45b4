import type { EntityManager } from 'typeorm';
import { countTable, type RegionCount } from '../../../common/monitoring/indicators.js';
import type { CountTable } from '../../../common/monitoring/suppression.js';
import { SupportField } from '../entities/enums.js';

export const SUPPORT_FIELD_KEYS: readonly string[] = Object.values(SupportField);

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
    const rows: RegionCount[] = await this.db.query(
      `WITH open AS (
         SELECT DISTINCT person_id, field FROM support_need
         WHERE opened_on <= $1 AND (closed_on IS NULL OR closed_on > $1)
       ), counselled AS (
         SELECT DISTINCT ON (person_id) person_id, municipality_ags FROM assignment
         WHERE since <= $1 AND (until IS NULL OR until > $1) ORDER BY person_id, since DESC, id
       )
       SELECT c.municipality_ags AS region, o.field AS key, count(*)::int AS n
       FROM open o LEFT JOIN counselled c USING (person_id)
       GROUP BY 1, 2`,
      [asOf],
    );
    return countTable(SUPPORT_FIELD_KEYS, rows);
  }
}
