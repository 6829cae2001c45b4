/**
 * The console's GraphQL operations (the consent officer's part of the public graph). Their types are generated
 * from schema/supergraph.graphql by GraphQL Code Generator into ./gql (console/codegen.ts), never written by
 * hand: an operation that no longer matches the schema fails `npm run build:console`. Every operation is sent
 * with X-Purpose: CONSENT_MANAGEMENT, but the Art. 15 report with the copy of the data (DATA_SUBJECT_ACCESS).
 * The vocabularies come from common/domain.ts.
 */
import { graphql } from './gql';
import { FieldOfAction as FieldOfActionValues } from './gql/graphql';
import type {
  AccessCellFieldsFragment,
  AccessReportEntryFieldsFragment,
  ConsentFieldsFragment,
  ConsoleAccessReportWithCopyQuery,
  ConsoleConsentQuery,
  DirectoryEntryFieldsFragment,
  DisclosureBasisFieldsFragment,
  DisclosureFilter as GeneratedDisclosureFilter,
  DisclosurePageFieldsFragment,
  DisclosureRecordFieldsFragment,
  LogVerificationFieldsFragment,
  PersonIdentityFragment,
  ConsentTermsInput,
} from './gql/graphql';

export { PURPOSES, CATEGORIES, type Purpose, type Category } from '../../common/domain';
export type {
  ConsentState,
  ConsentForm,
  DisclosureDecision as Decision,
  AuditAction,
  FieldOfAction,
  BasisKind,
  ExportFormat,
} from './gql/graphql';
import type { FieldOfAction } from './gql/graphql';

export type PersonIdentity = PersonIdentityFragment;
export type Consent = ConsentFieldsFragment;
export type ConsentWithVersions = NonNullable<ConsoleConsentQuery['consent']>;
export type ConsentTerms = ConsentTermsInput;
export type DisclosureBasis = DisclosureBasisFieldsFragment;
export type DisclosureRecord = DisclosureRecordFieldsFragment;
export type DisclosurePage = DisclosurePageFieldsFragment;
export type DisclosureFilter = GeneratedDisclosureFilter;
export type LogVerification = LogVerificationFieldsFragment;
export type AccessReportEntry = AccessReportEntryFieldsFragment;
/** A line of the district's guide of responsibilities (no person data). */
export type DirectoryEntry = DirectoryEntryFieldsFragment;

graphql(`
  fragment PersonIdentity on Person {
    id
    givenName
    familyName
    dateOfBirth
    nationality
  }
`);

graphql(`
  fragment ConsentFields on Consent {
    id
    version
    personId
    recipients
    purposes
    categories
    givenAt
    validFrom
    validUntil
    withdrawnAt
    withdrawalReason
    voidedAt
    voidReason
    form
    evidenceReference
    noticeVersion
    noticeLanguage
    recordedAt
    state
    recordedBy {
      officer
      agency
    }
  }
`);

export const SEARCH_PERSONS = graphql(`
  query ConsoleSearchPersons($name: String, $dateOfBirth: LocalDate, $first: Int! = 20) {
    searchPersons(name: $name, dateOfBirth: $dateOfBirth, first: $first) {
      ...PersonIdentity
      assignedMunicipality {
        ags
      }
    }
  }
`);

export const PERSON_BY_ID = graphql(`
  query ConsolePerson($id: ID!) {
    person(id: $id) {
      ...PersonIdentity
      assignedMunicipality {
        ags
      }
    }
  }
`);

export const PERSON_CONSENTS = graphql(`
  query ConsolePersonConsents($id: ID!) {
    person(id: $id) {
      ...PersonIdentity
      consents {
        ...ConsentFields
        versions {
          ...ConsentFields
        }
      }
    }
  }
`);

export const CONSENT_BY_ID = graphql(`
  query ConsoleConsent($id: ID!) {
    consent(id: $id) {
      ...ConsentFields
      versions {
        ...ConsentFields
      }
    }
  }
`);

export const RECORD_CONSENT = graphql(`
  mutation ConsoleRecordConsent($input: RecordConsentInput!) {
    recordConsent(input: $input) {
      ...ConsentFields
      overlapping {
        id
        version
      }
    }
  }
`);

/** The district's time zone (validity days are days there) and information notices. */
export const CONSENT_SETTINGS = graphql(`
  query ConsoleConsentSettings {
    consentSettings {
      timeZone
      notices {
        version
        languages
      }
    }
  }
`);

/** Before saving: the person's active consents these terms would overlap. */
export const OVERLAPPING_CONSENTS = graphql(`
  query ConsoleOverlappingConsents($personId: ID!, $terms: ConsentTermsInput!, $exceptId: ID) {
    overlappingConsents(personId: $personId, terms: $terms, exceptId: $exceptId) {
      ...ConsentFields
    }
  }
`);

graphql(`
  fragment AccessCellFields on AccessCell {
    agency
    purpose
    category
    allowed
    basis
    refusal
    statuteId
    statuteReference
    consentId
    consentVersion
    consentValidUntil
    ownTaskForOwnRecords
  }
`);

/** One cell of a person's effective access, decided by the subgraphs' own policy code. */
export type AccessCell = AccessCellFieldsFragment;

export const EFFECTIVE_ACCESS = graphql(`
  query ConsoleEffectiveAccess($personId: ID!) {
    effectiveAccess(personId: $personId) {
      ...AccessCellFields
    }
  }
`);

export const WITHDRAWAL_PREVIEW = graphql(`
  query ConsoleWithdrawalPreview($id: ID!) {
    withdrawalPreview(id: $id) {
      agency
      purpose
      category
      before {
        ...AccessCellFields
      }
      after {
        ...AccessCellFields
      }
    }
  }
`);

export const VOID_CONSENT = graphql(`
  mutation ConsoleVoidConsent($id: ID!, $expectedVersion: Int!, $reason: String!) {
    voidConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {
      ...ConsentFields
    }
  }
`);

export const CHANGE_CONSENT = graphql(`
  mutation ConsoleChangeConsent($id: ID!, $expectedVersion: Int!, $terms: ConsentTermsInput!) {
    changeConsent(id: $id, expectedVersion: $expectedVersion, terms: $terms) {
      ...ConsentFields
    }
  }
`);

export const WITHDRAW_CONSENT = graphql(`
  mutation ConsoleWithdrawConsent($id: ID!, $expectedVersion: Int!, $reason: String) {
    withdrawConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {
      ...ConsentFields
    }
  }
`);

graphql(`
  fragment DisclosureBasisFields on DisclosureBasis {
    category
    kind
    statute
    statuteReference
    consentId
    consentVersion
    consentVoidedAt
    consentVoidReason
  }
`);

graphql(`
  fragment DisclosureRecordFields on DisclosureRecord {
    subgraph
    sequence
    at
    requestId
    agency
    officer
    purpose
    operation
    kind
    personId
    released {
      field
      category
    }
    refused {
      field
      category
      reason
    }
    basis {
      ...DisclosureBasisFields
    }
    changes {
      operation
      record
    }
    audit {
      action
      filter
      records
    }
  }
`);

graphql(`
  fragment DisclosurePageFields on DisclosurePage {
    records {
      ...DisclosureRecordFields
    }
    endCursor
    hasNextPage
  }
`);

export const DISCLOSURE_TIMELINE = graphql(`
  query ConsoleTimeline($personId: ID!, $filter: DisclosureFilter, $first: Int!, $after: String) {
    disclosureTimeline(personId: $personId, filter: $filter, first: $first, after: $after) {
      ...DisclosurePageFields
    }
  }
`);

/** Per recipient × category: how often, first and last, on which basis; the same filter as the timeline. */
export const DISCLOSURE_SUMMARY = graphql(`
  query ConsoleDisclosureSummary($personId: ID!, $filter: DisclosureFilter) {
    disclosureSummary(personId: $personId, filter: $filter) {
      recipient
      category
      count
      refusals
      firstAt
      lastAt
      basis
    }
  }
`);

export const DISCLOSURE_LOG = graphql(`
  query ConsoleLog($filter: DisclosureFilter, $first: Int!, $after: String) {
    disclosureLog(filter: $filter, first: $first, after: $after) {
      ...DisclosurePageFields
    }
  }
`);

/**
 * The records of a filter (a person's, or the whole log's) as CSV for German Excel or as .xlsx, made by the server
 * so that the export is on record (an EXPORT audit record).
 */
export const DISCLOSURE_EXPORT = graphql(`
  query ConsoleExport($filter: DisclosureFilter, $first: Int!, $format: ExportFormat!) {
    disclosureExport(filter: $filter, first: $first, format: $format) {
      filename
      mediaType
      base64
      records
    }
  }
`);

graphql(`
  fragment LogVerificationFields on LogVerification {
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
    checkpointNumber
    cosignedBy
    reread {
      from
      through
    }
    covered {
      from
      through
    }
    coveredLastRereadAt
    summary
  }
`);

export const VERIFICATION = graphql(`
  query ConsoleVerification {
    disclosureLogVerification {
      ...LogVerificationFields
    }
  }
`);

graphql(`
  fragment AccessReportEntryFields on AccessReportEntry {
    date
    holder
    ownRecords
    recipient
    purpose
    categories
    fields
    basis {
      ...DisclosureBasisFields
    }
    requests
  }
`);

export const ACCESS_REPORT = graphql(`
  query ConsoleAccessReport($personId: ID!) {
    accessReport(personId: $personId) {
      personId
      generatedAt
      entries {
        ...AccessReportEntryFields
      }
      endCursor
      hasNextPage
    }
    person(id: $personId) {
      ...PersonIdentity
      gender
      consents {
        ...ConsentFields
      }
    }
  }
`);

/**
 * The Art. 15 report with the copy of the data (Art. 15 (3) GDPR): the person's records as every agency holds them,
 * gathered in the report's own request under X-Purpose DATA_SUBJECT_ACCESS (the county's consent office only).
 * Each subgraph decides and records every field itself; the report leaves these reads out (they built it).
 * Municipalities are asked for by key (`ags`) and named from the district's agency list, so that no reference
 * data subgraph is asked beyond the person's own records.
 */
export const ACCESS_REPORT_WITH_COPY = graphql(`
  query ConsoleAccessReportWithCopy($personId: ID!) {
    accessReport(personId: $personId) {
      personId
      generatedAt
      entries {
        ...AccessReportEntryFields
      }
      endCursor
      hasNextPage
    }
    person(id: $personId) {
      ...PersonIdentity
      gender
      consents {
        ...ConsentFields
      }
      residence {
        status
        validUntil
        arrivalDate
        assignedMunicipality {
          ags
        }
      }
      clearing {
        languages {
          id
          language
          level
        }
        schooling {
          years
          degree
          clearedOn
        }
        qualifications {
          id
          title
          kind
          country
          recognition
        }
        workExperience {
          id
          occupation
          years
        }
        interests
        goals
      }
      housingHistory {
        id
        type
        address
        since
        until
        municipality {
          ags
        }
      }
      childcareSchool {
        id
        kind
        institution
        grade
        since
        until
      }
      employmentHistory {
        id
        status
        since
        employer
      }
      measures {
        id
        kind
        title
        provider
        starts
        ends
      }
      integrationCourses {
        id
        courseType
        level
        status
        resultLevel
        starts
        ends
      }
      benefits {
        id
        kind
        since
        until
        householdSize
      }
      socialCare {
        since
        organisation {
          name
        }
        caseworker {
          name
          phone
          email
        }
        openNeeds {
          id
          field
          description
          openedOn
          closedOn
        }
      }
      contacts {
        fieldOfAction
        partner
        agency
        name
        role
        phone
        email
        since
      }
    }
  }
`);

/** The person with every agency's records, as the copy of the Art. 15 letter shows them. */
export type PersonCopy = NonNullable<ConsoleAccessReportWithCopyQuery['person']>;

/** The next page of the person's Art. 15 report (after a report's `endCursor`): the letter lists every page. */
export const ACCESS_REPORT_PAGE = graphql(`
  query ConsoleAccessReportPage($personId: ID!, $after: String!) {
    accessReport(personId: $personId, after: $after) {
      entries {
        ...AccessReportEntryFields
      }
      endCursor
      hasNextPage
    }
  }
`);

/**
 * The person's receipt for the Art. 15 letter, one page of the report at a time (after a page's `endCursor`, as the
 * letter reads them): every disclosure of the page with its inclusion proof, checked offline with
 * `npm run audit:check-receipt`. Asked for only when the officer attaches it (every log signs a checkpoint).
 */
export const ACCESS_RECEIPT = graphql(`
  query ConsoleAccessReceipt($personId: ID!, $after: String) {
    accessReport(personId: $personId, receipt: true, after: $after) {
      personId
      generatedAt
      receipt
      endCursor
      hasNextPage
    }
  }
`);

/** The fields of action, in the schema's order. */
export const FIELDS_OF_ACTION: readonly FieldOfAction[] = Object.values(FieldOfActionValues);

graphql(`
  fragment DirectoryEntryFields on DirectoryEntry {
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
`);

export const DIRECTORY = graphql(`
  query ConsoleDirectory($fieldOfAction: FieldOfAction, $municipality: String) {
    directory(fieldOfAction: $fieldOfAction, municipality: $municipality) {
      ...DirectoryEntryFields
    }
  }
`);

export const MUNICIPALITIES = graphql(`
  query ConsoleMunicipalities {
    municipalities {
      ags
      name
    }
  }
`);
