import { graphqlEnum, type ValueOf } from '../../../common/graphql-enum.js';

export const Gender = graphqlEnum('Gender', 'FEMALE MALE DIVERSE UNKNOWN');
export type Gender = ValueOf<typeof Gender>;

/**
 * Residence titles common among refugees, by their provision in the Residence Act (AufenthG).
 * - ASYLUM_PENDING: Aufenthaltsgestattung: asylum procedure pending.
 * - RECOGNISED_REFUGEE: § 25 Abs. 2 AufenthG: recognised refugee.
 * - SUBSIDIARY_PROTECTION: § 25 Abs. 2 AufenthG, second alternative: subsidiary protection.
 * - TEMPORARY_PROTECTION: § 24 AufenthG: temporary protection.
 * - TOLERATED: Duldung: removal suspended.
 * - SETTLEMENT_PERMIT: Niederlassungserlaubnis: settlement permit.
 */
export const ResidenceStatus = graphqlEnum(
  'ResidenceStatus',
  'ASYLUM_PENDING RECOGNISED_REFUGEE SUBSIDIARY_PROTECTION TEMPORARY_PROTECTION TOLERATED SETTLEMENT_PERMIT',
  { description: 'Residence title under the AufenthG.' },
);
export type ResidenceStatus = ValueOf<typeof ResidenceStatus>;

/** Common European Framework of Reference levels, plus native speaker. */
export const CefrLevel = graphqlEnum('CefrLevel', 'A1 A2 B1 B2 C1 C2 NATIVE', {
  description: 'CEFR language level, or NATIVE.',
});
export type CefrLevel = ValueOf<typeof CefrLevel>;

export const SchoolDegree = graphqlEnum('SchoolDegree', 'NONE PRIMARY LOWER_SECONDARY SECONDARY UNIVERSITY_ENTRANCE');
export type SchoolDegree = ValueOf<typeof SchoolDegree>;

export const QualificationKind = graphqlEnum('QualificationKind', 'VOCATIONAL ACADEMIC');
export type QualificationKind = ValueOf<typeof QualificationKind>;

/** State of the recognition of a foreign qualification (Anerkennungsverfahren). */
export const Recognition = graphqlEnum('Recognition', 'NOT_APPLIED IN_PROGRESS FULL PARTIAL REJECTED', {
  description: 'Recognition of a foreign qualification.',
});
export type Recognition = ValueOf<typeof Recognition>;
