import type { EntityManager } from 'typeorm';
import { countPersonsAsOf, municipalityOn } from '../../../common/monitoring/indicators.js';
import type { CountTable } from '../../../common/monitoring/suppression.js';
import { EmploymentState } from '../entities/enums.js';

export const EMPLOYMENT_KEYS: readonly string[] = Object.values(EmploymentState);
/** A client's latest integration course as of a day: attending, aborted, or completed with its certified level. */
export const COURSE_KEYS = [
  'ATTENDING',
  'ABORTED',
  'COMPLETED_A1',
  'COMPLETED_A2',
  'COMPLETED_B1',
  'COMPLETED_B2',
  'COMPLETED_C1',
  'COMPLETED_C2',
] as const;

/** A client's vocational language course (Berufssprachkurs, DeuFöV) as of a day: running, or ended. */
export const VOCATIONAL_LANGUAGE_KEYS = ['ATTENDING', 'ENDED'] as const;

/** Each client's municipality on $1, from the jobcenter's own file. */
const RESIDENCE_ON = municipalityOn('client_residence');

/** The jobcenter's indicators, counted in SQL over the whole district. */
export class JobcenterIndicatorService {
  constructor(private readonly db: EntityManager) {}

  /** Clients by their employment status on `asOf` (the latest entry begun by then). */
  async employment(asOf: string): Promise<CountTable> {
    return countPersonsAsOf(this.db, EMPLOYMENT_KEYS, asOf, {
      counted: `SELECT DISTINCT ON (person_id) person_id, status FROM employment_status
        WHERE since <= $1 ORDER BY person_id, since DESC, recorded_at DESC, id`,
      key: 'c.status',
      municipality: RESIDENCE_ON,
    });
  }

  /**
   * Clients who had begun an integration course by `asOf`, by their latest such course on that day: still
   * attending, aborted, or completed with the level certified. Courses still waiting to begin are left out.
   * The jobcenter keeps a course's current status only: a course that ended after `asOf` counts as attended.
   */
  async integrationCourses(asOf: string): Promise<CountTable> {
    return countPersonsAsOf(this.db, COURSE_KEYS, asOf, {
      counted: `SELECT DISTINCT ON (person_id) person_id, status, result_level, ends FROM integration_course
        WHERE starts <= $1 AND status <> 'WAITING' ORDER BY person_id, starts DESC, id`,
      key: `CASE WHEN c.status = 'ENROLLED' OR c.ends IS NULL OR c.ends > $1 THEN 'ATTENDING'
                 WHEN c.status = 'COMPLETED' THEN 'COMPLETED_' || c.result_level
                 ELSE 'ABORTED' END`,
      municipality: RESIDENCE_ON,
    });
  }

  /**
   * Clients who had begun a vocational language course (a measure of kind VOCATIONAL_LANGUAGE_COURSE) by
   * `asOf`, by their latest such course: ATTENDING while it runs on that day, else ENDED. By the jobcenter's
   * municipality, like the integration courses.
   */
  async vocationalLanguage(asOf: string): Promise<CountTable> {
    return countPersonsAsOf(this.db, VOCATIONAL_LANGUAGE_KEYS, asOf, {
      counted: `SELECT DISTINCT ON (person_id) person_id, ends FROM measure
        WHERE kind = 'VOCATIONAL_LANGUAGE_COURSE' AND starts <= $1 ORDER BY person_id, starts DESC, id`,
      key: `CASE WHEN c.ends IS NULL OR c.ends > $1 THEN 'ATTENDING' ELSE 'ENDED' END`,
      municipality: RESIDENCE_ON,
    });
  }
}
