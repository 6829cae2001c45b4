import {
  ACCESS_REQUEST,
  CASE_PURPOSES,
  NARROW_PURPOSES,
  PURPOSE_ROLE,
  PURPOSES,
  type AgencyKind,
  type Caller,
  type Purpose,
  type Role,
  type SubgraphName,
} from '../domain.js';

/**
 * Over whose records a write reaches. The subgraph checks the person (or record) a mutation names against
 * this before the mutation runs, in the mutation's transaction; no write can widen the writer's own scope.
 *
 * - `NEW_PERSON`: registers a person; no existing person is touched (the county).
 * - `REGISTERED_PERSONS`: any person the county registered (the county's and the jobcenter's own records).
 * - `ASSIGNED_PERSONS`: persons the county assigned to the caller's municipality, or already living in it.
 * - `OWN_RESIDENTS`: persons whose current accommodation lies in the caller's municipality.
 * - `OWN_OR_NEW_CLIENTS`: registered persons not counselled by another welfare organisation.
 * - `OWN_RECORDS`: a record (by its id) the caller's own agency or organisation wrote.
 * - `CONSENT_REGISTRY`: consents of registered persons (consent officers; the registry itself).
 * - `OWN_AGENCY_ENTRIES`: reference entries about no person (the district's directory): a named entry must be
 *   the caller's agency's own, a new one becomes its own.
 */
export type WriteScope =
  | 'NEW_PERSON'
  | 'REGISTERED_PERSONS'
  | 'ASSIGNED_PERSONS'
  | 'OWN_RESIDENTS'
  | 'OWN_OR_NEW_CLIENTS'
  | 'OWN_RECORDS'
  | 'CONSENT_REGISTRY'
  | 'OWN_AGENCY_ENTRIES';

/** Who may run one operation: the acting roles, the purposes, the agencies, and for writes over whose records. */
export interface OperationRule {
  /** The acting roles (selected by the purpose) that may run it. */
  roles: readonly Role[];
  /**
   * The purposes it may serve. @default every purpose of the listed roles except the narrow ones
   * (`NARROW_PURPOSES`: answering one person's access request), which only a rule naming them serves
   */
  purposes?: readonly Purpose[];
  /** The kinds of agency that may run it. @default every agency */
  agencies?: readonly AgencyKind[];
  /** For a mutation: over whose records it writes. */
  writes?: WriteScope;
  /** Why the rule is what it is, for the reader of this table and for the refusal message. */
  note: string;
  /**
   * In production, only requests from these parts of the hub, by their verified client certificate
   * (`Caller.part`); in development the roles alone decide. @default any part or client
   */
  parts?: readonly string[];
}

const CASEWORK = ['CASEWORKER'] as const;
const ANYONE = ['CASEWORKER', 'CONSENT_OFFICER', 'ANALYST'] as const;
const OFFICER = ['CONSENT_OFFICER'] as const;
const ANALYST = ['ANALYST'] as const;

/**
 * One person's view, where a person's own access request (Art. 15 GDPR) is answered too: casework, consent
 * management and the access request. Each field is then decided by the policy; under the access request a
 * request concerns one person only (`AccessService`).
 */
const PERSON_VIEW_PURPOSES: readonly Purpose[] = [...CASE_PURPOSES, 'CONSENT_MANAGEMENT', ACCESS_REQUEST];

/** The county's register check, as a GraphQL query and as the lean lookup the writers use: one rule for both. */
const REGISTER_CHECK: OperationRule = {
  roles: ['CASEWORKER', 'CONSENT_OFFICER'],
  note: "a partner's check, before it writes, that the county issued a person id (and assigned the person to the caller)",
};

/** The consent lookup, as a GraphQL query and as the lean lookup the data subgraphs use: one rule for both. */
const CONSENT_LOOKUP: OperationRule = {
  roles: CASEWORK,
  note: "a subgraph's lookup on a caseworker's behalf: only consents naming the caller",
};

/**
 * The subgraph's schema (`_service { sdl }`): no personal data, but a map of every hidden field and entity.
 * The gateway loads a supergraph composed ahead of time and needs it only to compose; in production only
 * the gateway's own identity (its mTLS client certificate) gets it, in development anyone (Sandbox, rover).
 */
const SERVICE_SDL: OperationRule = {
  roles: ANYONE,
  parts: ['gateway'],
  note: 'the schema, for composing the supergraph (npm run compose); no personal data',
};

/** The disclosure log's HTTP endpoints (`/audit/*`), the same in each of the four data subgraphs. */
const AUDIT_ENDPOINTS: Record<string, OperationRule> = {
  'Audit.records': {
    roles: OFFICER,
    purposes: ['CONSENT_MANAGEMENT', ACCESS_REQUEST],
    note: "the consent officer's audit; for an access request only the records of the one person it names",
  },
  'Audit.verify': { roles: OFFICER, note: "the consent officer's audit" },
  'Audit.checkpoint': { roles: OFFICER, note: 'a checkpoint made now, before a verification or receipt' },
  'Audit.proofs': { roles: OFFICER, note: "inclusion proofs for a person's receipt" },
};

/** A caseworker's write of the caller's own agency's records. */
function write(agency: AgencyKind, writes: WriteScope, note: string): OperationRule {
  return { roles: CASEWORK, purposes: CASE_PURPOSES, agencies: [agency], writes, note };
}

/**
 * Every operation of every subgraph, with who may run it: root fields as `Query.<field>` and
 * `Mutation.<field>`, federated entities (`_entities`) as `Entity.<type>`, and the disclosure log's own HTTP
 * endpoints as `Audit.<endpoint>`, and the lean lookups (`POST /lookup/<name>`) as `Lookup.<name>`. Checked before an operation runs — at the gateway for the root fields
 * (so nothing is asked of any subgraph) and again at every subgraph, which can be reached directly. A
 * subgraph whose schema has an operation missing here does not start.
 */
export const OPERATIONS: Record<SubgraphName, Record<string, OperationRule>> = {
  county: {
    'Query.person': {
      roles: ['CASEWORKER', 'CONSENT_OFFICER'],
      purposes: PERSON_VIEW_PURPOSES,
      note: 'one person; each field is then decided by the policy',
    },
    'Query.registeredPersons': { roles: CASEWORK, agencies: ['county'], note: "the county's own caseload" },
    'Query.searchPersons': {
      roles: OFFICER,
      note: "a consent officer's search by name or date of birth, at most 50 persons; identity only",
    },
    'Query.registrations': REGISTER_CHECK,
    'Lookup.registrations': REGISTER_CHECK,
    'Query.candidateSearch': {
      roles: CASEWORK,
      purposes: ['JOB_PLACEMENT'],
      agencies: ['jobcenter'],
      note: "the jobcenter's consented candidate search: only persons it may see every filtered category of are searched",
    },
    'Query._service': SERVICE_SDL,
    'Entity.Person': {
      roles: ['CASEWORKER', 'CONSENT_OFFICER'],
      purposes: PERSON_VIEW_PURPOSES,
      note: 'analysts learn nothing about a person, not even that one exists',
    },
    'Entity.Indicators': { roles: ANALYST, note: 'aggregates for monitoring' },
    'Mutation.registerPerson': write('county', 'NEW_PERSON', 'the county issues person ids'),
    'Mutation.updateResidence': write('county', 'REGISTERED_PERSONS', "the immigration office's own record"),
    'Mutation.recordClearing': write('county', 'REGISTERED_PERSONS', "the clearing office's own record"),
    'Mutation.assignCountyContact': write(
      'county',
      'REGISTERED_PERSONS',
      "the county's own officer (clearing, immigration office) for a registered person",
    ),
    'Mutation.endCountyContact': write('county', 'OWN_RECORDS', "the county's own contact assignments"),
    'Query.directory': {
      roles: ANYONE,
      purposes: PURPOSES,
      note: "the district's guide of responsibilities, no personal data",
    },
    'Mutation.recordDirectoryEntry': {
      roles: CASEWORK,
      purposes: CASE_PURPOSES,
      writes: 'OWN_AGENCY_ENTRIES',
      note: "each partner keeps its own lines of the district's guide of responsibilities",
    },
    'Mutation.removeDirectoryEntry': {
      roles: CASEWORK,
      purposes: CASE_PURPOSES,
      writes: 'OWN_AGENCY_ENTRIES',
      note: "each partner keeps its own lines of the district's guide of responsibilities",
    },
    ...AUDIT_ENDPOINTS,
  },
  municipality: {
    'Query.indicators': { roles: ANALYST, note: 'aggregates for monitoring' },
    'Query.indicatorSeries': { roles: ANALYST, note: 'aggregates for monitoring, several periods and regions at once' },
    'Query.municipalities': { roles: ANYONE, purposes: PURPOSES, note: 'reference data, no personal data' },
    'Query.residents': { roles: CASEWORK, agencies: ['municipality'], note: "the municipality's own residents" },
    'Query.housingMatches': {
      roles: CASEWORK,
      purposes: ['JOB_PLACEMENT'],
      agencies: ['jobcenter'],
      note: "the county's candidate search for the jobcenter asks which consenting persons live where; HOUSING is decided per person",
    },
    'Query._service': SERVICE_SDL,
    'Entity.Person': {
      roles: ['CASEWORKER', 'CONSENT_OFFICER'],
      purposes: PERSON_VIEW_PURPOSES,
      note: 'each field is then decided by the policy',
    },
    'Entity.Municipality': { roles: ANYONE, purposes: PURPOSES, note: 'reference data, no personal data' },
    'Entity.Indicators': { roles: ANALYST, note: 'aggregates for monitoring' },
    'Mutation.recordAccommodation': write('municipality', 'ASSIGNED_PERSONS', "a move follows the county's assignment"),
    'Mutation.recordEnrolment': write('municipality', 'OWN_RESIDENTS', 'a municipality enrols its own residents'),
    'Mutation.endEnrolment': write('municipality', 'OWN_RECORDS', "the municipality's own enrolments"),
    'Mutation.assignMunicipalityContact': write(
      'municipality',
      'ASSIGNED_PERSONS',
      "a municipality's own officer for persons assigned to it or living in it",
    ),
    'Mutation.endMunicipalityContact': write(
      'municipality',
      'OWN_RECORDS',
      "the municipality's own contact assignments",
    ),
    ...AUDIT_ENDPOINTS,
  },
  jobcenter: {
    'Query.jobcenterCaseload': { roles: CASEWORK, agencies: ['jobcenter'], note: "the jobcenter's own caseload" },
    'Query._service': SERVICE_SDL,
    'Entity.Person': {
      roles: ['CASEWORKER', 'CONSENT_OFFICER'],
      purposes: PERSON_VIEW_PURPOSES,
      note: 'each field is then decided by the policy',
    },
    'Entity.Indicators': { roles: ANALYST, note: 'aggregates for monitoring' },
    'Mutation.recordEmploymentStatus': write('jobcenter', 'REGISTERED_PERSONS', "the jobcenter's own record"),
    'Mutation.recordMeasure': write('jobcenter', 'REGISTERED_PERSONS', "the jobcenter's own record"),
    'Mutation.recordIntegrationCourse': write('jobcenter', 'REGISTERED_PERSONS', "the jobcenter's own record"),
    'Mutation.updateIntegrationCourse': write('jobcenter', 'OWN_RECORDS', "the jobcenter's own record"),
    'Mutation.recordBenefit': write('jobcenter', 'REGISTERED_PERSONS', "the jobcenter's own record"),
    'Mutation.recordClientResidence': write('jobcenter', 'REGISTERED_PERSONS', "the jobcenter's own record"),
    'Mutation.assignJobcenterContact': write(
      'jobcenter',
      'REGISTERED_PERSONS',
      "the jobcenter's own officer for a registered person",
    ),
    'Mutation.endJobcenterContact': write('jobcenter', 'OWN_RECORDS', "the jobcenter's own contact assignments"),
    ...AUDIT_ENDPOINTS,
  },
  socialcare: {
    'Query.welfareOrganisations': { roles: ANYONE, purposes: PURPOSES, note: 'reference data, no personal data' },
    'Query.caseNotes': {
      roles: CASEWORK,
      agencies: ['socialcare'],
      note: "an organisation's own notes never leave it",
    },
    'Query.clients': { roles: CASEWORK, agencies: ['socialcare'], note: "the organisation's own clients" },
    'Query._service': SERVICE_SDL,
    'Entity.Person': {
      roles: ['CASEWORKER', 'CONSENT_OFFICER'],
      purposes: PERSON_VIEW_PURPOSES,
      note: 'each field is then decided by the policy',
    },
    'Entity.Indicators': { roles: ANALYST, note: 'aggregates for monitoring' },
    'Mutation.assignCaseworker': write('socialcare', 'OWN_OR_NEW_CLIENTS', 'an organisation counsels its own clients'),
    'Mutation.openSupportNeed': write('socialcare', 'OWN_OR_NEW_CLIENTS', "the organisation's own record"),
    'Mutation.closeSupportNeed': write('socialcare', 'OWN_RECORDS', "the organisation's own record"),
    'Mutation.recordSpecialNeed': write('socialcare', 'OWN_OR_NEW_CLIENTS', "the organisation's own record"),
    'Mutation.addCaseNote': write('socialcare', 'OWN_OR_NEW_CLIENTS', "the organisation's own record"),
    'Mutation.recordParticipation': write(
      'socialcare',
      'OWN_OR_NEW_CLIENTS',
      "the organisation's own record, read back only as aggregates",
    ),
    'Mutation.endParticipation': write('socialcare', 'OWN_RECORDS', "the organisation's own record"),
    ...AUDIT_ENDPOINTS,
  },
  consent: {
    'Query.consent': { roles: OFFICER, note: 'consents are managed by consent officers' },
    'Query.consentGrants': CONSENT_LOOKUP,
    'Lookup.consentGrants': CONSENT_LOOKUP,
    'Query.consentedPersons': {
      roles: CASEWORK,
      purposes: ['JOB_PLACEMENT'],
      agencies: ['jobcenter'],
      note: "the county's candidate search on the jobcenter's behalf: who consented to the searched categories; only consents naming the caller",
    },
    'Query.disclosureTimeline': { roles: OFFICER, note: "the consent officer's audit" },
    'Query.disclosureLog': { roles: OFFICER, note: "the consent officer's audit" },
    'Query.disclosureSummary': {
      roles: OFFICER,
      note: "the consent officer's audit: a person's disclosures per recipient and category",
    },
    'Query.disclosureExport': {
      roles: OFFICER,
      note: "the consent officer's export of a person's disclosures or the filtered log as CSV or .xlsx, itself on record",
    },
    'Query.accessReport': {
      roles: OFFICER,
      purposes: ['CONSENT_MANAGEMENT', ACCESS_REQUEST],
      note: "the person's Art. 15 report, prepared by a consent officer (with the copy of the data: the access request)",
    },
    'Query.disclosureLogVerification': { roles: OFFICER, note: "the consent officer's audit" },
    'Query.disclosureLogExport': {
      roles: OFFICER,
      note: "the consent officer's export of the filtered log as CSV, itself on record",
    },
    'Query._service': SERVICE_SDL,
    'Entity.Person': {
      roles: OFFICER,
      purposes: ['CONSENT_MANAGEMENT', ACCESS_REQUEST],
      note: "a person's consents, for consent officers (and in the copy of an access request)",
    },
    'Mutation.recordConsent': {
      roles: OFFICER,
      writes: 'CONSENT_REGISTRY',
      note: 'consents are managed by consent officers',
    },
    'Mutation.changeConsent': {
      roles: OFFICER,
      writes: 'CONSENT_REGISTRY',
      note: 'consents are managed by consent officers',
    },
    'Mutation.withdrawConsent': {
      roles: OFFICER,
      writes: 'CONSENT_REGISTRY',
      note: 'consents are managed by consent officers',
    },
    'Mutation.voidConsent': {
      roles: OFFICER,
      writes: 'CONSENT_REGISTRY',
      note: 'consents are managed by consent officers',
    },
    'Query.effectiveAccess': {
      roles: OFFICER,
      note: "what a person's consents, the statutes and own tasks allow right now, for the consent officer",
    },
    'Query.withdrawalPreview': { roles: OFFICER, note: 'consents are managed by consent officers' },
    'Query.changePreview': { roles: OFFICER, note: 'consents are managed by consent officers' },
    'Query.overlappingConsents': { roles: OFFICER, note: 'consents are managed by consent officers' },
    'Query.consentSettings': { roles: OFFICER, note: "the district's time zone and notices, for the consent form" },
  },
};

/** Why a caller may not run an operation, or undefined when it may. */
export function operationRefusal(
  rule: OperationRule | undefined,
  caller: Pick<Caller, 'role' | 'purpose' | 'agency' | 'part'>,
  name: string,
  development = false,
): string | undefined {
  if (!rule) return `${name} is not an operation of Verbund`;
  if (rule.parts && !development && !(caller.part && rule.parts.includes(caller.part))) {
    return `${name} answers only the hub's ${rule.parts.join(', ')} (by its client certificate) in production: ${rule.note}`;
  }
  if (!rule.roles.includes(caller.role)) {
    return `${name} is not open to role ${caller.role} (purpose ${caller.purpose}); it is for ${rule.roles.join(', ')}: ${rule.note}`;
  }
  if (rule.purposes ? !rule.purposes.includes(caller.purpose) : NARROW_PURPOSES.includes(caller.purpose)) {
    return `${name} does not serve purpose ${caller.purpose}: ${rule.note}`;
  }
  if (rule.agencies && !rule.agencies.includes(caller.agency.kind)) {
    return `${name} is not open to ${caller.agency.id}; it is for ${rule.agencies.join(', ')}: ${rule.note}`;
  }
  return undefined;
}

/** Every (role, purpose) pair a token can act as: the purpose decides the role. */
export function actingPairs(): { role: Role; purpose: Purpose }[] {
  return (Object.keys(PURPOSE_ROLE) as Purpose[]).map((purpose) => ({ role: PURPOSE_ROLE[purpose], purpose }));
}
