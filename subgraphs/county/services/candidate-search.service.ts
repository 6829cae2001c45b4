import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import type { AccessService } from '../../../common/access/access.service.js';
import type { ConsentedPersonsRequest } from '../../../common/access/consented-persons-lookup.js';
import type { HousingMatch, HousingMatchRequest } from '../../../common/access/housing-lookup.js';
import { CATEGORY_OWNER, type Caller, type Category } from '../../../common/domain.js';
import type { StatuteCatalogue } from '../../../common/policy/statutes.js';
import { ErrorCode, badUserInput, type FieldProblem } from '../../../common/errors.js';
import { checkPageSize, isUuid } from '../../../common/validation.js';
import type { CandidatePage } from '../entities/candidate.type.js';
import { CefrLevel, Recognition } from '../entities/enums.js';
import type { CandidateFilter } from '../inputs/candidate.input.js';

/** Persons the county reads per round; also the most the consent registry and the municipalities are asked about. */
export const SEARCH_CHUNK = 500;
/**
 * The most rounds one request may take, over all its searches (aliases included), so that it does bounded work
 * (`SEARCH_CHUNK` × this persons); a search out of rounds answers the page so far and a cursor to go on from.
 */
export const MAX_ROUNDS = 40;
export const MAX_PAGE = 50;

const LEVELS: CefrLevel[] = [
  CefrLevel.A1,
  CefrLevel.A2,
  CefrLevel.B1,
  CefrLevel.B2,
  CefrLevel.C1,
  CefrLevel.C2,
  CefrLevel.NATIVE,
];
const RECOGNITION_RANK: Record<Recognition, number> = {
  [Recognition.NOT_APPLIED]: 0,
  [Recognition.REJECTED]: 0,
  [Recognition.IN_PROGRESS]: 1,
  [Recognition.PARTIAL]: 2,
  [Recognition.FULL]: 3,
};

/** The levels from `atLeast` up. */
export function levelsFrom(atLeast: CefrLevel): CefrLevel[] {
  return LEVELS.slice(LEVELS.indexOf(atLeast));
}

/** The recognitions at least as far as `atLeast`. */
export function recognitionsFrom(atLeast: Recognition): Recognition[] {
  return (Object.keys(RECOGNITION_RANK) as Recognition[]).filter(
    (r) => RECOGNITION_RANK[r] >= RECOGNITION_RANK[atLeast],
  );
}

/** Every category a filter uses, with the filter field that uses it; one at least, else the filter is refused. */
export function filterCategories(filter: CandidateFilter): { field: string; category: Category }[] {
  const used: { field: string; category: Category }[] = [];
  if (filter.language) used.push({ field: 'CandidateFilter.language', category: 'CLEARING_LANGUAGE' });
  if (filter.qualification) used.push({ field: 'CandidateFilter.qualification', category: 'CLEARING_EDUCATION' });
  if (filter.livingIn) used.push({ field: 'CandidateFilter.livingIn', category: 'HOUSING' });
  return used;
}

// A cursor names where the scan stopped, which may be a person the caller may not see: it is encrypted with a
// key of this process, so it tells the caller nothing and cannot be forged. It expires when the county restarts.
const CURSOR_KEY = randomBytes(32);

export function encodeCursor(personId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', CURSOR_KEY, iv);
  const body = Buffer.concat([cipher.update(personId, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const raw = Buffer.from(cursor, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', CURSOR_KEY, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const id = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    if (isUuid(id)) return id;
  } catch {
    // falls through to the refusal below
  }
  throw badUserInput([
    { field: 'after', message: 'is not a cursor of this search (or it expired); start again without it' },
  ]);
}

/** What the search needs besides the county's own database, all asked on the caller's behalf. */
export interface CandidateSearchPartners {
  access: AccessService;
  catalogue: StatuteCatalogue;
  consentedPersons?: (request: ConsentedPersonsRequest) => Promise<string[]>;
  housingMatches?: (request: HousingMatchRequest) => Promise<HousingMatch[]>;
  /** The rounds this request has left, shared by all its searches. */
  budget: { rounds: number };
}

/**
 * The categories of a filter that only a consent can open to the caller: not covered by a statute entry for
 * the caller's agency and purpose, nor owned by the caller's agency.
 */
export function consentCategories(caller: Caller, catalogue: StatuteCatalogue, categories: Category[]): Category[] {
  return categories.filter(
    (category) =>
      CATEGORY_OWNER[category] !== caller.agency.kind &&
      (category === 'HEALTH' ||
        !catalogue.entries.some(
          (e) =>
            e.agencies.includes(caller.agency.kind) &&
            e.purposes.includes(caller.purpose) &&
            e.categories.includes(category),
        )),
  );
}

/**
 * The jobcenter's consented candidate search over the county's clearing data and the municipalities'
 * housing data. The persons it considers at all come from the consent registry: those whose consents in
 * force cover every filtered category that needs a consent (persons covered by statute alone are read from
 * the county's register instead). It goes through them in rounds of `SEARCH_CHUNK`, in person id order:
 * per round one page from the registry, one statement here for the clearing criteria among them, one batch
 * of policy decisions (each person must be allowed every filtered category, checked again), and one question
 * to the municipalities, only about those left and only up to the page's remaining size. A person without a
 * basis never enters the search, so is never matched, counted or answered; the statements per round do not
 * depend on how many persons the district has.
 */
export class CandidateSearchService {
  constructor(
    private readonly db: EntityManager,
    private readonly partners: CandidateSearchPartners,
  ) {}

  async search(filter: CandidateFilter, first: number, after: string | null | undefined): Promise<CandidatePage> {
    const used = filterCategories(filter);
    const problems: FieldProblem[] = [];
    if (used.length === 0) problems.push({ field: 'filter', message: 'needs at least one criterion' });
    checkPageSize(problems, first, MAX_PAGE);
    if (problems.length) throw badUserInput(problems);
    const { access } = this.partners;
    const needConsent = consentCategories(
      access.caller,
      this.partners.catalogue,
      used.map((u) => u.category),
    );
    let cursor = after ? decodeCursor(after) : '00000000-0000-0000-0000-000000000000';

    const found: { personId: string; livesInAgs: string | null }[] = [];
    let reachedEnd = false;
    const { budget } = this.partners;
    for (; budget.rounds > 0 && found.length < first; budget.rounds -= 1) {
      // The persons this round may consider at all, and how far the round reaches.
      const pool = needConsent.length ? await this.consented(needConsent, cursor) : undefined;
      if (pool && pool.length === 0) {
        reachedEnd = true;
        break;
      }
      const scanned = await this.clearingMatches(filter, cursor, pool);
      const reach = pool ? pool[pool.length - 1] : scanned[scanned.length - 1];
      const exhausted = (pool ?? scanned).length < SEARCH_CHUNK;
      const decisions = await Promise.all(
        scanned.map((id) => Promise.all(used.map((u) => access.decide(id, u.category)))),
      );
      const eligible = scanned.filter((_, i) => decisions[i].every((d) => d.allowed));
      const remaining = first - found.length;
      let taken: { personId: string; livesInAgs: string | null }[] = [];
      if (filter.livingIn) {
        if (eligible.length) {
          const matches = await this.askMunicipalities({
            personIds: eligible,
            municipalities: filter.livingIn,
            first: remaining,
          });
          taken = matches.map((m) => ({ personId: m.personId, livesInAgs: m.municipality }));
        }
      } else {
        taken = eligible.slice(0, remaining).map((personId) => ({ personId, livesInAgs: null }));
      }
      found.push(...taken);
      if (found.length >= first) {
        cursor = found[found.length - 1].personId;
        break;
      }
      if (exhausted || reach === undefined) {
        reachedEnd = true;
        break;
      }
      cursor = reach;
    }
    return {
      candidates: found.map((f) => ({ personId: f.personId, livesInAgs: f.livesInAgs, filter })),
      // A cursor past the last round read, so the next page goes on from there (even after a page of none).
      endCursor: reachedEnd ? null : encodeCursor(cursor),
      hasNextPage: !reachedEnd,
      clearingCriteria: used.filter((u) => u.category !== 'HOUSING'),
    };
  }

  private async consented(categories: Category[], after: string): Promise<string[]> {
    if (!this.partners.consentedPersons) throw unavailable('consent');
    try {
      return await this.partners.consentedPersons({ categories, after, first: SEARCH_CHUNK });
    } catch {
      throw unavailable('consent');
    }
  }

  private async askMunicipalities(request: HousingMatchRequest): Promise<HousingMatch[]> {
    if (!this.partners.housingMatches) throw unavailable('municipality');
    try {
      return await this.partners.housingMatches(request);
    } catch {
      throw unavailable('municipality');
    }
  }

  /**
   * The persons meeting the clearing criteria, in id order: among `pool` when given, else the next
   * `SEARCH_CHUNK` registered persons after `cursor`. One statement.
   */
  private async clearingMatches(
    filter: CandidateFilter,
    cursor: string,
    pool: string[] | undefined,
  ): Promise<string[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (pool) {
      params.push(pool);
      where.push(`p.id = ANY($1::uuid[])`);
    } else {
      params.push(cursor);
      where.push('p.id > $1::uuid');
    }
    if (filter.language) {
      params.push(filter.language.language, levelsFrom(filter.language.atLeast));
      where.push(
        `EXISTS (SELECT 1 FROM language_skill l WHERE l.person_id = p.id AND l.language = $${params.length - 1} AND l.level = ANY($${params.length}::text[]))`,
      );
    }
    if (filter.qualification) {
      const q = filter.qualification;
      const parts = ['q.person_id = p.id'];
      if (q.kind) {
        params.push(q.kind);
        parts.push(`q.kind = $${params.length}`);
      }
      if (q.titleContains) {
        params.push(`%${q.titleContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        parts.push(`q.title ILIKE $${params.length}`);
      }
      if (q.recognitionAtLeast) {
        params.push(recognitionsFrom(q.recognitionAtLeast));
        parts.push(`q.recognition = ANY($${params.length}::text[])`);
      }
      where.push(`EXISTS (SELECT 1 FROM qualification q WHERE ${parts.join(' AND ')})`);
    }
    params.push(SEARCH_CHUNK);
    const rows: { id: string }[] = await this.db.query(
      `SELECT p.id FROM person p WHERE ${where.join(' AND ')} ORDER BY p.id LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => row.id);
  }
}

function unavailable(subgraph: 'consent' | 'municipality'): GraphQLError {
  const what =
    subgraph === 'consent'
      ? 'The consent registry could not be asked who consented'
      : 'The municipalities could not be asked where candidates live';
  return new GraphQLError(`${what}; no candidates were returned. Try again later.`, {
    extensions: {
      code: subgraph === 'consent' ? ErrorCode.ConsentUnavailable : ErrorCode.SubgraphUnavailable,
      subgraph,
    },
  });
}
