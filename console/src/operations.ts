/**
 * The console's GraphQL operations (the consent officer's part of the public graph). Their types are generated
 * from schema/supergraph.graphql by GraphQL Code Generator into ./gql (console/codegen.ts), never written by
 * hand: an operation that no longer matches the schema fails `npm run build:console`. Every operation is sent
 * with X-Purpose: CONSENT_MANAGEMENT. The vocabularies come from common/domain.ts.
 */
import { graphql } from './gql';
import { FieldOfAction as FieldOfActionValues } from './gql/graphql';
import type {
  AccessReportEntryFieldsFragment,
  ConsentFieldsFragment,
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
    }
  }
`);

export const PERSON_BY_ID = graphql(`
  query ConsolePerson($id: ID!) {
    person(id: $id) {
      ...PersonIdentity
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
    }
  }
`);

export const CHANGE_CONSENT = graphql(`
  mutation ConsoleChangeConsent($id: ID!, $terms: ConsentTermsInput!) {
    changeConsent(id: $id, terms: $terms) {
      ...ConsentFields
    }
  }
`);

export const WITHDRAW_CONSENT = graphql(`
  mutation ConsoleWithdrawConsent($id: ID!, $reason: String) {
    withdrawConsent(input: { id: $id, reason: $reason }) {
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
  query ConsoleTimeline($personId: ID!, $first: Int!, $after: String) {
    disclosureTimeline(personId: $personId, first: $first, after: $after) {
      ...DisclosurePageFields
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

/** The filtered log as CSV, made by the server so that the export is on record (an EXPORT audit record). */
export const DISCLOSURE_LOG_EXPORT = graphql(`
  query ConsoleLogExport($filter: DisclosureFilter, $first: Int!, $category: String, $basis: BasisKind) {
    disclosureLogExport(filter: $filter, first: $first, category: $category, basis: $basis)
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
    }
    person(id: $personId) {
      ...PersonIdentity
      consents {
        ...ConsentFields
      }
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
