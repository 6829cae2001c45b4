import type { EntityManager } from 'typeorm';
import type { AccessService } from '../../../common/access/access.service.js';
import { badUserInput, type FieldProblem } from '../../../common/errors.js';
import { checkPageSize, isUuid } from '../../../common/validation.js';
import type { HousingMatch } from '../entities/housing-match.type.js';

/** The most persons one round of a candidate search may name (the consent registry's lookup limit). */
export const MAX_MATCH_PERSONS = 1000;
const AGS = /^\d{8}$/;

/**
 * The municipalities' part of the jobcenter's candidate search: which persons live in the asked
 * municipalities. A person is considered only when the policy allows the caller HOUSING for them, so a
 * person without a basis is never matched, whatever ids the caller sends.
 */
export class HousingMatchService {
  constructor(
    private readonly db: EntityManager,
    private readonly access: AccessService,
  ) {}

  async matches(personIds: string[], municipalities: string[], first: number): Promise<HousingMatch[]> {
    const problems: FieldProblem[] = [];
    if (personIds.length > MAX_MATCH_PERSONS)
      problems.push({ field: 'personIds', message: `at most ${MAX_MATCH_PERSONS}` });
    if (municipalities.length === 0 || municipalities.length > 50 || !municipalities.every((ags) => AGS.test(ags))) {
      problems.push({ field: 'municipalities', message: 'from 1 to 50 municipality keys (AGS, eight digits)' });
    }
    checkPageSize(problems, first, MAX_MATCH_PERSONS);
    if (problems.length) throw badUserInput(problems);
    const ids = [...new Set(personIds.filter(isUuid).map((id) => id.toLowerCase()))];
    // One batch of decisions: at most one consent lookup for all of them.
    const decisions = await Promise.all(ids.map((id) => this.access.decide(id, 'HOUSING')));
    const allowed = ids.filter((_, i) => decisions[i].allowed);
    if (allowed.length === 0) return [];
    const rows: { person_id: string; municipality_ags: string }[] = await this.db.query(
      `SELECT person_id, municipality_ags FROM accommodation
       WHERE until IS NULL AND municipality_ags = ANY($1::text[]) AND person_id = ANY($2::uuid[])`,
      [municipalities, allowed],
    );
    const where = new Map(rows.map((row) => [row.person_id, row.municipality_ags]));
    // The caller's order, cut at `first`: nothing past the page the caller asked for is answered.
    return allowed
      .filter((id) => where.has(id))
      .slice(0, first)
      .map((personId) => ({ personId, municipality: where.get(personId)! }));
  }
}
