/**
 * The shared vocabulary of Verbund: agencies, roles, purposes and data categories, as the design defines them.
 * Everything here is data; the decisions built on it live in `policy/`.
 */

/** The five subgraphs. Four hold personal data; `consent` is the county's consent registry. */
export const SUBGRAPHS = ['county', 'municipality', 'jobcenter', 'socialcare', 'consent'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

export const ROLES = ['CASEWORKER', 'CONSENT_OFFICER', 'ANALYST'] as const;
export type Role = (typeof ROLES)[number];

export const PURPOSES = [
  'CLEARING',
  'RESIDENCE_PROCEDURE',
  'HOUSING_ALLOCATION',
  'SCHOOL_AND_CHILDCARE',
  'JOB_PLACEMENT',
  'LANGUAGE_SUPPORT',
  'SOCIAL_COUNSELLING',
  'CASE_CONFERENCE',
  'CONSENT_MANAGEMENT',
  'DATA_SUBJECT_ACCESS',
  'MONITORING',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Data categories are the unit of consent: a consent names categories, never single fields. */
export const CATEGORIES = [
  'IDENTITY',
  'RESIDENCE',
  'CLEARING_LANGUAGE',
  'CLEARING_EDUCATION',
  'HOUSING',
  'CHILDCARE_SCHOOL',
  'EMPLOYMENT',
  'INTEGRATION_COURSE',
  'BENEFITS',
  'SOCIAL_CARE',
  'HEALTH',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * The role each purpose belongs to. A token may carry several roles; the stated purpose selects the one that
 * acts, and only its rights apply (purpose limitation): a caseworker cannot borrow CONSENT_MANAGEMENT.
 */
export const PURPOSE_ROLE: Record<Purpose, Role> = {
  CLEARING: 'CASEWORKER',
  RESIDENCE_PROCEDURE: 'CASEWORKER',
  HOUSING_ALLOCATION: 'CASEWORKER',
  SCHOOL_AND_CHILDCARE: 'CASEWORKER',
  JOB_PLACEMENT: 'CASEWORKER',
  LANGUAGE_SUPPORT: 'CASEWORKER',
  SOCIAL_COUNSELLING: 'CASEWORKER',
  CASE_CONFERENCE: 'CASEWORKER',
  CONSENT_MANAGEMENT: 'CONSENT_OFFICER',
  DATA_SUBJECT_ACCESS: 'CONSENT_OFFICER',
  MONITORING: 'ANALYST',
};

/**
 * Answering one person's access request (GDPR Art. 15): the consent officer gathers the copy of the person's data
 * (Art. 15 (3)) from every agency. Never a purpose a person consents to (it is the controller's duty), and an
 * operation serves it only where its rule names it (`NARROW_PURPOSES`): one person's view, nothing that lists persons.
 */
export const ACCESS_REQUEST = 'DATA_SUBJECT_ACCESS' satisfies Purpose;

/**
 * Purposes that an operation serves only where its rule names them (`common/access/operations.ts`), not by
 * default with every purpose of the rule's roles; and under which one request concerns one person only.
 */
export const NARROW_PURPOSES: readonly Purpose[] = [ACCESS_REQUEST];

/**
 * The consent officers' own purposes (consent management, answering an access request): their reads are the
 * "officers' own reads" that the timeline hides by default.
 */
export const OFFICER_PURPOSES: readonly Purpose[] = PURPOSES.filter((p) => PURPOSE_ROLE[p] === 'CONSENT_OFFICER');

/** The purposes of casework: every purpose that belongs to the CASEWORKER role. */
export const CASE_PURPOSES: readonly Purpose[] = PURPOSES.filter((p) => PURPOSE_ROLE[p] === 'CASEWORKER');

/** The kind of an agency, without its municipality key (AGS) or welfare provider. */
export type AgencyKind = 'county' | 'municipality' | 'jobcenter' | 'socialcare';

/** The subgraph that holds, and answers for, each category. */
export const CATEGORY_OWNER: Record<Category, AgencyKind> = {
  IDENTITY: 'county',
  RESIDENCE: 'county',
  CLEARING_LANGUAGE: 'county',
  CLEARING_EDUCATION: 'county',
  HOUSING: 'municipality',
  CHILDCARE_SCHOOL: 'municipality',
  EMPLOYMENT: 'jobcenter',
  INTEGRATION_COURSE: 'jobcenter',
  BENEFITS: 'jobcenter',
  SOCIAL_CARE: 'socialcare',
  HEALTH: 'socialcare',
};

/** The purposes each kind of agency may state in `X-Purpose`; any other purpose is refused with 403. */
export const PURPOSES_BY_AGENCY: Record<AgencyKind, readonly Purpose[]> = {
  county: [
    'CLEARING',
    'RESIDENCE_PROCEDURE',
    'HOUSING_ALLOCATION',
    'LANGUAGE_SUPPORT',
    'CASE_CONFERENCE',
    'CONSENT_MANAGEMENT',
    // The county operates the consent registry and sends the Art. 15 letter, so it gathers the copy.
    ACCESS_REQUEST,
    'MONITORING',
  ],
  municipality: ['HOUSING_ALLOCATION', 'SCHOOL_AND_CHILDCARE', 'CASE_CONFERENCE', 'CONSENT_MANAGEMENT', 'MONITORING'],
  jobcenter: ['JOB_PLACEMENT', 'LANGUAGE_SUPPORT', 'CASE_CONFERENCE', 'CONSENT_MANAGEMENT', 'MONITORING'],
  socialcare: ['SOCIAL_COUNSELLING', 'LANGUAGE_SUPPORT', 'CASE_CONFERENCE', 'CONSENT_MANAGEMENT', 'MONITORING'],
};

/** A parsed agency claim: `county`, `jobcenter`, `municipality:<AGS>` or `socialcare:<provider>`. */
export interface Agency {
  /** The claim exactly as issued, e.g. `municipality:08115003`. */
  id: string;
  kind: AgencyKind;
  /** The eight-digit official municipality key (Amtlicher Gemeindeschlüssel) for a municipality. */
  ags?: string;
  /** The welfare organisation's key for a socialcare agency, e.g. `caritas`. */
  provider?: string;
}

const AGENCY_PATTERN = /^(?:(county|jobcenter)|municipality:(\d{8})|socialcare:([a-z][a-z0-9-]{1,40}))$/;

/** Parses an agency claim; returns undefined for anything that is not one of the four forms. */
export function parseAgency(value: unknown): Agency | undefined {
  if (typeof value !== 'string') return undefined;
  const match = AGENCY_PATTERN.exec(value);
  if (!match) return undefined;
  if (match[1]) return { id: value, kind: match[1] as AgencyKind };
  if (match[2]) return { id: value, kind: 'municipality', ags: match[2] };
  return { id: value, kind: 'socialcare', provider: match[3] };
}

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The authenticated caller of one request, as every subgraph sees it. */
export interface Caller {
  /** Pseudonymous officer id (the token's `sub`). */
  officer: string;
  agency: Agency;
  /** The role that acts: the one the purpose belongs to (`PURPOSE_ROLE`), which the token must carry. */
  role: Role;
  /**
   * The roles that act in this request: always `[role]`. Other roles the token carries do not act, so
   * every check on roles sees only the purpose's role.
   */
  roles: Role[];
  purpose: Purpose;
  /** Shared by all subgraph fetches of one gateway request. */
  requestId: string;
  /** The client's own X-Request-Id, which the gateway passes on as X-Correlation-Id. */
  correlationId?: string;
  /**
   * The hub's own part the request came from, by the common name of its client certificate, where mTLS
   * verified one (e.g. `gateway`); absent otherwise.
   */
  part?: string;
}

export function hasRole(caller: Caller, role: Role): boolean {
  return caller.role === role;
}
