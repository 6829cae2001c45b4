import { localDateOf } from '../district-time.js';
import { ACCESS_REQUEST, CATEGORY_OWNER, type Agency, type Category, type Purpose, type Role } from '../domain.js';
import type { StatuteCatalogue, StatuteEntry } from './statutes.js';

/** The version of the decision rules below; with the catalogue version it forms the policy version. */
export const POLICY_RULES_VERSION = '3';

export function policyVersion(catalogue: StatuteCatalogue): string {
  return `rules-${POLICY_RULES_VERSION}+catalogue-${catalogue.version}`;
}

/**
 * A consent as the policy needs it: who may receive which categories for which purposes, and when. The
 * validity is a pair of calendar dates (YYYY-MM-DD) in the district's time zone, both days included.
 */
export interface ConsentGrant {
  id: string;
  version: number;
  personId: string;
  recipients: string[];
  purposes: Purpose[];
  categories: Category[];
  /** First day in force (from its start, 00:00 in the district). */
  validFrom: string;
  /** Last day in force (through its end, 24:00 in the district); null: until withdrawn. */
  validUntil: string | null;
  withdrawnAt: Date | null;
  /** When the consent was voided as recorded in error; a voided consent allows nothing. */
  voidedAt: Date | null;
}

export interface DecisionInput {
  caller: { agency: Agency; roles: Role[]; purpose: Purpose };
  category: Category;
  /**
   * The field asked for (`Type.field`), where a statute entry names single fields (`StatuteEntry.fields`);
   * without it only entries covering whole categories apply.
   */
  field?: string;
  /**
   * Whether the person is within the caller's own caseload for a category the caller's agency owns: a
   * municipality's own residents, a welfare organisation's own clients. Always true for county and jobcenter.
   */
  inOwnScope: boolean;
  /** The person's consents naming the caller's agency and purpose, or 'unavailable' when the registry failed. */
  consents: ConsentGrant[] | 'unavailable';
  catalogue: StatuteCatalogue;
  now: Date;
  /** The district's time zone (`DISTRICT_TIME_ZONE`), in which a consent's validity dates are days. */
  timeZone: string;
}

/** The refusal codes, exactly as the client sees them in `extensions.code` and the log records them. */
export type Refusal = 'FORBIDDEN' | 'CONSENT_REQUIRED' | 'CONSENT_UNAVAILABLE';

/** `basis` is OWN_TASK, STATUTE:<entry id> or CONSENT:<id>@<version>. */
export type Decision = { allowed: true; basis: string } | { allowed: false; refusal: Refusal; reason: string };

/** Purposes under which no personal field is released on the basis of own task or consent. */
const NON_CASE_PURPOSES: readonly Purpose[] = ['MONITORING', 'CONSENT_MANAGEMENT', ACCESS_REQUEST];

/**
 * True when the consent is in force at `now`: neither withdrawn nor voided, and `now` falls, in the district's
 * time zone, on a day from `validFrom` through `validUntil` (both included).
 */
export function consentInForce(consent: ConsentGrant, now: Date, timeZone: string): boolean {
  if (consent.withdrawnAt !== null || consent.voidedAt !== null) return false;
  const today = localDateOf(now, timeZone);
  return consent.validFrom <= today && (consent.validUntil === null || today <= consent.validUntil);
}

/** True when the consent covers this recipient, purpose and category and is in force at `now`. */
export function consentCovers(
  consent: ConsentGrant,
  input: Pick<DecisionInput, 'caller' | 'category' | 'now' | 'timeZone'>,
): boolean {
  return (
    consent.recipients.includes(input.caller.agency.id) &&
    consent.purposes.includes(input.caller.purpose) &&
    consent.categories.includes(input.category) &&
    consentInForce(consent, input.now, input.timeZone)
  );
}

/**
 * Of several consents covering the same field, the basis named is the one in force longest (open-ended
 * first, then the latest last day, then the smallest id): the same answer whatever order the registry
 * returned them in, so the log, the person view and `effectiveAccess` name the same consent.
 */
function longestCovering(
  consents: ConsentGrant[],
  input: Pick<DecisionInput, 'caller' | 'category' | 'now' | 'timeZone'>,
): ConsentGrant | undefined {
  let best: ConsentGrant | undefined;
  for (const consent of consents) {
    if (!consentCovers(consent, input)) continue;
    if (!best || lastsLonger(consent, best)) best = consent;
  }
  return best;
}

function lastsLonger(a: ConsentGrant, b: ConsentGrant): boolean {
  if (a.validUntil !== b.validUntil) {
    if (a.validUntil === null) return true;
    if (b.validUntil === null) return false;
    return a.validUntil > b.validUntil;
  }
  return a.id < b.id;
}

/**
 * Decides whether one caller may see one category of one person, following the design's order: role
 * gate, own task, statute, consent, refuse. Pure: everything it needs is in the input.
 */
export function decide(input: DecisionInput): Decision {
  const { caller, category, catalogue, field } = input;
  const caseworker = caller.roles.includes('CASEWORKER');
  const consentOfficer = caller.roles.includes('CONSENT_OFFICER');
  const applies = (e: StatuteEntry) =>
    e.agencies.includes(caller.agency.kind) && e.purposes.includes(caller.purpose) && e.categories.includes(category);

  // 1. Role gate. A consent officer answering a person's access request (Art. 15 GDPR) may be given every
  // category the catalogue grants for it (step 3); HEALTH never, as no statute releases it. Beyond identity
  // data, a consent officer may be given single fields a statute entry names for its purpose (step 3), such as
  // the municipality that tells two persons of the same name apart.
  const accessRequest = consentOfficer && caller.purpose === ACCESS_REQUEST;
  if (caller.purpose === ACCESS_REQUEST && !consentOfficer) {
    return { allowed: false, refusal: 'FORBIDDEN', reason: 'Only consent officers answer access requests' };
  }
  // Only a consent officer's other categories need the catalogue here (a field an entry names alone).
  const namedField = () =>
    field !== undefined && catalogue.entries.some((e) => applies(e) && e.fields?.includes(field));
  if (!caseworker && !(consentOfficer && (category === 'IDENTITY' || accessRequest || namedField()))) {
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

  // 3. Statute; never for HEALTH (GDPR Art. 9 data needs explicit consent; the catalogue refuses such entries).
  if (category !== 'HEALTH') {
    const statute = catalogue.entries.find(
      (e) => applies(e) && (e.fields === undefined || (field !== undefined && e.fields.includes(field))),
    );
    if (statute) return { allowed: true, basis: `STATUTE:${statute.id}` };
  }

  // 4. Consent.
  if (casework) {
    if (input.consents === 'unavailable') {
      return { allowed: false, refusal: 'CONSENT_UNAVAILABLE', reason: 'The consent registry could not be reached' };
    }
    const consent = longestCovering(input.consents, input);
    if (consent) return { allowed: true, basis: `CONSENT:${consent.id}@${consent.version}` };
  }

  // 5. Refuse. An access request is answered on the catalogue alone: no consent could change it.
  if (accessRequest) {
    return {
      allowed: false,
      refusal: 'FORBIDDEN',
      reason:
        category === 'HEALTH'
          ? 'Special category data (HEALTH) is never released by statute, not even for an access request; the welfare organisation holding it answers for it itself'
          : `No statute entry allows ${caller.agency.id} to gather ${category} for an access request`,
    };
  }
  return {
    allowed: false,
    refusal: 'CONSENT_REQUIRED',
    reason: `No own task, statute or consent allows ${caller.agency.id} to see ${category} for ${caller.purpose}`,
  };
}
