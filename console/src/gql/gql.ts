/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment DistributionFields on IndicatorDistribution {\n    cells {\n      key\n      value\n      suppressed\n    }\n    total {\n      key\n      value\n      suppressed\n    }\n  }\n": typeof types.DistributionFieldsFragmentDoc,
    "\n  query AnalystIndicatorSeries($periods: [String!]!, $regions: [String!]!) {\n    indicatorSeries(periods: $periods, regions: $regions) {\n      period\n      region\n      asOf\n      housing {\n        ...DistributionFields\n      }\n      germanAtClearing {\n        ...DistributionFields\n      }\n      integrationCourses {\n        ...DistributionFields\n      }\n      vocationalLanguage {\n        ...DistributionFields\n      }\n      languageSupport {\n        ...DistributionFields\n      }\n      childcareSchool {\n        ...DistributionFields\n      }\n      employmentStatus {\n        ...DistributionFields\n      }\n      socialParticipation {\n        ...DistributionFields\n      }\n      openSupportNeeds {\n        ...DistributionFields\n      }\n    }\n  }\n": typeof types.AnalystIndicatorSeriesDocument,
    "\n  query AnalystMunicipalities {\n    municipalities {\n      ags\n      name\n    }\n  }\n": typeof types.AnalystMunicipalitiesDocument,
    "\n  fragment PersonIdentity on Person {\n    id\n    givenName\n    familyName\n    dateOfBirth\n    nationality\n  }\n": typeof types.PersonIdentityFragmentDoc,
    "\n  fragment ConsentFields on Consent {\n    id\n    version\n    personId\n    recipients\n    purposes\n    categories\n    givenAt\n    validFrom\n    validUntil\n    withdrawnAt\n    withdrawalReason\n    voidedAt\n    voidReason\n    form\n    evidenceReference\n    noticeVersion\n    noticeLanguage\n    recordedAt\n    state\n    recordedBy {\n      officer\n      agency\n    }\n  }\n": typeof types.ConsentFieldsFragmentDoc,
    "\n  query ConsoleSearchPersons($name: String, $dateOfBirth: LocalDate, $first: Int! = 20) {\n    searchPersons(name: $name, dateOfBirth: $dateOfBirth, first: $first) {\n      ...PersonIdentity\n    }\n  }\n": typeof types.ConsoleSearchPersonsDocument,
    "\n  query ConsolePerson($id: ID!) {\n    person(id: $id) {\n      ...PersonIdentity\n    }\n  }\n": typeof types.ConsolePersonDocument,
    "\n  query ConsolePersonConsents($id: ID!) {\n    person(id: $id) {\n      ...PersonIdentity\n      consents {\n        ...ConsentFields\n        versions {\n          ...ConsentFields\n        }\n      }\n    }\n  }\n": typeof types.ConsolePersonConsentsDocument,
    "\n  query ConsoleConsent($id: ID!) {\n    consent(id: $id) {\n      ...ConsentFields\n      versions {\n        ...ConsentFields\n      }\n    }\n  }\n": typeof types.ConsoleConsentDocument,
    "\n  mutation ConsoleRecordConsent($input: RecordConsentInput!) {\n    recordConsent(input: $input) {\n      ...ConsentFields\n      overlapping {\n        id\n        version\n      }\n    }\n  }\n": typeof types.ConsoleRecordConsentDocument,
    "\n  query ConsoleConsentSettings {\n    consentSettings {\n      timeZone\n      notices {\n        version\n        languages\n      }\n    }\n  }\n": typeof types.ConsoleConsentSettingsDocument,
    "\n  query ConsoleOverlappingConsents($personId: ID!, $terms: ConsentTermsInput!, $exceptId: ID) {\n    overlappingConsents(personId: $personId, terms: $terms, exceptId: $exceptId) {\n      ...ConsentFields\n    }\n  }\n": typeof types.ConsoleOverlappingConsentsDocument,
    "\n  fragment AccessCellFields on AccessCell {\n    agency\n    purpose\n    category\n    allowed\n    basis\n    refusal\n    statuteId\n    statuteReference\n    consentId\n    consentVersion\n    consentValidUntil\n    ownTaskForOwnRecords\n  }\n": typeof types.AccessCellFieldsFragmentDoc,
    "\n  query ConsoleEffectiveAccess($personId: ID!) {\n    effectiveAccess(personId: $personId) {\n      ...AccessCellFields\n    }\n  }\n": typeof types.ConsoleEffectiveAccessDocument,
    "\n  query ConsoleWithdrawalPreview($id: ID!) {\n    withdrawalPreview(id: $id) {\n      agency\n      purpose\n      category\n      before {\n        ...AccessCellFields\n      }\n      after {\n        ...AccessCellFields\n      }\n    }\n  }\n": typeof types.ConsoleWithdrawalPreviewDocument,
    "\n  mutation ConsoleVoidConsent($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    voidConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {\n      ...ConsentFields\n    }\n  }\n": typeof types.ConsoleVoidConsentDocument,
    "\n  mutation ConsoleChangeConsent($id: ID!, $expectedVersion: Int!, $terms: ConsentTermsInput!) {\n    changeConsent(id: $id, expectedVersion: $expectedVersion, terms: $terms) {\n      ...ConsentFields\n    }\n  }\n": typeof types.ConsoleChangeConsentDocument,
    "\n  mutation ConsoleWithdrawConsent($id: ID!, $expectedVersion: Int!, $reason: String) {\n    withdrawConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {\n      ...ConsentFields\n    }\n  }\n": typeof types.ConsoleWithdrawConsentDocument,
    "\n  fragment DisclosureBasisFields on DisclosureBasis {\n    category\n    kind\n    statute\n    statuteReference\n    consentId\n    consentVersion\n    consentVoidedAt\n    consentVoidReason\n  }\n": typeof types.DisclosureBasisFieldsFragmentDoc,
    "\n  fragment DisclosureRecordFields on DisclosureRecord {\n    subgraph\n    sequence\n    at\n    requestId\n    agency\n    officer\n    purpose\n    operation\n    kind\n    personId\n    released {\n      field\n      category\n    }\n    refused {\n      field\n      category\n      reason\n    }\n    basis {\n      ...DisclosureBasisFields\n    }\n    changes {\n      operation\n      record\n    }\n    audit {\n      action\n      filter\n      records\n    }\n  }\n": typeof types.DisclosureRecordFieldsFragmentDoc,
    "\n  fragment DisclosurePageFields on DisclosurePage {\n    records {\n      ...DisclosureRecordFields\n    }\n    endCursor\n    hasNextPage\n  }\n": typeof types.DisclosurePageFieldsFragmentDoc,
    "\n  query ConsoleTimeline($personId: ID!, $filter: DisclosureFilter, $first: Int!, $after: String) {\n    disclosureTimeline(personId: $personId, filter: $filter, first: $first, after: $after) {\n      ...DisclosurePageFields\n    }\n  }\n": typeof types.ConsoleTimelineDocument,
    "\n  query ConsoleDisclosureSummary($personId: ID!, $filter: DisclosureFilter) {\n    disclosureSummary(personId: $personId, filter: $filter) {\n      recipient\n      category\n      count\n      refusals\n      firstAt\n      lastAt\n      basis\n    }\n  }\n": typeof types.ConsoleDisclosureSummaryDocument,
    "\n  query ConsoleLog($filter: DisclosureFilter, $first: Int!, $after: String) {\n    disclosureLog(filter: $filter, first: $first, after: $after) {\n      ...DisclosurePageFields\n    }\n  }\n": typeof types.ConsoleLogDocument,
    "\n  query ConsoleExport($filter: DisclosureFilter, $first: Int!, $format: ExportFormat!) {\n    disclosureExport(filter: $filter, first: $first, format: $format) {\n      filename\n      mediaType\n      base64\n      records\n    }\n  }\n": typeof types.ConsoleExportDocument,
    "\n  fragment LogVerificationFields on LogVerification {\n    subgraph\n    available\n    intact\n    records\n    lastSequence\n    headHash\n    witnessedSequence\n    witnessedAt\n    problems {\n      kind\n      sequence\n      message\n    }\n    checkpointNumber\n    cosignedBy\n    reread {\n      from\n      through\n    }\n    covered {\n      from\n      through\n    }\n    coveredLastRereadAt\n    summary\n  }\n": typeof types.LogVerificationFieldsFragmentDoc,
    "\n  query ConsoleVerification {\n    disclosureLogVerification {\n      ...LogVerificationFields\n    }\n  }\n": typeof types.ConsoleVerificationDocument,
    "\n  fragment AccessReportEntryFields on AccessReportEntry {\n    date\n    holder\n    ownRecords\n    recipient\n    purpose\n    categories\n    fields\n    basis {\n      ...DisclosureBasisFields\n    }\n    requests\n  }\n": typeof types.AccessReportEntryFieldsFragmentDoc,
    "\n  query ConsoleAccessReport($personId: ID!) {\n    accessReport(personId: $personId) {\n      personId\n      generatedAt\n      entries {\n        ...AccessReportEntryFields\n      }\n      endCursor\n      hasNextPage\n    }\n    person(id: $personId) {\n      ...PersonIdentity\n      gender\n      consents {\n        ...ConsentFields\n      }\n    }\n  }\n": typeof types.ConsoleAccessReportDocument,
    "\n  query ConsoleAccessReportPage($personId: ID!, $after: String!) {\n    accessReport(personId: $personId, after: $after) {\n      entries {\n        ...AccessReportEntryFields\n      }\n      endCursor\n      hasNextPage\n    }\n  }\n": typeof types.ConsoleAccessReportPageDocument,
    "\n  query ConsoleAccessReceipt($personId: ID!, $after: String) {\n    accessReport(personId: $personId, receipt: true, after: $after) {\n      personId\n      generatedAt\n      receipt\n      endCursor\n      hasNextPage\n    }\n  }\n": typeof types.ConsoleAccessReceiptDocument,
    "\n  fragment DirectoryEntryFields on DirectoryEntry {\n    id\n    agency\n    fieldOfAction\n    municipality {\n      ags\n      name\n    }\n    office\n    contactName\n    phone\n    email\n    address\n    hours\n  }\n": typeof types.DirectoryEntryFieldsFragmentDoc,
    "\n  query ConsoleDirectory($fieldOfAction: FieldOfAction, $municipality: String) {\n    directory(fieldOfAction: $fieldOfAction, municipality: $municipality) {\n      ...DirectoryEntryFields\n    }\n  }\n": typeof types.ConsoleDirectoryDocument,
    "\n  query ConsoleMunicipalities {\n    municipalities {\n      ags\n      name\n    }\n  }\n": typeof types.ConsoleMunicipalitiesDocument,
};
const documents: Documents = {
    "\n  fragment DistributionFields on IndicatorDistribution {\n    cells {\n      key\n      value\n      suppressed\n    }\n    total {\n      key\n      value\n      suppressed\n    }\n  }\n": types.DistributionFieldsFragmentDoc,
    "\n  query AnalystIndicatorSeries($periods: [String!]!, $regions: [String!]!) {\n    indicatorSeries(periods: $periods, regions: $regions) {\n      period\n      region\n      asOf\n      housing {\n        ...DistributionFields\n      }\n      germanAtClearing {\n        ...DistributionFields\n      }\n      integrationCourses {\n        ...DistributionFields\n      }\n      vocationalLanguage {\n        ...DistributionFields\n      }\n      languageSupport {\n        ...DistributionFields\n      }\n      childcareSchool {\n        ...DistributionFields\n      }\n      employmentStatus {\n        ...DistributionFields\n      }\n      socialParticipation {\n        ...DistributionFields\n      }\n      openSupportNeeds {\n        ...DistributionFields\n      }\n    }\n  }\n": types.AnalystIndicatorSeriesDocument,
    "\n  query AnalystMunicipalities {\n    municipalities {\n      ags\n      name\n    }\n  }\n": types.AnalystMunicipalitiesDocument,
    "\n  fragment PersonIdentity on Person {\n    id\n    givenName\n    familyName\n    dateOfBirth\n    nationality\n  }\n": types.PersonIdentityFragmentDoc,
    "\n  fragment ConsentFields on Consent {\n    id\n    version\n    personId\n    recipients\n    purposes\n    categories\n    givenAt\n    validFrom\n    validUntil\n    withdrawnAt\n    withdrawalReason\n    voidedAt\n    voidReason\n    form\n    evidenceReference\n    noticeVersion\n    noticeLanguage\n    recordedAt\n    state\n    recordedBy {\n      officer\n      agency\n    }\n  }\n": types.ConsentFieldsFragmentDoc,
    "\n  query ConsoleSearchPersons($name: String, $dateOfBirth: LocalDate, $first: Int! = 20) {\n    searchPersons(name: $name, dateOfBirth: $dateOfBirth, first: $first) {\n      ...PersonIdentity\n    }\n  }\n": types.ConsoleSearchPersonsDocument,
    "\n  query ConsolePerson($id: ID!) {\n    person(id: $id) {\n      ...PersonIdentity\n    }\n  }\n": types.ConsolePersonDocument,
    "\n  query ConsolePersonConsents($id: ID!) {\n    person(id: $id) {\n      ...PersonIdentity\n      consents {\n        ...ConsentFields\n        versions {\n          ...ConsentFields\n        }\n      }\n    }\n  }\n": types.ConsolePersonConsentsDocument,
    "\n  query ConsoleConsent($id: ID!) {\n    consent(id: $id) {\n      ...ConsentFields\n      versions {\n        ...ConsentFields\n      }\n    }\n  }\n": types.ConsoleConsentDocument,
    "\n  mutation ConsoleRecordConsent($input: RecordConsentInput!) {\n    recordConsent(input: $input) {\n      ...ConsentFields\n      overlapping {\n        id\n        version\n      }\n    }\n  }\n": types.ConsoleRecordConsentDocument,
    "\n  query ConsoleConsentSettings {\n    consentSettings {\n      timeZone\n      notices {\n        version\n        languages\n      }\n    }\n  }\n": types.ConsoleConsentSettingsDocument,
    "\n  query ConsoleOverlappingConsents($personId: ID!, $terms: ConsentTermsInput!, $exceptId: ID) {\n    overlappingConsents(personId: $personId, terms: $terms, exceptId: $exceptId) {\n      ...ConsentFields\n    }\n  }\n": types.ConsoleOverlappingConsentsDocument,
    "\n  fragment AccessCellFields on AccessCell {\n    agency\n    purpose\n    category\n    allowed\n    basis\n    refusal\n    statuteId\n    statuteReference\n    consentId\n    consentVersion\n    consentValidUntil\n    ownTaskForOwnRecords\n  }\n": types.AccessCellFieldsFragmentDoc,
    "\n  query ConsoleEffectiveAccess($personId: ID!) {\n    effectiveAccess(personId: $personId) {\n      ...AccessCellFields\n    }\n  }\n": types.ConsoleEffectiveAccessDocument,
    "\n  query ConsoleWithdrawalPreview($id: ID!) {\n    withdrawalPreview(id: $id) {\n      agency\n      purpose\n      category\n      before {\n        ...AccessCellFields\n      }\n      after {\n        ...AccessCellFields\n      }\n    }\n  }\n": types.ConsoleWithdrawalPreviewDocument,
    "\n  mutation ConsoleVoidConsent($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    voidConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {\n      ...ConsentFields\n    }\n  }\n": types.ConsoleVoidConsentDocument,
    "\n  mutation ConsoleChangeConsent($id: ID!, $expectedVersion: Int!, $terms: ConsentTermsInput!) {\n    changeConsent(id: $id, expectedVersion: $expectedVersion, terms: $terms) {\n      ...ConsentFields\n    }\n  }\n": types.ConsoleChangeConsentDocument,
    "\n  mutation ConsoleWithdrawConsent($id: ID!, $expectedVersion: Int!, $reason: String) {\n    withdrawConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {\n      ...ConsentFields\n    }\n  }\n": types.ConsoleWithdrawConsentDocument,
    "\n  fragment DisclosureBasisFields on DisclosureBasis {\n    category\n    kind\n    statute\n    statuteReference\n    consentId\n    consentVersion\n    consentVoidedAt\n    consentVoidReason\n  }\n": types.DisclosureBasisFieldsFragmentDoc,
    "\n  fragment DisclosureRecordFields on DisclosureRecord {\n    subgraph\n    sequence\n    at\n    requestId\n    agency\n    officer\n    purpose\n    operation\n    kind\n    personId\n    released {\n      field\n      category\n    }\n    refused {\n      field\n      category\n      reason\n    }\n    basis {\n      ...DisclosureBasisFields\n    }\n    changes {\n      operation\n      record\n    }\n    audit {\n      action\n      filter\n      records\n    }\n  }\n": types.DisclosureRecordFieldsFragmentDoc,
    "\n  fragment DisclosurePageFields on DisclosurePage {\n    records {\n      ...DisclosureRecordFields\n    }\n    endCursor\n    hasNextPage\n  }\n": types.DisclosurePageFieldsFragmentDoc,
    "\n  query ConsoleTimeline($personId: ID!, $filter: DisclosureFilter, $first: Int!, $after: String) {\n    disclosureTimeline(personId: $personId, filter: $filter, first: $first, after: $after) {\n      ...DisclosurePageFields\n    }\n  }\n": types.ConsoleTimelineDocument,
    "\n  query ConsoleDisclosureSummary($personId: ID!, $filter: DisclosureFilter) {\n    disclosureSummary(personId: $personId, filter: $filter) {\n      recipient\n      category\n      count\n      refusals\n      firstAt\n      lastAt\n      basis\n    }\n  }\n": types.ConsoleDisclosureSummaryDocument,
    "\n  query ConsoleLog($filter: DisclosureFilter, $first: Int!, $after: String) {\n    disclosureLog(filter: $filter, first: $first, after: $after) {\n      ...DisclosurePageFields\n    }\n  }\n": types.ConsoleLogDocument,
    "\n  query ConsoleExport($filter: DisclosureFilter, $first: Int!, $format: ExportFormat!) {\n    disclosureExport(filter: $filter, first: $first, format: $format) {\n      filename\n      mediaType\n      base64\n      records\n    }\n  }\n": types.ConsoleExportDocument,
    "\n  fragment LogVerificationFields on LogVerification {\n    subgraph\n    available\n    intact\n    records\n    lastSequence\n    headHash\n    witnessedSequence\n    witnessedAt\n    problems {\n      kind\n      sequence\n      message\n    }\n    checkpointNumber\n    cosignedBy\n    reread {\n      from\n      through\n    }\n    covered {\n      from\n      through\n    }\n    coveredLastRereadAt\n    summary\n  }\n": types.LogVerificationFieldsFragmentDoc,
    "\n  query ConsoleVerification {\n    disclosureLogVerification {\n      ...LogVerificationFields\n    }\n  }\n": types.ConsoleVerificationDocument,
    "\n  fragment AccessReportEntryFields on AccessReportEntry {\n    date\n    holder\n    ownRecords\n    recipient\n    purpose\n    categories\n    fields\n    basis {\n      ...DisclosureBasisFields\n    }\n    requests\n  }\n": types.AccessReportEntryFieldsFragmentDoc,
    "\n  query ConsoleAccessReport($personId: ID!) {\n    accessReport(personId: $personId) {\n      personId\n      generatedAt\n      entries {\n        ...AccessReportEntryFields\n      }\n      endCursor\n      hasNextPage\n    }\n    person(id: $personId) {\n      ...PersonIdentity\n      gender\n      consents {\n        ...ConsentFields\n      }\n    }\n  }\n": types.ConsoleAccessReportDocument,
    "\n  query ConsoleAccessReportPage($personId: ID!, $after: String!) {\n    accessReport(personId: $personId, after: $after) {\n      entries {\n        ...AccessReportEntryFields\n      }\n      endCursor\n      hasNextPage\n    }\n  }\n": types.ConsoleAccessReportPageDocument,
    "\n  query ConsoleAccessReceipt($personId: ID!, $after: String) {\n    accessReport(personId: $personId, receipt: true, after: $after) {\n      personId\n      generatedAt\n      receipt\n      endCursor\n      hasNextPage\n    }\n  }\n": types.ConsoleAccessReceiptDocument,
    "\n  fragment DirectoryEntryFields on DirectoryEntry {\n    id\n    agency\n    fieldOfAction\n    municipality {\n      ags\n      name\n    }\n    office\n    contactName\n    phone\n    email\n    address\n    hours\n  }\n": types.DirectoryEntryFieldsFragmentDoc,
    "\n  query ConsoleDirectory($fieldOfAction: FieldOfAction, $municipality: String) {\n    directory(fieldOfAction: $fieldOfAction, municipality: $municipality) {\n      ...DirectoryEntryFields\n    }\n  }\n": types.ConsoleDirectoryDocument,
    "\n  query ConsoleMunicipalities {\n    municipalities {\n      ags\n      name\n    }\n  }\n": types.ConsoleMunicipalitiesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DistributionFields on IndicatorDistribution {\n    cells {\n      key\n      value\n      suppressed\n    }\n    total {\n      key\n      value\n      suppressed\n    }\n  }\n"): (typeof documents)["\n  fragment DistributionFields on IndicatorDistribution {\n    cells {\n      key\n      value\n      suppressed\n    }\n    total {\n      key\n      value\n      suppressed\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalystIndicatorSeries($periods: [String!]!, $regions: [String!]!) {\n    indicatorSeries(periods: $periods, regions: $regions) {\n      period\n      region\n      asOf\n      housing {\n        ...DistributionFields\n      }\n      germanAtClearing {\n        ...DistributionFields\n      }\n      integrationCourses {\n        ...DistributionFields\n      }\n      vocationalLanguage {\n        ...DistributionFields\n      }\n      languageSupport {\n        ...DistributionFields\n      }\n      childcareSchool {\n        ...DistributionFields\n      }\n      employmentStatus {\n        ...DistributionFields\n      }\n      socialParticipation {\n        ...DistributionFields\n      }\n      openSupportNeeds {\n        ...DistributionFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query AnalystIndicatorSeries($periods: [String!]!, $regions: [String!]!) {\n    indicatorSeries(periods: $periods, regions: $regions) {\n      period\n      region\n      asOf\n      housing {\n        ...DistributionFields\n      }\n      germanAtClearing {\n        ...DistributionFields\n      }\n      integrationCourses {\n        ...DistributionFields\n      }\n      vocationalLanguage {\n        ...DistributionFields\n      }\n      languageSupport {\n        ...DistributionFields\n      }\n      childcareSchool {\n        ...DistributionFields\n      }\n      employmentStatus {\n        ...DistributionFields\n      }\n      socialParticipation {\n        ...DistributionFields\n      }\n      openSupportNeeds {\n        ...DistributionFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalystMunicipalities {\n    municipalities {\n      ags\n      name\n    }\n  }\n"): (typeof documents)["\n  query AnalystMunicipalities {\n    municipalities {\n      ags\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PersonIdentity on Person {\n    id\n    givenName\n    familyName\n    dateOfBirth\n    nationality\n  }\n"): (typeof documents)["\n  fragment PersonIdentity on Person {\n    id\n    givenName\n    familyName\n    dateOfBirth\n    nationality\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsentFields on Consent {\n    id\n    version\n    personId\n    recipients\n    purposes\n    categories\n    givenAt\n    validFrom\n    validUntil\n    withdrawnAt\n    withdrawalReason\n    voidedAt\n    voidReason\n    form\n    evidenceReference\n    noticeVersion\n    noticeLanguage\n    recordedAt\n    state\n    recordedBy {\n      officer\n      agency\n    }\n  }\n"): (typeof documents)["\n  fragment ConsentFields on Consent {\n    id\n    version\n    personId\n    recipients\n    purposes\n    categories\n    givenAt\n    validFrom\n    validUntil\n    withdrawnAt\n    withdrawalReason\n    voidedAt\n    voidReason\n    form\n    evidenceReference\n    noticeVersion\n    noticeLanguage\n    recordedAt\n    state\n    recordedBy {\n      officer\n      agency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSearchPersons($name: String, $dateOfBirth: LocalDate, $first: Int! = 20) {\n    searchPersons(name: $name, dateOfBirth: $dateOfBirth, first: $first) {\n      ...PersonIdentity\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSearchPersons($name: String, $dateOfBirth: LocalDate, $first: Int! = 20) {\n    searchPersons(name: $name, dateOfBirth: $dateOfBirth, first: $first) {\n      ...PersonIdentity\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePerson($id: ID!) {\n    person(id: $id) {\n      ...PersonIdentity\n    }\n  }\n"): (typeof documents)["\n  query ConsolePerson($id: ID!) {\n    person(id: $id) {\n      ...PersonIdentity\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePersonConsents($id: ID!) {\n    person(id: $id) {\n      ...PersonIdentity\n      consents {\n        ...ConsentFields\n        versions {\n          ...ConsentFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsolePersonConsents($id: ID!) {\n    person(id: $id) {\n      ...PersonIdentity\n      consents {\n        ...ConsentFields\n        versions {\n          ...ConsentFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleConsent($id: ID!) {\n    consent(id: $id) {\n      ...ConsentFields\n      versions {\n        ...ConsentFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleConsent($id: ID!) {\n    consent(id: $id) {\n      ...ConsentFields\n      versions {\n        ...ConsentFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRecordConsent($input: RecordConsentInput!) {\n    recordConsent(input: $input) {\n      ...ConsentFields\n      overlapping {\n        id\n        version\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleRecordConsent($input: RecordConsentInput!) {\n    recordConsent(input: $input) {\n      ...ConsentFields\n      overlapping {\n        id\n        version\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleConsentSettings {\n    consentSettings {\n      timeZone\n      notices {\n        version\n        languages\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleConsentSettings {\n    consentSettings {\n      timeZone\n      notices {\n        version\n        languages\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleOverlappingConsents($personId: ID!, $terms: ConsentTermsInput!, $exceptId: ID) {\n    overlappingConsents(personId: $personId, terms: $terms, exceptId: $exceptId) {\n      ...ConsentFields\n    }\n  }\n"): (typeof documents)["\n  query ConsoleOverlappingConsents($personId: ID!, $terms: ConsentTermsInput!, $exceptId: ID) {\n    overlappingConsents(personId: $personId, terms: $terms, exceptId: $exceptId) {\n      ...ConsentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AccessCellFields on AccessCell {\n    agency\n    purpose\n    category\n    allowed\n    basis\n    refusal\n    statuteId\n    statuteReference\n    consentId\n    consentVersion\n    consentValidUntil\n    ownTaskForOwnRecords\n  }\n"): (typeof documents)["\n  fragment AccessCellFields on AccessCell {\n    agency\n    purpose\n    category\n    allowed\n    basis\n    refusal\n    statuteId\n    statuteReference\n    consentId\n    consentVersion\n    consentValidUntil\n    ownTaskForOwnRecords\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleEffectiveAccess($personId: ID!) {\n    effectiveAccess(personId: $personId) {\n      ...AccessCellFields\n    }\n  }\n"): (typeof documents)["\n  query ConsoleEffectiveAccess($personId: ID!) {\n    effectiveAccess(personId: $personId) {\n      ...AccessCellFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleWithdrawalPreview($id: ID!) {\n    withdrawalPreview(id: $id) {\n      agency\n      purpose\n      category\n      before {\n        ...AccessCellFields\n      }\n      after {\n        ...AccessCellFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleWithdrawalPreview($id: ID!) {\n    withdrawalPreview(id: $id) {\n      agency\n      purpose\n      category\n      before {\n        ...AccessCellFields\n      }\n      after {\n        ...AccessCellFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleVoidConsent($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    voidConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {\n      ...ConsentFields\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleVoidConsent($id: ID!, $expectedVersion: Int!, $reason: String!) {\n    voidConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {\n      ...ConsentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleChangeConsent($id: ID!, $expectedVersion: Int!, $terms: ConsentTermsInput!) {\n    changeConsent(id: $id, expectedVersion: $expectedVersion, terms: $terms) {\n      ...ConsentFields\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleChangeConsent($id: ID!, $expectedVersion: Int!, $terms: ConsentTermsInput!) {\n    changeConsent(id: $id, expectedVersion: $expectedVersion, terms: $terms) {\n      ...ConsentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleWithdrawConsent($id: ID!, $expectedVersion: Int!, $reason: String) {\n    withdrawConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {\n      ...ConsentFields\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleWithdrawConsent($id: ID!, $expectedVersion: Int!, $reason: String) {\n    withdrawConsent(input: { id: $id, expectedVersion: $expectedVersion, reason: $reason }) {\n      ...ConsentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DisclosureBasisFields on DisclosureBasis {\n    category\n    kind\n    statute\n    statuteReference\n    consentId\n    consentVersion\n    consentVoidedAt\n    consentVoidReason\n  }\n"): (typeof documents)["\n  fragment DisclosureBasisFields on DisclosureBasis {\n    category\n    kind\n    statute\n    statuteReference\n    consentId\n    consentVersion\n    consentVoidedAt\n    consentVoidReason\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DisclosureRecordFields on DisclosureRecord {\n    subgraph\n    sequence\n    at\n    requestId\n    agency\n    officer\n    purpose\n    operation\n    kind\n    personId\n    released {\n      field\n      category\n    }\n    refused {\n      field\n      category\n      reason\n    }\n    basis {\n      ...DisclosureBasisFields\n    }\n    changes {\n      operation\n      record\n    }\n    audit {\n      action\n      filter\n      records\n    }\n  }\n"): (typeof documents)["\n  fragment DisclosureRecordFields on DisclosureRecord {\n    subgraph\n    sequence\n    at\n    requestId\n    agency\n    officer\n    purpose\n    operation\n    kind\n    personId\n    released {\n      field\n      category\n    }\n    refused {\n      field\n      category\n      reason\n    }\n    basis {\n      ...DisclosureBasisFields\n    }\n    changes {\n      operation\n      record\n    }\n    audit {\n      action\n      filter\n      records\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DisclosurePageFields on DisclosurePage {\n    records {\n      ...DisclosureRecordFields\n    }\n    endCursor\n    hasNextPage\n  }\n"): (typeof documents)["\n  fragment DisclosurePageFields on DisclosurePage {\n    records {\n      ...DisclosureRecordFields\n    }\n    endCursor\n    hasNextPage\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleTimeline($personId: ID!, $filter: DisclosureFilter, $first: Int!, $after: String) {\n    disclosureTimeline(personId: $personId, filter: $filter, first: $first, after: $after) {\n      ...DisclosurePageFields\n    }\n  }\n"): (typeof documents)["\n  query ConsoleTimeline($personId: ID!, $filter: DisclosureFilter, $first: Int!, $after: String) {\n    disclosureTimeline(personId: $personId, filter: $filter, first: $first, after: $after) {\n      ...DisclosurePageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleDisclosureSummary($personId: ID!, $filter: DisclosureFilter) {\n    disclosureSummary(personId: $personId, filter: $filter) {\n      recipient\n      category\n      count\n      refusals\n      firstAt\n      lastAt\n      basis\n    }\n  }\n"): (typeof documents)["\n  query ConsoleDisclosureSummary($personId: ID!, $filter: DisclosureFilter) {\n    disclosureSummary(personId: $personId, filter: $filter) {\n      recipient\n      category\n      count\n      refusals\n      firstAt\n      lastAt\n      basis\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleLog($filter: DisclosureFilter, $first: Int!, $after: String) {\n    disclosureLog(filter: $filter, first: $first, after: $after) {\n      ...DisclosurePageFields\n    }\n  }\n"): (typeof documents)["\n  query ConsoleLog($filter: DisclosureFilter, $first: Int!, $after: String) {\n    disclosureLog(filter: $filter, first: $first, after: $after) {\n      ...DisclosurePageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleExport($filter: DisclosureFilter, $first: Int!, $format: ExportFormat!) {\n    disclosureExport(filter: $filter, first: $first, format: $format) {\n      filename\n      mediaType\n      base64\n      records\n    }\n  }\n"): (typeof documents)["\n  query ConsoleExport($filter: DisclosureFilter, $first: Int!, $format: ExportFormat!) {\n    disclosureExport(filter: $filter, first: $first, format: $format) {\n      filename\n      mediaType\n      base64\n      records\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LogVerificationFields on LogVerification {\n    subgraph\n    available\n    intact\n    records\n    lastSequence\n    headHash\n    witnessedSequence\n    witnessedAt\n    problems {\n      kind\n      sequence\n      message\n    }\n    checkpointNumber\n    cosignedBy\n    reread {\n      from\n      through\n    }\n    covered {\n      from\n      through\n    }\n    coveredLastRereadAt\n    summary\n  }\n"): (typeof documents)["\n  fragment LogVerificationFields on LogVerification {\n    subgraph\n    available\n    intact\n    records\n    lastSequence\n    headHash\n    witnessedSequence\n    witnessedAt\n    problems {\n      kind\n      sequence\n      message\n    }\n    checkpointNumber\n    cosignedBy\n    reread {\n      from\n      through\n    }\n    covered {\n      from\n      through\n    }\n    coveredLastRereadAt\n    summary\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleVerification {\n    disclosureLogVerification {\n      ...LogVerificationFields\n    }\n  }\n"): (typeof documents)["\n  query ConsoleVerification {\n    disclosureLogVerification {\n      ...LogVerificationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AccessReportEntryFields on AccessReportEntry {\n    date\n    holder\n    ownRecords\n    recipient\n    purpose\n    categories\n    fields\n    basis {\n      ...DisclosureBasisFields\n    }\n    requests\n  }\n"): (typeof documents)["\n  fragment AccessReportEntryFields on AccessReportEntry {\n    date\n    holder\n    ownRecords\n    recipient\n    purpose\n    categories\n    fields\n    basis {\n      ...DisclosureBasisFields\n    }\n    requests\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAccessReport($personId: ID!) {\n    accessReport(personId: $personId) {\n      personId\n      generatedAt\n      entries {\n        ...AccessReportEntryFields\n      }\n      endCursor\n      hasNextPage\n    }\n    person(id: $personId) {\n      ...PersonIdentity\n      gender\n      consents {\n        ...ConsentFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleAccessReport($personId: ID!) {\n    accessReport(personId: $personId) {\n      personId\n      generatedAt\n      entries {\n        ...AccessReportEntryFields\n      }\n      endCursor\n      hasNextPage\n    }\n    person(id: $personId) {\n      ...PersonIdentity\n      gender\n      consents {\n        ...ConsentFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAccessReportPage($personId: ID!, $after: String!) {\n    accessReport(personId: $personId, after: $after) {\n      entries {\n        ...AccessReportEntryFields\n      }\n      endCursor\n      hasNextPage\n    }\n  }\n"): (typeof documents)["\n  query ConsoleAccessReportPage($personId: ID!, $after: String!) {\n    accessReport(personId: $personId, after: $after) {\n      entries {\n        ...AccessReportEntryFields\n      }\n      endCursor\n      hasNextPage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAccessReceipt($personId: ID!, $after: String) {\n    accessReport(personId: $personId, receipt: true, after: $after) {\n      personId\n      generatedAt\n      receipt\n      endCursor\n      hasNextPage\n    }\n  }\n"): (typeof documents)["\n  query ConsoleAccessReceipt($personId: ID!, $after: String) {\n    accessReport(personId: $personId, receipt: true, after: $after) {\n      personId\n      generatedAt\n      receipt\n      endCursor\n      hasNextPage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DirectoryEntryFields on DirectoryEntry {\n    id\n    agency\n    fieldOfAction\n    municipality {\n      ags\n      name\n    }\n    office\n    contactName\n    phone\n    email\n    address\n    hours\n  }\n"): (typeof documents)["\n  fragment DirectoryEntryFields on DirectoryEntry {\n    id\n    agency\n    fieldOfAction\n    municipality {\n      ags\n      name\n    }\n    office\n    contactName\n    phone\n    email\n    address\n    hours\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleDirectory($fieldOfAction: FieldOfAction, $municipality: String) {\n    directory(fieldOfAction: $fieldOfAction, municipality: $municipality) {\n      ...DirectoryEntryFields\n    }\n  }\n"): (typeof documents)["\n  query ConsoleDirectory($fieldOfAction: FieldOfAction, $municipality: String) {\n    directory(fieldOfAction: $fieldOfAction, municipality: $municipality) {\n      ...DirectoryEntryFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleMunicipalities {\n    municipalities {\n      ags\n      name\n    }\n  }\n"): (typeof documents)["\n  query ConsoleMunicipalities {\n    municipalities {\n      ags\n      name\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;