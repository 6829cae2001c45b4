/**
 * The console's GraphQL operations, typed by hand against schema/supergraph.graphql (the consent officer's
 * part of the public graph). Every operation is sent with X-Purpose: CONSENT_MANAGEMENT.
 */
import { gql, type TypedDocumentNode } from '@apollo/client';

export type ConsentState = 'GIVEN' | 'WITHDRAWN' | 'VOIDED' | 'EXPIRED' | 'NOT_YET_VALID';
export type ConsentForm = 'WRITTEN' | 'ELECTRONIC';
export type Decision = 'RELEASED' | 'REFUSED' | 'WRITE';

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
  'MONITORING',
] as const;
export type Purpose = (typeof PURPOSES)[number];

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

export interface PersonIdentity {
  id: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  nationality: string | null;
}

const IDENTITY = 'id givenName familyName dateOfBirth nationality';

export const SEARCH_PERSONS: TypedDocumentNode<
  { searchPersons: PersonIdentity[] },
  { name?: string | null; dateOfBirth?: string | null; first?: number }
> = gql`
  query ConsoleSearchPersons($name: String, $dateOfBirth: LocalDate, $first: Int! = 20) {
    searchPersons(name: $name, dateOfBirth: $dateOfBirth, first: $first) { ${IDENTITY} }
  }
`;

export const PERSON_BY_ID: TypedDocumentNode<{ person: PersonIdentity | null }, { id: string }> = gql`
  query ConsolePerson($id: ID!) { person(id: $id) { ${IDENTITY} } }
`;

export interface Consent {
  id: string;
  version: number;
  personId: string;
  recipients: string[];
  purposes: Purpose[];
  categories: Category[];
  givenAt: string;
  /** First day in force (YYYY-MM-DD, a day in the district's time zone; never converted). */
  validFrom: string;
  /** Last day in force (YYYY-MM-DD), through its end; null: until withdrawn. */
  validUntil: string | null;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  form: ConsentForm;
  evidenceReference: string;
  noticeVersion: string;
  noticeLanguage: string;
  recordedAt: string;
  state: ConsentState;
  recordedBy: { officer: string; agency: string };
}

const CONSENT = `id version personId recipients purposes categories givenAt validFrom validUntil withdrawnAt
  withdrawalReason voidedAt voidReason form evidenceReference noticeVersion noticeLanguage recordedAt state recordedBy { officer agency }`;

export type ConsentWithVersions = Consent & { versions: Consent[] };

export const PERSON_CONSENTS: TypedDocumentNode<
  { person: (PersonIdentity & { consents: ConsentWithVersions[] | null }) | null },
  { id: string }
> = gql`
  query ConsolePersonConsents($id: ID!) {
    person(id: $id) { ${IDENTITY} consents { ${CONSENT} versions { ${CONSENT} } } }
  }
`;

export const CONSENT_BY_ID: TypedDocumentNode<{ consent: ConsentWithVersions | null }, { id: string }> = gql`
  query ConsoleConsent($id: ID!) { consent(id: $id) { ${CONSENT} versions { ${CONSENT} } } }
`;

export interface ConsentTerms {
  recipients: string[];
  purposes: Purpose[];
  categories: Category[];
  givenAt: string;
  validFrom?: string | null;
  validUntil?: string | null;
  form: ConsentForm;
  evidenceReference: string;
  noticeVersion: string;
  noticeLanguage: string;
}

export const RECORD_CONSENT: TypedDocumentNode<
  { recordConsent: Consent & { overlapping: { id: string; version: number }[] } },
  { input: ConsentTerms & { personId: string } }
> = gql`
  mutation ConsoleRecordConsent($input: RecordConsentInput!) { recordConsent(input: $input) { ${CONSENT} overlapping { id version } } }
`;

/** The district's time zone (validity days are days there) and information notices. */
export const CONSENT_SETTINGS: TypedDocumentNode<
  { consentSettings: { timeZone: string; notices: { version: string; languages: string[] }[] } },
  Record<string, never>
> = gql`
  query ConsoleConsentSettings {
    consentSettings {
      timeZone
      notices {
        version
        languages
      }
    }
  }
`;

/** Before saving: the person's active consents these terms would overlap. */
export const OVERLAPPING_CONSENTS: TypedDocumentNode<
  { overlappingConsents: Consent[] },
  { personId: string; terms: ConsentTerms; exceptId: string | null }
> = gql`
  query ConsoleOverlappingConsents($personId: ID!, $terms: ConsentTermsInput!, $exceptId: ID) {
    overlappingConsents(personId: $personId, terms: $terms, exceptId: $exceptId) { ${CONSENT} }
  }
`;

/** One cell of a person's effective access, decided by the subgraphs' own policy code. */
export interface AccessCell {
  agency: string;
  purpose: Purpose;
  category: Category;
  allowed: boolean;
  basis: 'OWN_TASK' | 'STATUTE' | 'CONSENT' | 'NONE';
  refusal: string | null;
  statuteId: string | null;
  statuteReference: string | null;
  consentId: string | null;
  consentVersion: number | null;
  consentValidUntil: string | null;
  ownTaskForOwnRecords: boolean;
}

const CELL = `agency purpose category allowed basis refusal statuteId statuteReference consentId consentVersion
  consentValidUntil ownTaskForOwnRecords`;

export const EFFECTIVE_ACCESS: TypedDocumentNode<{ effectiveAccess: AccessCell[] }, { personId: string }> = gql`
  query ConsoleEffectiveAccess($personId: ID!) { effectiveAccess(personId: $personId) { ${CELL} } }
`;

export interface AccessChange {
  agency: string;
  purpose: Purpose;
  category: Category;
  before: AccessCell;
  after: AccessCell;
}

export const WITHDRAWAL_PREVIEW: TypedDocumentNode<{ withdrawalPreview: AccessChange[] }, { id: string }> = gql`
  query ConsoleWithdrawalPreview($id: ID!) {
    withdrawalPreview(id: $id) { agency purpose category before { ${CELL} } after { ${CELL} } }
  }
`;

export const VOID_CONSENT: TypedDocumentNode<
  { voidConsent: Consent },
  { id: string; expectedVersion: number; reason: string }
> = gql`
  mutation ConsoleVoidConsent($id: ID!, $expectedVersion: Int!, $reason: String!) {
    voidConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) { ${CONSENT} }
  }
`;

export const CHANGE_CONSENT: TypedDocumentNode<
  { changeConsent: Consent },
  { id: string; expectedVersion: number; terms: ConsentTerms }
> = gql`
  mutation ConsoleChangeConsent($id: ID!, $expectedVersion: Int!, $terms: ConsentTermsInput!) {
    changeConsent(id: $id, expectedVersion: $expectedVersion, terms: $terms) { ${CONSENT} }
  }
`;

export const WITHDRAW_CONSENT: TypedDocumentNode<
  { withdrawConsent: Consent },
  { id: string; expectedVersion: number; reason: string }
> = gql`
  mutation ConsoleWithdrawConsent($id: ID!, $expectedVersion: Int!, $reason: String) {
    withdrawConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) { ${CONSENT} }
  }
`;

export interface DisclosureBasis {
  category: string;
  kind: 'OWN_TASK' | 'STATUTE' | 'CONSENT';
  statute: string | null;
  /** The legal reference of the statute catalogue entry, e.g. "§ 50 Abs. 1 SGB II …". */
  statuteReference: string | null;
  consentId: string | null;
  consentVersion: number | null;
  /** When the consent was later voided as recorded in error, and why. */
  consentVoidedAt?: string | null;
  consentVoidReason?: string | null;
}

export interface DisclosureRecord {
  subgraph: string;
  sequence: number;
  at: string;
  requestId: string;
  agency: string;
  officer: string;
  purpose: string;
  operation: string | null;
  kind: 'READ' | 'WRITE' | 'RETENTION' | 'AUDIT';
  personId: string | null;
  released: { field: string; category: string }[];
  refused: { field: string; category: string; reason: string }[];
  basis: DisclosureBasis[];
  changes: { operation: string; record: string }[];
  /** For AUDIT records (subgraph consent): what a consent officer looked at. */
  audit: { action: AuditAction; filter: string | null; records: number | null } | null;
}

export type AuditAction = 'TIMELINE' | 'LOG_SEARCH' | 'ACCESS_REPORT' | 'VERIFICATION' | 'EXPORT';

export interface DisclosurePage {
  records: DisclosureRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface DisclosureFilter {
  personId?: string | null;
  agency?: string | null;
  officer?: string | null;
  purpose?: Purpose | null;
  from?: string | null;
  to?: string | null;
  decision?: Decision | null;
  subgraphs?: string[] | null;
}

const RECORD = `subgraph sequence at requestId agency officer purpose operation kind personId
  released { field category } refused { field category reason }
  basis { category kind statute statuteReference consentId consentVersion consentVoidedAt consentVoidReason } changes { operation record } audit { action filter records }`;

export const DISCLOSURE_TIMELINE: TypedDocumentNode<
  { disclosureTimeline: DisclosurePage },
  { personId: string; first: number; after?: string | null }
> = gql`
  query ConsoleTimeline($personId: ID!, $first: Int!, $after: String) {
    disclosureTimeline(personId: $personId, first: $first, after: $after) { records { ${RECORD} } endCursor hasNextPage }
  }
`;

export const DISCLOSURE_LOG: TypedDocumentNode<
  { disclosureLog: DisclosurePage },
  { filter: DisclosureFilter; first: number; after?: string | null }
> = gql`
  query ConsoleLog($filter: DisclosureFilter, $first: Int!, $after: String) {
    disclosureLog(filter: $filter, first: $first, after: $after) { records { ${RECORD} } endCursor hasNextPage }
  }
`;

/** The filtered log as CSV, made by the server so that the export is on record (an EXPORT audit record). */
export const DISCLOSURE_LOG_EXPORT: TypedDocumentNode<
  { disclosureLogExport: string },
  { filter: DisclosureFilter; first: number; category?: string | null; basis?: string | null }
> = gql`
  query ConsoleLogExport($filter: DisclosureFilter, $first: Int!, $category: String, $basis: BasisKind) {
    disclosureLogExport(filter: $filter, first: $first, category: $category, basis: $basis)
  }
`;

export interface LogVerification {
  subgraph: string;
  available: boolean;
  intact: boolean;
  records: number;
  lastSequence: number;
  headHash: string;
  witnessedSequence: number | null;
  witnessedAt: string | null;
  problems: { kind: string; sequence: number; message: string }[];
  summary: string;
}

export const VERIFICATION: TypedDocumentNode<
  { disclosureLogVerification: LogVerification[] },
  Record<string, never>
> = gql`
  query ConsoleVerification {
    disclosureLogVerification {
      subgraph
      available
      intact
      records
      lastSequence
      headHash
      witnessedSequence
      witnessedAt
      problems {
        kind
        sequence
        message
      }
      summary
    }
  }
`;

export interface AccessReportEntry {
  date: string;
  holder: string;
  ownRecords: boolean;
  recipient: string;
  purpose: string;
  categories: string[];
  fields: string[];
  basis: DisclosureBasis[];
  requests: number;
}

export const ACCESS_REPORT: TypedDocumentNode<
  {
    accessReport: { personId: string; generatedAt: string; entries: AccessReportEntry[] };
    person: (PersonIdentity & { consents: Consent[] | null }) | null;
  },
  { personId: string }
> = gql`
  query ConsoleAccessReport($personId: ID!) {
    accessReport(personId: $personId) {
      personId generatedAt
      entries { date holder ownRecords recipient purpose categories fields basis { category kind statute statuteReference consentId consentVersion consentVoidedAt consentVoidReason } requests }
    }
    person(id: $personId) { ${IDENTITY} consents { ${CONSENT} } }
  }
`;

export const FIELDS_OF_ACTION = [
  'HOUSING',
  'LANGUAGE',
  'EDUCATION',
  'WORK_AND_TRAINING',
  'SOCIAL_PARTICIPATION',
  'RESIDENCE',
] as const;
export type FieldOfAction = (typeof FIELDS_OF_ACTION)[number];

/** A line of the district's guide of responsibilities (no person data). */
export interface DirectoryEntry {
  id: string;
  agency: string;
  fieldOfAction: FieldOfAction;
  municipality: { ags: string; name: string | null } | null;
  office: string;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  hours: string | null;
}

export const DIRECTORY: TypedDocumentNode<
  { directory: DirectoryEntry[] },
  { fieldOfAction: FieldOfAction | null; municipality: string | null }
> = gql`
  query ConsoleDirectory($fieldOfAction: FieldOfAction, $municipality: String) {
    directory(fieldOfAction: $fieldOfAction, municipality: $municipality) {
      id
      agency
      fieldOfAction
      municipality {
        ags
        name
      }
      office
      contactName
      phone
      email
      address
      hours
    }
  }
`;

export const MUNICIPALITIES: TypedDocumentNode<
  { municipalities: { ags: string; name: string }[] },
  Record<string, never>
> = gql`
  query ConsoleMunicipalities {
    municipalities {
      ags
      name
    }
  }
`;
