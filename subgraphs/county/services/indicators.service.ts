import type { EntityManager } from 'typeorm';
import { countTable, type RegionCount } from '../../../common/monitoring/indicators.js';
import type { CountTable } from '../../../common/monitoring/suppression.js';

/** CEFR bands of German at clearing; C1, C2 and native speakers are one band, NONE is "no German recorded". */
export const GERMAN_KEYS = ['A1', 'A2', 'B1', 'B2', 'C1_AND_ABOVE', 'NONE'] as const;

/** The county's indicators, counted in SQL over the whole district. */
export class CountyIndicatorService {
  constructor(private readonly db: EntityManager) {}

  /**
   * Persons whose clearing was completed by `asOf`, by the German level it recorded, and by the
   * municipality the person is assigned to. The county keeps the current assignment and the latest
   * clearing only, so a past period is counted with today's assignment, and a person cleared again after
   * it drops out of it.
   */
  async germanAtClearing(asOf: string): Promise<CountTable> {
    const rows: RegionCount[] = await this.db.query(
      `SELECT p.assigned_municipality_ags AS region,
              CASE WHEN l.level IS NULL THEN 'NONE'
                   WHEN l.level IN ('C1', 'C2', 'NATIVE') THEN 'C1_AND_ABOVE'
                   ELSE l.level END AS key,
              count(*)::int AS n
       FROM clearing_profile c
       JOIN person p ON p.id = c.person_id
       LEFT JOIN language_skill l ON l.person_id = c.person_id AND l.language = 'de'
       WHERE c.completed_on <= $1
       GROUP BY 1, 2`,
      [asOf],
    );
    return countTable(GERMAN_KEYS, rows);
  }
}
