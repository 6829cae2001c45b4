import {
  CATEGORIES,
  PURPOSE_ROLE,
  PURPOSES_BY_AGENCY,
  parseAgency,
  type Agency,
  type Category,
  type Purpose,
} from '../domain.js';
import { consentCovers, decide, type ConsentGrant, type Decision } from './policy.js';
import type { StatuteCatalogue } from './statutes.js';

/**
 * One cell of a person's effective access: what `decide` (the function every subgraph decides with) answers
 * for this agency, acting in the role its purpose belongs to, for this purpose and category, given the
 * person's consents.
 */
export interface AccessCell {
  agency: string;
  purpose: Purpose;
  category: Category;
  /** The decision for records of this category the agency does not hold as its own task. */
  decision: Decision;
  /**
   * True where the agency sees the records it holds itself by own task, but only for its own residents
   * (a municipality) or current clients (a welfare organisation): whether the person is one is known to that
   * agency's subgraph alone, so `decision` is what applies otherwise.
   */
  ownTaskForOwnRecords: boolean;
}

/** Kinds of agency whose own task covers only part of the district's persons (checked in their subgraph). */
const SCOPED_KINDS: readonly Agency['kind'][] = ['municipality', 'socialcare'];

/**
 * Every agency of the district × every purpose its roles may state × every category, decided by `decide`
 * with the person's consents, at `now` in the district's `timeZone`. County and jobcenter hold their
 * categories for every person of the district (own task applies as in their subgraphs); a municipality's or
 * welfare organisation's own task depends on residence or counselling, which the registry does not know.
 */
export function effectiveAccess(input: {
  agencies: readonly string[];
  consents: ConsentGrant[];
  catalogue: StatuteCatalogue;
  now: Date;
  timeZone: string;
}): AccessCell[] {
  const cells: AccessCell[] = [];
  for (const id of input.agencies) {
    const agency = parseAgency(id);
    if (!agency) continue;
    const scoped = SCOPED_KINDS.includes(agency.kind);
    for (const purpose of PURPOSES_BY_AGENCY[agency.kind]) {
      const caller = { agency, roles: [PURPOSE_ROLE[purpose]], purpose };
      for (const category of CATEGORIES) {
        const base = { caller, category, consents: input.consents, catalogue: input.catalogue, now: input.now };
        const decision = decide({ ...base, timeZone: input.timeZone, inOwnScope: !scoped });
        const inScope = scoped ? decide({ ...base, timeZone: input.timeZone, inOwnScope: true }) : decision;
        cells.push({
          agency: id,
          purpose,
          category,
          decision,
          ownTaskForOwnRecords: scoped && inScope.allowed && inScope.basis === 'OWN_TASK',
        });
      }
    }
  }
  return cells;
}

/** A cell whose decision a withdrawal, void or change would alter, or that rests on the consent concerned. */
export interface AccessChange {
  agency: string;
  purpose: Purpose;
  category: Category;
  before: AccessCell;
  after: AccessCell;
}

/**
 * What changes when `consentId` is replaced by `replacement` (a changed version) or taken away (withdrawn or
 * voided, `replacement` null): every cell that consent covers today (before or as changed), and every cell that
 * decides differently after, each with its decision before and after.
 */
export function accessChanges(
  input: Parameters<typeof effectiveAccess>[0],
  consentId: string,
  replacement: ConsentGrant | null,
): AccessChange[] {
  const before = effectiveAccess(input);
  const others = input.consents.filter((c) => c.id !== consentId);
  const after = effectiveAccess({ ...input, consents: replacement ? [...others, replacement] : others });
  // Every cell the consent (as it is, or as changed) covers today, even where another consent is the basis named.
  const concerned = [...input.consents.filter((c) => c.id === consentId), ...(replacement ? [replacement] : [])];
  const covers = (cell: AccessCell) => {
    const caller = { agency: parseAgency(cell.agency)!, roles: [PURPOSE_ROLE[cell.purpose]], purpose: cell.purpose };
    return concerned.some((c) =>
      consentCovers(c, { caller, category: cell.category, now: input.now, timeZone: input.timeZone }),
    );
  };
  const key = (d: Decision) => (d.allowed ? d.basis : d.refusal);
  return before.flatMap((cell, i) =>
    covers(cell) || key(cell.decision) !== key(after[i].decision)
      ? [{ agency: cell.agency, purpose: cell.purpose, category: cell.category, before: cell, after: after[i] }]
      : [],
  );
}
