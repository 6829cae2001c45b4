import { CATEGORY_OWNER, type Agency, type Category, type Purpose, type Role } from '../domain.js';
import type { StatuteCatalogue } from './statutes.js';

/** The version of the decision rules below; with the catalogue version it forms the policy version. */
export const POLICY_RULES_VERSION = '1';

export function policyVersion(catalogue: StatuteCatalogue): string {
  return `rules-${POLICY_RULES_VERSION}+catalogue-${catalogue.version}`;
}

/** A consent as the policy needs it: who may receive which categories for which purposes, and when. */
export interface ConsentGrant {
  id: string;
  version: number;
  personId: string;
  recipients: string[];
  purposes: Purpose[];
  categories: Category[];
  validFrom: Date;
  validUntil: Date | null;
  withdrawnAt: Date | null;
}

export interface DecisionInput {
  caller: { agency: Agency; roles: Role[]; purpose: Purpose };
  category: Category;
  /**
   * Whether the person is within the caller's own caseload for a category the caller's agency owns: a
   * municipality's own residents, a welfare organisation's own clients. Always true for county and jobcenter.
   */
  inOwnScope: boolean;
  /** The person's consents naming the caller's agency and purpose, or 'unavailable' when the registry failed. */
  consents: ConsentGrant[] | 'unavailable';
  catalogue: StatuteCatalogue;
  now: Date;
}

/** The refusal codes, exactly as the client sees them in `extensions.code` and the log records them. */
export type Refusal = 'FORBIDDEN' | 'CONSENT_REQUIRED' | 'CONSENT_UNAVAILABLE';

/** `basis` is OWN_TASK, STATUTE:<entry id> or CONSENT:<id>@<version>. */
export type Decision = { allowed: true; basis: string } | { allowed: false; refusal: Refusal; reason: string };

/** Purposes under which no personal field is released on the basis of own task or consent. */
const NON_CASE_PURPOSES: readonly Purpose[] = ['MONITORING', 'CONSENT_MANAGEMENT'];

/** True when the consent covers this recipient, purpose and category and is in force at `now`. */
export function consentCovers(
  consent: ConsentGrant,
  input: Pick<DecisionInput, 'caller' | 'category' | 'now'>,
): boolean {
  return (
    consent.recipients.includes(input.caller.agency.id) &&
    consent.purposes.includes(input.caller.purpose) &&
    consent.categories.includes(input.category) &&
    consent.withdrawnAt === null &&
    consent.validFrom.getTime() <= input.now.getTime() &&
    (consent.validUntil === null || consent.validUntil.getTime() > input.now.getTime())
  );
}

/**
 * Decides whether one caller may see one category of one person, following the design's order: role
 * gate, own task, statute, consent, refuse. Pure: everything it needs is in the input.
 */
export function decide(input: DecisionInput): Decision {
  const { caller, category, catalogue } = input;
  const caseworker = caller.roles.includes('CASEWORKER');
  const consentOfficer = caller.roles.includes('CONSENT_OFFICER');

  // 1. Role gate.
  if (!caseworker && !(consentOfficer && category === 'IDENTITY')) {
    return {
      allowed: false,
      refusal: 'FORBIDDEN',
      reason: consentOfficer
        ? 'Consent officers see identity data only'
        : 'Analysts see aggregated indicators only, never person-level data',
    };
  }
  const casework = caseworker && !NON_CASE_PURPOSES.includes(caller.purpose);

  // 2. Own task.
  if (casework && CATEGORY_OWNER[category] === caller.agency.kind && input.inOwnScope) {
    return { allowed: true, basis: 'OWN_TASK' };
  }

  // 3. Statute; never for HEALTH (GDPR Art. 9 data needs explicit consent).
  if (category !== 'HEALTH') {
    const entry = catalogue.entries.find(
      (e) =>
        e.agencies.includes(caller.agency.kind) &&
        e.purposes.includes(caller.purpose) &&
        e.categories.includes(category),
    );
    if (entry) return { allowed: true, basis: `STATUTE:${entry.id}` };
  }

  // 4. Consent.
  if (casework) {
    if (input.consents === 'unavailable') {
      return { allowed: false, refusal: 'CONSENT_UNAVAILABLE', reason: 'The consent registry could not be reached' };
    }
    const consent = input.consents.find((c) => consentCovers(c, input));
    if (consent) return { allowed: true, basis: `CONSENT:${consent.id}@${consent.version}` };
  }

  // 5. Refuse.
  return {
    allowed: false,
    refusal: 'CONSENT_REQUIRED',
    reason: `No own task, statute or consent allows ${caller.agency.id} to see ${category} for ${caller.purpose}`,
  };
}
