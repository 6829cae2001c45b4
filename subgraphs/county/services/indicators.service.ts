import type { EntityManager } from 'typeorm';
import { countPersonsAsOf, municipalityOn } from '../../../common/monitoring/indicators.js';
import type { CountTable } from '../../../common/monitoring/suppression.js';

/** CEFR bands of German at clearing; C1, C2 and native speakers are one band, NONE is "no German recorded". */
export const GERMAN_KEYS = ['A1', 'A2', 'B1', 'B2', 'C1_AND_ABOVE', 'NONE'] as const;

/** The county's indicators, counted in SQL over the whole district. */
export class CountyIndicatorService {
  constructor(private readonly db: EntityManager) {}

  /**
   * Persons whose clearing was completed by `asOf`, by the German level their latest clearing by then
   * recorded, and by the municipality they were assigned to on that day (both from the histories of
   * migration CountyHistory; a person assigned nowhere then counts in the district's figures only).
   */
  async germanAtClearing(asOf: string): Promise<CountTable> {
    return countPersonsAsOf(this.db, GERMAN_KEYS, asOf, {
      counted: `SELECT DISTINCT ON (person_id) person_id, german_level FROM clearing_record
        WHERE completed_on <= $1 ORDER BY person_id, completed_on DESC, id DESC`,
      key: `CASE WHEN c.german_level IS NULL THEN 'NONE'
                 WHEN c.german_level IN ('C1', 'C2', 'NATIVE') THEN 'C1_AND_ABOVE'
                 ELSE c.german_level END`,
      municipality: municipalityOn('municipality_assignment', 'id DESC'),
    });
  }
}
