/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Shared accommodation, follow-up accommodation (Anschlussunterbringung) or an own flat. */
export const AccommodationType = {
  FollowUp: 'FOLLOW_UP',
  OwnFlat: 'OWN_FLAT',
  Shared: 'SHARED'
} as const;

export type AccommodationType = typeof AccommodationType[keyof typeof AccommodationType];
/** CEFR language level, or NATIVE. */
export const CefrLevel = {
  A1: 'A1',
  A2: 'A2',
  B1: 'B1',
  B2: 'B2',
  C1: 'C1',
  C2: 'C2',
  Native: 'NATIVE'
} as const;

export type CefrLevel = typeof CefrLevel[keyof typeof CefrLevel];
export const CourseStatus = {
  Aborted: 'ABORTED',
  Completed: 'COMPLETED',
  Enrolled: 'ENROLLED',
  Waiting: 'WAITING'
} as const;

export type CourseStatus = typeof CourseStatus[keyof typeof CourseStatus];
/** Integration course type under the IntV. */
export const CourseType = {
  General: 'GENERAL',
  Intensive: 'INTENSIVE',
  JobRelated: 'JOB_RELATED',
  Literacy: 'LITERACY',
  ParentsAndWomen: 'PARENTS_AND_WOMEN',
  Youth: 'YOUTH'
} as const;

export type CourseType = typeof CourseType[keyof typeof CourseType];
/** Labour-market situation recorded by the jobcenter. */
export const EmploymentState = {
  Employed: 'EMPLOYED',
  InMeasure: 'IN_MEASURE',
  InTraining: 'IN_TRAINING',
  NotAvailable: 'NOT_AVAILABLE',
  Seeking: 'SEEKING'
} as const;

export type EmploymentState = typeof EmploymentState[keyof typeof EmploymentState];
/** Recognition of a foreign qualification. */
export const Recognition = {
  Full: 'FULL',
  InProgress: 'IN_PROGRESS',
  NotApplied: 'NOT_APPLIED',
  Partial: 'PARTIAL',
  Rejected: 'REJECTED'
} as const;

export type Recognition = typeof Recognition[keyof typeof Recognition];
/** Residence title under the AufenthG. */
export const ResidenceStatus = {
  AsylumPending: 'ASYLUM_PENDING',
  RecognisedRefugee: 'RECOGNISED_REFUGEE',
  SettlementPermit: 'SETTLEMENT_PERMIT',
  SubsidiaryProtection: 'SUBSIDIARY_PROTECTION',
  TemporaryProtection: 'TEMPORARY_PROTECTION',
  Tolerated: 'TOLERATED'
} as const;

export type ResidenceStatus = typeof ResidenceStatus[keyof typeof ResidenceStatus];
export type CaseworkerPersonViewQueryVariables = Exact<{
  id: string;
}>;


export type CaseworkerPersonViewQuery = { person: { id: string, givenName: string | null, familyName: string | null, dateOfBirth: string | null, residence: { status: ResidenceStatus, validUntil: string | null } | null, clearing: { languages: Array<{ language: string, level: CefrLevel }> | null, qualifications: Array<{ title: string, recognition: Recognition }> | null } | null, employment: { status: EmploymentState, since: string } | null, integrationCourse: { courseType: CourseType, status: CourseStatus, level: string } | null, housing: { type: AccommodationType, since: string } | null } | null };


export const CaseworkerPersonViewDocument = {"__meta__":{"hash":"sha256:0b9812653c206b083fa26e4c39481bc693e1417cd0842a6436e1a79bc296358d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CaseworkerPersonView"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}},{"kind":"Field","name":{"kind":"Name","value":"familyName"}},{"kind":"Field","name":{"kind":"Name","value":"dateOfBirth"}},{"kind":"Field","name":{"kind":"Name","value":"residence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"validUntil"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clearing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"languages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"level"}}]}},{"kind":"Field","name":{"kind":"Name","value":"qualifications"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"recognition"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"employment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"since"}}]}},{"kind":"Field","name":{"kind":"Name","value":"integrationCourse"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"courseType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"level"}}]}},{"kind":"Field","name":{"kind":"Name","value":"housing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"since"}}]}}]}}]}}]} as unknown as DocumentNode<CaseworkerPersonViewQuery, CaseworkerPersonViewQueryVariables>;