import type { EntityManager } from 'typeorm';
import { CATEGORIES, type Caller, type Category } from '../../../common/domain.js';
import { badUserInput, type FieldProblem } from '../../../common/errors.js';
import { checkPageSize, isUuid } from '../../../common/validation.js';

/** The most persons one page of `consentedPersons` names (a round of the county's candidate search). */
export const MAX_CONSENTED_PAGE = 1000;

/**
 * The persons whose consents in force name the caller's agency and purpose and together cover every one of
 * some categories: those a consented search may consider at all. Only consents naming the caller count, as
 * for `consentGrants`. One statement.
 */
export class ConsentedPersonsService {
  /** `timeZone`: the district's (`DISTRICT_TIME_ZONE`), in which consents' validity dates are days. */
  constructor(
    private readonly db: EntityManager,
    private readonly timeZone: string,
  ) {}

  async page(caller: Caller, categories: string[], after: string, first: number): Promise<string[]> {
    const problems: FieldProblem[] = [];
    const wanted = [...new Set(categories)];
    if (wanted.length === 0 || !wanted.every((c) => (CATEGORIES as readonly string[]).includes(c))) {
      problems.push({ field: 'categories', message: 'one or more data categories' });
    }
    if (!isUuid(after)) problems.push({ field: 'after', message: 'must be a person id (UUID)' });
    checkPageSize(problems, first, MAX_CONSENTED_PAGE);
    if (problems.length) throw badUserInput(problems);
    const rows: { person_id: string }[] = await this.db.query(
      `SELECT c.person_id FROM consent c CROSS JOIN LATERAL unnest(c.categories) AS category
       WHERE c.is_current AND c.withdrawn_at IS NULL AND c.voided_at IS NULL
         AND $1 = ANY(c.recipients) AND $2 = ANY(c.purposes)
         AND c.valid_from <= (now() AT TIME ZONE $7)::date
         AND (c.valid_until IS NULL OR c.valid_until >= (now() AT TIME ZONE $7)::date)
         AND c.person_id > $3::uuid AND category = ANY($4::text[])
       GROUP BY c.person_id HAVING count(DISTINCT category) = $5
       ORDER BY c.person_id LIMIT $6`,
      [
        caller.agency.id,
        caller.purpose,
        after.toLowerCase(),
        wanted as Category[],
        wanted.length,
        first,
        this.timeZone,
      ],
    );
    return rows.map((row) => row.person_id);
  }
}
